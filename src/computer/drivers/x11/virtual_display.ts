/**
 * `startVirtualDisplay`: an Xvfb server of a given size, for `opendesk serve
 * --virtual-display WxH` and for tests. The server picks a free display number
 * itself (`-displayfd`), listens on no TCP port, and never resets.
 *
 * @module
 */

/** Options of {@linkcode startVirtualDisplay}. */
export interface VirtualDisplayOptions {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Colour depth. @default 24 */
  depth?: number;
  /** How long to wait for the server to come up, in milliseconds. @default 10000 */
  timeoutMs?: number;
  /** Xvfb executable. @default "Xvfb" */
  command?: string;
  /**
   * Extra Xvfb arguments, e.g. `["-extension", "MIT-SHM"]` to run without an extension.
   * @default []
   */
  extraArgs?: string[];
  /**
   * Runs Xvfb through this argv prefix, e.g. `["/usr/bin/setpriv", "--pdeathsig", "TERM", "--"]`
   * so that it ends with this process.
   * @default []
   */
  launcher?: string[];
}

/** A running virtual display. */
export interface VirtualDisplay {
  /** The display name to use as `DISPLAY`, e.g. `:3`. */
  readonly display: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The Xvfb process id. */
  readonly pid: number;
  /** Stops the server and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Same as `stop()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

async function readDisplayNumber(
  stdout: ReadableStream<Uint8Array>,
  timeoutMs: number,
): Promise<string | null> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === null || next.done) return null;
      text += decoder.decode(next.value, { stream: true });
      const line = /^(\d+)\s*\n/.exec(text);
      if (line) return line[1] ?? null;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * Starts Xvfb with one screen of `width` × `height`.
 *
 * @param options Size, depth and time limit.
 * @returns The display; call `stop()` when done.
 * @throws {RangeError} For a size outside 16–16384 pixels.
 * @throws {Error} When Xvfb is not installed or does not come up in time.
 */
export async function startVirtualDisplay(options: VirtualDisplayOptions): Promise<VirtualDisplay> {
  const { width, height } = options;
  const depth = options.depth ?? 24;
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(value) || value < 16 || value > 16384) {
      throw new RangeError(`Cannot start a virtual display with ${name} ${value}: use 16 to 16384`);
    }
  }
  const command = options.command ?? "Xvfb";
  let child: Deno.ChildProcess;
  try {
    const launcher = options.launcher ?? [];
    child = new Deno.Command(launcher[0] ?? command, {
      args: [
        ...launcher.slice(1),
        ...(launcher.length > 0 ? [command] : []),
        "-displayfd",
        "1",
        "-screen",
        "0",
        `${width}x${height}x${depth}`,
        "-nolisten",
        "tcp",
        "-noreset",
        ...(options.extraArgs ?? []),
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot start a virtual display: '${command}' is not installed (Debian package xvfb)`,
        { cause: error },
      );
    }
    throw error;
  }
  const stderrText = new Response(child.stderr).text();
  const number = await readDisplayNumber(child.stdout, options.timeoutMs ?? 10_000);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // already exited
      }
      await child.status;
      await stderrText;
    })();
    return stopped;
  };
  if (number === null) {
    await stop();
    const detail = (await stderrText).trim().split("\n").slice(-3).join(" / ");
    throw new Error(
      `Cannot start a virtual display: Xvfb did not come up (${detail || "no output"})`,
    );
  }
  return {
    display: `:${number}`,
    width,
    height,
    pid: child.pid,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
