/**
 * Deno's cache directory of the running test process, so child `deno`
 * processes started with a temp `HOME` still find the npm packages.
 *
 * @module
 */

/** `DENO_DIR` of this run (from the environment, else `deno info --json`). */
export const DENO_DIR: string = Deno.env.get("DENO_DIR") ??
  JSON.parse(
    new TextDecoder().decode(
      new Deno.Command(Deno.execPath(), {
        args: ["info", "--json"],
        stdout: "piped",
        stderr: "null",
      }).outputSync().stdout,
    ),
  ).denoDir;
