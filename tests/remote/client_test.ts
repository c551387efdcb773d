/**
 * The client against a server in another process: killed mid-stream and
 * mid-call (pending work fails promptly), then restarted (the session
 * reconnects by itself).
 */

import { assert, assertEquals } from "./_assert.ts";
import { Identity } from "../../src/auth/identity.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { ConnectionClosedError } from "../../src/protocol/errors.ts";
import { connect } from "../../src/remote/client.ts";
import type { ClientSession } from "../../src/remote/client_session.ts";

const CHILD = new URL("./_server_child.ts", import.meta.url).pathname;

interface ChildServer {
  port: number;
  process: Deno.ChildProcess;
  kill(): Promise<void>;
}

async function spawnServer(
  home: string,
  port: number,
  controllerHex: string,
): Promise<ChildServer> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", CHILD, home, String(port), controllerHex],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  reader.releaseLock();
  return {
    port: Number(first.value?.trim()),
    process,
    async kill(): Promise<void> {
      process.kill("SIGKILL");
      await process.status;
      await process.stdout.cancel().catch(() => {});
    },
  };
}

interface Setup {
  root: string;
  serverHome: string;
  controllerHome: string;
  controllerHex: string;
}

async function setup(): Promise<Setup> {
  const root = await Deno.makeTempDir({ prefix: "opendesk-client-" });
  const serverHome = `${root}/server`;
  const controllerHome = `${root}/controller`;
  const serverKey = Identity.loadOrCreate(serverHome).publicKey;
  const controller = Identity.loadOrCreate(controllerHome);
  new TrustStore(controllerHome).add(serverKey, "box", "remote");
  return { root, serverHome, controllerHome, controllerHex: controller.publicKeyHex };
}

function connectTo(
  s: Setup,
  port: number,
  extra: Parameters<typeof connect>[1] = {},
): Promise<ClientSession> {
  new TrustStore(s.controllerHome).cacheEndpoint(
    new TrustStore(s.controllerHome).get("box")!.publicKey,
    "127.0.0.1",
    port,
  );
  return connect("box", { home: s.controllerHome, mdns: false, ...extra });
}

Deno.test("connect(): a server killed mid-stream and mid-call fails the pending work promptly", async () => {
  const s = await setup();
  const child = await spawnServer(s.serverHome, 0, s.controllerHex);
  const session = await connectTo(s, child.port, {
    reconnectDelaysMs: [50, 100],
    reconnectBudgetMs: 400,
  });
  try {
    const stream = session.computer.subscribeDisplay({ fps: 10 })[Symbol.asyncIterator]();
    assert((await stream.next()).value, "first frame");
    // Settle handlers are attached at once: both promises reject while the server dies.
    const shell = session.computer.shell("sleep 2").then(() => null, (e: unknown) => e);
    const pendingFrame = stream.next().then(() => null, (e: unknown) => e);
    await child.kill();
    // Both fail on the lost connection (a bounded wait turns a hang into a clear failure; the
    // shell would only end by itself after 2 s, so its result here is the connection's).
    const failed = Promise.all([pendingFrame, shell]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("Pending work did not fail within 30 s")), 30_000);
    });
    const [frameError, shellError] = await Promise.race([failed, hung]).finally(() =>
      clearTimeout(timer)
    );
    assert(frameError instanceof ConnectionClosedError, "the stream fails");
    assert(shellError instanceof ConnectionClosedError, "the call fails");
    assert((await session.closed).startsWith("connection lost and not re-established"));
  } finally {
    await session.close();
    await child.kill().catch(() => {});
    await Deno.remove(s.root, { recursive: true });
  }
});

Deno.test("connect(): the session reconnects by itself after the server restarts", async () => {
  const s = await setup();
  let child = await spawnServer(s.serverHome, 0, s.controllerHex);
  const port = child.port;
  const session = await connectTo(s, port, {
    reconnectDelaysMs: [100, 200, 400, 800, 1000, 1000, 1000],
  });
  try {
    assertEquals((await session.computer.displays()).length, 1);
    await child.kill();
    const restarted = spawnServer(s.serverHome, port, s.controllerHex);
    // Issued while the server is down: it waits for the reconnect, then runs.
    const displays = await session.computer.displays();
    child = await restarted;
    assertEquals(displays.length, 1);
    assertEquals(session.isClosed, false);
    assertEquals(new TrustStore(s.controllerHome).get("box")!.lastPort, port);
  } finally {
    await session.close();
    await child.kill();
    await Deno.remove(s.root, { recursive: true });
  }
});
