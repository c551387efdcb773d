/**
 * Builds the native shim (`native/`) into `build/native/` with the system C
 * compiler: every `.c` file under `native/src/common/` and under the current
 * OS's folder (`native/src/x11/` on Linux), linked against the X11 extension
 * libraries, zlib and libjpeg, plus AT-SPI (glib/dbus) when pkg-config finds it. On Linux the
 * Wayland driver (`native/src/wayland/`, see `_build_wayland.ts`) joins the same library when
 * libwayland-client, xkbcommon and wayland-scanner are present.
 *
 * Usage: `deno run -A scripts/build_native.ts [--if-stale] [--quiet]`
 *   --if-stale  rebuild only when a source, header or this script is newer
 *               than the library (what `scripts/setup.sh` runs)
 *   --quiet     print nothing on success
 * Environment: `CC` (default `cc`), `CFLAGS` (appended).
 *
 * @module
 */

import { waylandBuildParts } from "./_build_wayland.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The one place that picks the per-OS source folder and library name. */
const os = Deno.build.os;
const OS_TARGETS: Record<string, { folder: string; library: string } | undefined> = {
  linux: { folder: "x11", library: "libopendesk.so" },
  darwin: { folder: "macos", library: "libopendesk.dylib" },
  windows: { folder: "win32", library: "opendesk.dll" },
};

/** pkg-config modules the Linux build needs, each with the Debian package that provides it. */
const REQUIRED_MODULES: ReadonlyArray<readonly [module: string, debian: string]> = [
  ["x11", "libx11-dev"],
  ["xext", "libxext-dev"],
  ["xtst", "libxtst-dev"],
  ["xfixes", "libxfixes-dev"],
  ["xrandr", "libxrandr-dev"],
  ["xdamage", "libxdamage-dev"],
  ["xi", "libxi-dev"],
  ["xcb", "libxcb1-dev"],
  ["zlib", "zlib1g-dev"],
  ["libjpeg", "libjpeg62-turbo-dev"],
];
/** Modules used when present (part 2: accessibility headers; the walker itself speaks D-Bus). */
const OPTIONAL_MODULES: ReadonlyArray<readonly [module: string, debian: string]> = [
  ["atspi-2", "libatspi2.0-dev"],
  ["gobject-2.0", "libglib2.0-dev"], // include paths of the AT-SPI headers (enum constants)
];
/** Fallback link flags when pkg-config itself is missing. */
const FALLBACK_LIBS = [
  "-lX11",
  "-lXext",
  "-lXtst",
  "-lXfixes",
  "-lXrandr",
  "-lXdamage",
  "-lXi",
  "-lxcb",
  "-lz",
  "-ljpeg",
];
/** Header → Debian package, to explain a compiler's "No such file" error. */
const HEADER_PACKAGES: Record<string, string> = {
  "X11/Xlib.h": "libx11-dev",
  "X11/XKBlib.h": "libx11-dev",
  "X11/extensions/XShm.h": "libxext-dev",
  "X11/extensions/XTest.h": "libxtst-dev",
  "X11/extensions/Xfixes.h": "libxfixes-dev",
  "X11/extensions/Xrandr.h": "libxrandr-dev",
  "X11/extensions/Xdamage.h": "libxdamage-dev",
  "X11/extensions/XInput2.h": "libxi-dev",
  "xcb/xcb.h": "libxcb1-dev",
  "zlib.h": "zlib1g-dev",
  "jpeglib.h": "libjpeg62-turbo-dev",
  "atspi/atspi.h": "libatspi2.0-dev",
  "glib.h": "libglib2.0-dev",
};

/** Result of {@linkcode buildNative}. */
export interface BuildNativeResult {
  /** Absolute path of the library. */
  library: string;
  /** False when `ifStale` found the library up to date. */
  built: boolean;
  /** Linux: the Debian packages whose absence left the Wayland driver out, else undefined. */
  waylandMissing?: string;
}

/** Options of {@linkcode buildNative}. */
export interface BuildNativeOptions {
  /** Skip the build when the library is newer than every input. @default false */
  ifStale?: boolean;
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const res = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
    return { ok: res.success, out: text };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { ok: false, out: `${cmd}: not found` };
    throw error;
  }
}

async function listFiles(dir: string, exts: string[]): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) out.push(...await listFiles(path, exts));
      else if (exts.some((e) => entry.name.endsWith(e))) out.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}

