/**
 * End-to-end capture rows of `deno task bench:capture` (imported by
 * `bench_capture.ts`): `display.capture` as a controller sees it.
 *
 * The server half runs in its own process (`bench_capture_server.ts`):
 * `OpendeskServer` serving a `NativeComputer` on the benchmark's Xvfb, with
 * approve auto, mDNS off and a temporary home. This process pairs with it
 * through the real pairing handshake (`pairWith()` with the code the server
 * printed), then times `session.computer.capture()` over the encrypted
 * WebSocket on 127.0.0.1: the server grabs, scales and encodes, the
 * Dispatcher validates and encodes the RES, the session encrypts; the client
 * decrypts, decodes and validates the Pixmap. Each sample is the time from
 * the call to the resolved Pixmap.
 *
 * @module
 */

import type { CaptureParamsInit } from "../src/computer/methods/params.ts";
import { pairWith } from "../src/remote/client.ts";
import type { ClientSession } from "../src/remote/client_session.ts";

/** A paired session with a capture server in a child process, torn down by `stop()`. */
export interface CaptureStack {
  /** The controller's live session. */
  session: ClientSession;
  /** Closes the session, stops the server and removes the temporary homes. */
  stop(): Promise<void>;
}

/**
 * Starts the server process on X display `display` and pairs with it.
 *
 * @param display the X display the server captures, e.g. `:99`
 * @returns the paired session
 */
export async function startCaptureStack(display: string): Promise<CaptureStack> {
  const root = await Deno.makeTempDir({ prefix: "opendesk-bench-capture-" });
  const script = new URL("./bench_capture_server.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", script, display, `${root}/server`],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stopChild = async (): Promise<void> => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(root, { recursive: true });
  };
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const line = (await reader.read()).value ?? "";
    reader.releaseLock();
    const [port, code] = line.trim().split(" ");
    if (!port || !code) throw new Error(`The capture server did not start (printed '${line}')`);
    const session = await pairWith(`127.0.0.1:${port}`, code, {
      home: `${root}/client`,
      name: "bench-server",
      mdns: false,
      autoReconnect: false,
    });
    return {
      session,
      async stop(): Promise<void> {
        await session.close();
        await stopChild();
      },
    };
  } catch (error) {
    await stopChild();
    throw error;
  }
}

/**
 * Times `runs` captures with `params` through the session (after one untimed warm-up call).
 *
 * @returns the client-observed milliseconds of each call, and the size of the last image
 */
export async function timeRemoteCaptures(
  session: ClientSession,
  params: CaptureParamsInit,
  runs: number,
): Promise<{ samples: number[]; bytes: number; width: number; height: number }> {
  let shot = await session.computer.capture(params);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    shot = await session.computer.capture(params);
    samples.push(performance.now() - start);
  }
  return { samples, bytes: shot.data.length, width: shot.width, height: shot.height };
}
