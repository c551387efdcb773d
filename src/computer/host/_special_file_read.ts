/**
 * Reading FIFOs, character and block devices and sockets (`fs.read` of a
 * path that is not a regular file). Opening or reading them can block
 * forever (a FIFO with no writer, a terminal), and Deno runs file opens and
 * reads on a shared pool of blocking threads that a cancellation cannot
 * interrupt: about 40 such reads used to wedge every file operation of the
 * server. So these reads run in a `head -c` child process whose output
 * arrives through a pipe (non-blocking I/O); cancelling the call kills the
 * child, so a cancelled read really stops and no thread stays stuck.
 *
 * @module
 */

import { RemoteError } from "../../protocol/errors.ts";

/** True for a path that is not a regular file or directory (a FIFO, device, socket). */
export function isSpecialFile(info: Deno.FileInfo): boolean {
  return !info.isFile && !info.isDirectory && !info.isSymlink;
}

/**
 * Reads at most `want` bytes of a special file in a child process.
 *
 * @param real the expanded path
 * @param path the path as the caller sent it (for messages)
 * @param want the most bytes to return
 * @param signal kills the child when aborted
 * @throws {RemoteError} `cancelled` when `signal` aborts; `internal` when the reader fails
 */
export async function readSpecialFile(
  real: string,
  path: string,
  want: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (signal?.aborted) throw new RemoteError("cancelled", "cancelled");
  const child = new Deno.Command("head", {
    args: ["-c", String(want), "--", real],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const kill = (): void => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
  };
  signal?.addEventListener("abort", kill, { once: true });
  try {
    const [out, err, status] = await Promise.all([
      new Response(child.stdout).bytes(),
      new Response(child.stderr).text(),
      child.status,
    ]);
    if (signal?.aborted) throw new RemoteError("cancelled", "cancelled");
    if (!status.success) {
      throw new RemoteError(
        "internal",
        `Cannot read file: reading '${path}' failed: ${err.trim().slice(0, 200) || status.code}`,
        { path },
      );
    }
    return out;
  } finally {
    signal?.removeEventListener("abort", kill);
  }
}