async function mtime(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

async function linkFlags(): Promise<{ cflags: string[]; libs: string[] }> {
  const probe = await run("pkg-config", ["--version"]);
  if (!probe.ok) return { cflags: [], libs: FALLBACK_LIBS };
  const missing: string[] = [];
  for (const [module, debian] of REQUIRED_MODULES) {
    if (!(await run("pkg-config", ["--exists", module])).ok) missing.push(debian);
  }
  if (missing.length > 0) {
    throw new Error(
      `Cannot build the native shim: development files are missing; install the Debian ` +
        `packages: ${missing.join(" ")} (for example \`apt-get install ${missing.join(" ")}\`)`,
    );
  }
  const modules = REQUIRED_MODULES.map(([m]) => m);
  for (const [module] of OPTIONAL_MODULES) {
    if ((await run("pkg-config", ["--exists", module])).ok) modules.push(module);
  }
  const cflags = await run("pkg-config", ["--cflags", ...modules]);
  const libs = await run("pkg-config", ["--libs", ...modules]);
  const split = (s: string) => s.trim().split(/\s+/).filter((x) => x.length > 0);
  return { cflags: split(cflags.out), libs: split(libs.out) };
}

function explainCompilerError(output: string): string {
  const headers = [...output.matchAll(/fatal error: ([\w./+-]+\.h): No such file/g)]
    .map((m) => m[1] ?? "");
  const packages = [...new Set(headers.map((h) => HEADER_PACKAGES[h] ?? "").filter(Boolean))];
  if (packages.length > 0) {
    return `Cannot build the native shim: headers are missing (${headers.join(", ")}); ` +
      `install the Debian packages: ${packages.join(" ")}`;
  }
  return `Cannot build the native shim: the C compiler failed:\n${output.trim()}`;
}

/**
 * Compiles the shim for the current OS.
 *
 * @param options Build options.
 * @returns Where the library is and whether it was rebuilt.
 * @throws {Error} When the OS has no port, development files are missing, or compilation fails.
 */
export async function buildNative(options: BuildNativeOptions = {}): Promise<BuildNativeResult> {
  const target = OS_TARGETS[os];
  if (!target) throw new Error(`Cannot build the native shim: no port for OS '${os}'`);
  const osDir = `${ROOT}/native/src/${target.folder}`;
  const sources = [
    ...await listFiles(`${ROOT}/native/src/common`, [".c"]),
    ...await listFiles(osDir, [".c"]),
  ];
  if ((await listFiles(osDir, [".c"])).length === 0) {
    throw new Error(
      `Cannot build the native shim: native/src/${target.folder}/ has no sources yet ` +
        `(the ${os} port is not written)`,
    );
  }
  const outDir = `${ROOT}/build/native`;
  const library = `${outDir}/${target.library}`;
  if (options.ifStale) {
    const inputs = [
      ...sources,
      ...await listFiles(`${ROOT}/native`, [".h"]),
      ...await listFiles(`${ROOT}/native/src/wayland`, [".c", ".xml"]),
      new URL(import.meta.url).pathname,
    ];
    const newest = Math.max(...await Promise.all(inputs.map(mtime)));
    const built = await mtime(library);
    if (built > 0 && built >= newest) return { library, built: false };
  }
  const { cflags, libs } = await linkFlags();
  await Deno.mkdir(outDir, { recursive: true });
  // Linux: the Wayland driver joins the same library when its development files exist.
  const wayland = os === "linux" ? await waylandBuildParts(ROOT, outDir, run) : undefined;
  if (wayland && "sources" in wayland) {
    sources.push(...wayland.sources);
    cflags.push(...wayland.cflags);
    libs.push(...wayland.libs);
  }
  const waylandMissing = wayland && "missing" in wayland ? wayland.missing : undefined;
  const temp = `${library}.${Deno.pid}.tmp`;
  const extra = (Deno.env.get("CFLAGS") ?? "").split(/\s+/).filter((x) => x.length > 0);
  const args = [
    "-O3", // -O3 vectorises the scaler: 1080p to 1568 px took 7.4 ms at -O2, 3.8 ms at -O3
    "-fPIC",
    "-shared",
    "-std=gnu11",
    "-fvisibility=hidden",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-pthread",
    `-I${ROOT}/native/include`,
    ...cflags,
    ...extra,
    "-o",
    temp,
    ...sources,
    ...libs,
    "-lpthread",
  ];
  const cc = Deno.env.get("CC") ?? "cc";
  const res = await run(cc, args);
  if (!res.ok) {
    await Deno.remove(temp).catch(() => {});
    if (res.out === `${cc}: not found`) {
      throw new Error(`Cannot build the native shim: no C compiler ('${cc}'); install gcc`);
    }
    throw new Error(explainCompilerError(res.out));
  }
  // Rename over the old library so a process that has it loaded keeps its copy.
  await Deno.rename(temp, library);
  return waylandMissing ? { library, built: true, waylandMissing } : { library, built: true };
}

if (import.meta.main) {
  const args = new Set(Deno.args);
  for (const arg of args) {
    if (arg !== "--if-stale" && arg !== "--quiet") {
      console.error(`Unknown option '${arg}': use --if-stale and/or --quiet`);
      Deno.exit(2);
    }
  }
  try {
    const result = await buildNative({ ifStale: args.has("--if-stale") });
    if (!args.has("--quiet")) {
      console.error(
        result.built ? `built ${result.library}` : `${result.library} is up to date`,
      );
      if (result.waylandMissing) {
        console.error(`Wayland driver left out: install ${result.waylandMissing}`);
      }
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
