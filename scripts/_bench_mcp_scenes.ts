/**
 * The desktops `bench_mcp.ts` takes screenshots of, besides the X test
 * client's photo-heavy `desktop` scene, and the image-quality measures it
 * prints beside the payload sizes.
 *
 * - `typicalScene`: a typical desktop — sway's wallpaper scaled to the
 *   screen, a GTK 3 editor showing source code, a GTK 3 file list with a
 *   toolbar and a search entry (`_bench_desktop_scene.py`), and an xterm
 *   showing command output.
 * - `textScene`: three xterms full of text on a flat background.
 *
 * @module
 */

import { decodePng } from "../tests/computer/drivers/x11/_png_decode.ts";

const SCENE_PY = new URL("./_bench_desktop_scene.py", import.meta.url).pathname;
const WALLPAPER = "/usr/share/backgrounds/sway/Sway_Wallpaper_Blue_1366x768.png";
const PYTHON = "/usr/bin/python3";

/** Processes that draw a scene; `stop()` ends them. */
export interface Scene {
  stop(): Promise<void>;
}

function sceneOf(children: Deno.ChildProcess[], cleanup: () => Promise<void>): Scene {
  return {
    async stop() {
      for (const child of children) {
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        await child.status;
      }
      await cleanup();
    },
  };
}

async function quiet(cmd: string, args: string[], env: Record<string, string>): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, env, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/** Resolves once `count` top-level windows named `name` are mapped. */
async function waitForWindows(env: Record<string, string>, name: string, count: number) {
  for (let i = 0; i < 200; i++) {
    const out = await new Deno.Command("xwininfo", {
      args: ["-root", "-children"],
      env,
      stdout: "piped",
      stderr: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if ((text.match(new RegExp(`"${name}"`, "gi")) ?? []).length >= count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Cannot set up the scene: ${count} '${name}' windows did not appear`);
}

function xterm(env: Record<string, string>, geometry: string, command: string[]) {
  return new Deno.Command("xterm", {
    args: ["-geometry", geometry, "-fa", "Monospace", "-fs", "9", "-hold", "-e", ...command],
    env,
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/** Why the typical scene cannot be drawn here, or null when it can. */
export async function typicalSceneMissing(): Promise<string | null> {
  try {
    await Deno.stat(WALLPAPER);
  } catch {
    return `the wallpaper ${WALLPAPER} (package sway-backgrounds) is missing`;
  }
  const gi = ["-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"];
  if (!await quiet(PYTHON, gi, {})) return "python3-gi with GTK 3 is missing";
  return null;
}

/** Draws the typical desktop; resolves once every window is drawn. */
export async function typicalScene(display: string): Promise<Scene> {
  const env = { DISPLAY: display, PATH: Deno.env.get("PATH") ?? "", NO_AT_BRIDGE: "1" };
  const listing = await Deno.makeTempFile({ prefix: "od-bench-listing-" });
  const ls = await new Deno.Command("ls", { args: ["-l", "/usr/lib"], stdout: "piped" }).output();
  await Deno.writeFile(listing, ls.stdout);
  const source = new URL("../src/mcp/server.ts", import.meta.url).pathname;
  const app = new Deno.Command(PYTHON, {
    args: [SCENE_PY, WALLPAPER, source, listing],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = app.stdout.pipeThrough(new TextDecoderStream()).getReader();
  for (let text = ""; !text.includes("ready");) {
    const { value, done } = await reader.read();
    if (done) throw new Error("Cannot set up the scene: the GTK windows exited");
    text += value;
  }
  reader.releaseLock();
  const term = xterm(env, "100x24+760+560", [
    "sh",
    "-c",
    "uname -sr; df -h / /tmp; ls -l /usr/share | head -14",
  ]);
  await waitForWindows(env, "xterm", 1);
  const scene = sceneOf([term], async () => {
    await app.stdin.close().catch(() => {});
    await app.stdout.cancel().catch(() => {});
    await app.status;
    await Deno.remove(listing);
  });
  return scene;
}

/** Three xterms showing text on a grey background; resolves once they are mapped. */
export async function textScene(display: string): Promise<Scene> {
  const env = { DISPLAY: display, PATH: Deno.env.get("PATH") ?? "" };
  await new Deno.Command("xsetroot", { args: ["-solid", "#3c4650"], env }).output();
  const file = "/usr/share/common-licenses/GPL-3";
  const terms = [["100x60+0+0"], ["110x50+640+120"], ["90x45+1200+300"]].map(([geometry]) =>
    xterm(env, geometry!, ["cat", file])
  );
  await waitForWindows(env, "xterm", 3);
  return sceneOf(terms, () => Promise.resolve());
}

/** Mean absolute difference per channel (0-255) between two PNGs of the same size. */
export function pngMeanError(exact: Uint8Array, other: Uint8Array): number {
  const a = decodePng(exact), b = decodePng(other);
  if (a.width !== b.width || a.height !== b.height) throw new Error("images differ in size");
  let sum = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    sum += Math.abs(a.rgba[i]! - b.rgba[i]!) + Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!) +
      Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!);
  }
  return sum / (a.rgba.length / 4 * 3);
}

/** The same for a JPEG, decoded by ImageMagick's `compare`; null when it is not installed. */
export async function jpegMeanError(exact: Uint8Array, jpeg: Uint8Array): Promise<number | null> {
  const dir = await Deno.makeTempDir({ prefix: "od-bench-err-" });
  try {
    await Deno.writeFile(`${dir}/a.png`, exact);
    await Deno.writeFile(`${dir}/b.jpg`, jpeg);
    const out = await new Deno.Command("compare", {
      args: ["-metric", "MAE", `${dir}/a.png`, `${dir}/b.jpg`, "null:"],
      stdout: "null",
      stderr: "piped",
    }).output();
    // `compare` prints "<absolute> (<normalised>)" on stderr, normalised to 0-1.
    const m = /\(([\d.e-]+)\)/.exec(new TextDecoder().decode(out.stderr));
    return m ? Number(m[1]) * 255 : null;
  } catch {
    return null;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
