/**
 * Starting a helper process of a desktop test (window manager, notification
 * daemon, screen saver, test app) with exactly the session's environment and
 * no terminal I/O.
 *
 * @module
 */

/** Spawns `command` with `args` and exactly `env`; stdin, stdout and stderr are discarded. */
export function spawnQuiet(
  command: string,
  args: string[],
  env: Record<string, string>,
): Deno.ChildProcess {
  return new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}
