/**
 * A real protocol session over the in-memory loopback pair: a server Peer
 * with the computer layer's Dispatcher over a backend, and a client Peer
 * with RemoteComputer, adapted to the REPL's session interface.
 */
import type { Computer } from "../../../src/computer/computer.ts";
import { Dispatcher, type DispatcherOptions } from "../../../src/computer/methods/dispatcher.ts";
import { RemoteComputer } from "../../../src/computer/client/remote_computer.ts";
import { encodeManifest } from "../../../src/computer/methods/wire_encode.ts";
import { createLoopbackPair } from "../../../src/protocol/loopback.ts";
import { Peer } from "../../../src/protocol/peer.ts";
import { remoteReplSession } from "../../../src/cli/repl/remote_repl_session.ts";
import type { ReplSession } from "../../../src/cli/repl/repl_session.ts";

export interface LoopbackSession {
  session: ReplSession;
  server: Peer;
  client: Peer;
  close(): Promise<void>;
}

export async function openLoopbackSession(
  computer: Computer,
  options: DispatcherOptions & { label?: string } = {},
): Promise<LoopbackSession> {
  const [a, b] = createLoopbackPair();
  const dispatcher = new Dispatcher(computer, options);
  const server = new Peer(b, { role: "server", handler: dispatcher });
  const client = new Peer(a, { role: "client" });
  await Promise.all([
    client.hello(),
    server.hello({ capabilities: encodeManifest(dispatcher.manifest()) }),
  ]);
  client.start();
  server.start();
  const remote = new RemoteComputer(client);
  const session = remoteReplSession({
    label: options.label ?? "testbox",
    computer: remote,
    onPush: (handler) => client.onPush(handler),
    closed: client.closed,
    close: () => remote.close(),
  });
  return {
    session,
    server,
    client,
    async close(): Promise<void> {
      client.close();
      server.close();
      await Promise.all([client.closed, server.closed]);
    },
  };
}
