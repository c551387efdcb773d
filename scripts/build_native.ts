/**
 * Builds the native shim (`native/`) into `build/native/` with the system C
 * compiler: one library per OS holding the shared code (`native/src/common/`)
 * and every driver of that OS (`native/src/<driver>/`: x11 and wayland on
 * Linux, win32 on Windows) whose sources exist and whose pkg-config modules are
 * installed. The library names its drivers through `od_library_drivers`, and
 * the TypeScript driver registry chooses one at run time.
 *
 * Usage: `deno run -A scripts/build_native.ts [--if-stale] [--quiet] [--target windows]`
 *   --if-stale  rebuild only when a source, header or this script is newer
 *               than the library (what `scripts/setup.sh` runs)
 *   --quiet     print nothing on success
 *   --target windows  cross-compile `build/native/opendesk.dll` with mingw-w64
 *               (see `scripts/_build_windows.ts`)
 * Environment: `CC` (default `cc`), `CFLAGS` (appended).
 *
 * @module
 */

import { generateWaylandProtocols, waylandProtocolFiles } from "./_build_wayland.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** One driver's sources and the system libraries it needs. */
interface DriverTarget {
  /** Driver name, as the TypeScript registry knows it; sources live in `native/src/<name>/`. */
  readonly name: string;
  /** pkg-config modules the driver cannot build without, each with its Debian package. */
  readonly required: ReadonlyArray<readonly [module: string, debian: string]>;
  /** pkg-config modules used when present. */
  readonly optional: ReadonlyArray<readonly [module: string, debian: string]>;
  /** Link flags when pkg-config itself is missing (or for libraries without a .pc file). */
  readonly fallbackLibs: readonly string[];
  /** Generates more sources into the build folder (Wayland protocol code), or says what is missing. */
  readonly generate?: (
    outDir: string,
  ) => Promise<{ sources: string[]; cflags: string[] } | { missing: string }>;
}

/** One library per OS, holding every driver that OS can have; the registry picks one at run time. */
interface OsTarget {
  readonly library: string;
  readonly drivers: readonly DriverTarget[];
}

/** Libraries every driver's shared code (encoders) needs. */
const COMMON_MODULES: ReadonlyArray<readonly [module: string, debian: string]> = [
  ["zlib", "zlib1g-dev"],
  ["libjpeg", "libjpeg62-turbo-dev"],
];
const COMMON_FALLBACK_LIBS = ["-lz", "-ljpeg"];

const X11_DRIVER: DriverTarget = {
  name: "x11",
  required: [
    ["x11", "libx11-dev"],
    ["xext", "libxext-dev"],
    ["xtst", "libxtst-dev"],
    ["xfixes", "libxfixes-dev"],
    ["xrandr", "libxrandr-dev"],
    ["xdamage", "libxdamage-dev"],
    ["xi", "libxi-dev"],
    ["xcb", "libxcb1-dev"],
  ],
  // The accessibility walker speaks D-Bus itself; these give the AT-SPI headers (enum constants).
  optional: [
    ["atspi-2", "libatspi2.0-dev"],
    ["gobject-2.0", "libglib2.0-dev"],
  ],
  fallbackLibs: ["-lX11", "-lXext", "-lXtst", "-lXfixes", "-lXrandr", "-lXdamage", "-lXi", "-lxcb"],
};

const WAYLAND_DRIVER: DriverTarget = {
  name: "wayland",
  required: [
    ["wayland-client", "libwayland-dev"],
    ["xkbcommon", "libxkbcommon-dev"],
    ["wayland-protocols", "wayland-protocols"],
  ],
  optional: [],
  fallbackLibs: [],
  generate: (outDir) => generateWaylandProtocols(ROOT, outDir, run),
};

const WIN32_DRIVER: DriverTarget = {
  name: "win32",
  required: [],
  optional: [],
  fallbackLibs: ["-lgdi32", "-luser32"],
};

/** The one place that maps an OS to its library and its drivers (in the registry's order). */
const os = Deno.build.os;
const OS_TARGETS: Record<string, OsTarget | undefined> = {
  linux: { library: "libopendesk.so", drivers: [X11_DRIVER, WAYLAND_DRIVER] },
  darwin: { library: "libopendesk.dylib", drivers: [] },
  windows: { library: "opendesk.dll", drivers: [WIN32_DRIVER] },
};

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
  /** Drivers compiled in (what `od_library_drivers` reports). Empty when `built` is false. */
  drivers: string[];
  /** Drivers left out, each with the reason (no sources yet, or missing packages). */
  skipped: { driver: string; reason: string }[];
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

const split = (text: string): string[] => text.trim().split(/\s+/).filter((x) => x.length > 0);

/** Debian packages of the modules pkg-config does not find. */
async function missingModules(
  modules: ReadonlyArray<readonly [module: string, debian: string]>,
): Promise<string[]> {
  const missing: string[] = [];
  for (const [module, debian] of modules) {
    if (!(await run("pkg-config", ["--exists", module])).ok) missing.push(debian);
  }
  return missing;
}

/** Compiler and linker flags for these pkg-config modules. */
async function moduleFlags(modules: string[]): Promise<{ cflags: string[]; libs: string[] }> {
  if (modules.length === 0) return { cflags: [], libs: [] };
  const cflags = await run("pkg-config", ["--cflags", ...modules]);
  const libs = await run("pkg-config", ["--libs", ...modules]);
  return { cflags: split(cflags.out), libs: split(libs.out) };
}

/** What one driver adds to the build, or why it is left out. */
type DriverPlan =
  | { ok: true; sources: string[]; modules: string[]; fallbackLibs: readonly string[] }
  | { ok: false; reason: string };

async function planDriver(driver: DriverTarget, hasPkgConfig: boolean): Promise<DriverPlan> {
  const sources = await listFiles(`${ROOT}/native/src/${driver.name}`, [".c"]);
  if (sources.length === 0) {
    return { ok: false, reason: `native/src/${driver.name}/ has no C sources` };
  }
  if (!hasPkgConfig) return { ok: true, sources, modules: [], fallbackLibs: driver.fallbackLibs };
  const missing = await missingModules(driver.required);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `development files are missing; install the Debian packages: ${missing.join(" ")}`,
    };
  }
  const modules = driver.required.map(([m]) => m);
  for (const [module] of driver.optional) {
    if ((await run("pkg-config", ["--exists", module])).ok) modules.push(module);
  }
  // Libraries without a .pc file (Windows system libraries) are linked by name.
  const fallbackLibs = driver.required.length === 0 ? driver.fallbackLibs : [];
  return { ok: true, sources, modules, fallbackLibs };
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
  const outDir = `${ROOT}/build/native`;
  const library = `${outDir}/${target.library}`;
  const common = await listFiles(`${ROOT}/native/src/common`, [".c"]);
  if (options.ifStale) {
    const inputs = [
      ...common,
      ...(await Promise.all(
        target.drivers.map((d) => listFiles(`${ROOT}/native/src/${d.name}`, [".c"])),
      )).flat(),
      ...await listFiles(`${ROOT}/native`, [".h"]),
      ...waylandProtocolFiles(ROOT),
      new URL(import.meta.url).pathname,
    ];
    const newest = Math.max(...await Promise.all(inputs.map(mtime)));
    const built = await mtime(library);
    if (built > 0 && built >= newest) return { library, built: false, drivers: [], skipped: [] };
  }
  const hasPkgConfig = (await run("pkg-config", ["--version"])).ok;
  if (hasPkgConfig) {
    const missing = await missingModules(COMMON_MODULES);
    if (missing.length > 0) {
      throw new Error(
        `Cannot build the native shim: development files are missing; install the Debian ` +
          `packages: ${missing.join(" ")} (for example \`apt-get install ${missing.join(" ")}\`)`,
      );
    }
  }
  const sources = [...common];
  const modules = hasPkgConfig ? COMMON_MODULES.map(([m]) => m) : [];
  const fallbackLibs = hasPkgConfig ? [] : [...COMMON_FALLBACK_LIBS];
  const drivers: string[] = [];
  const skipped: { driver: string; reason: string }[] = [];
  const generatedFlags: string[] = [];
  for (const driver of target.drivers) {
    const plan = await planDriver(driver, hasPkgConfig);
    if (!plan.ok) {
      skipped.push({ driver: driver.name, reason: plan.reason });
      continue;
    }
    const generated = driver.generate ? await driver.generate(outDir) : undefined;
    if (generated && "missing" in generated) {
      skipped.push({ driver: driver.name, reason: generated.missing });
      continue;
    }
    drivers.push(driver.name);
    sources.push(...plan.sources, ...generated?.sources ?? []);
    generatedFlags.push(...generated?.cflags ?? []);
    modules.push(...plan.modules);
    fallbackLibs.push(...plan.fallbackLibs);
  }
  if (drivers.length === 0) {
    const why = skipped.map((s) => `${s.driver}: ${s.reason}`).join("; ");
    throw new Error(`Cannot build the native shim: no driver can be built for '${os}' (${why})`);
  }
  const { cflags, libs } = await moduleFlags(modules);
  await Deno.mkdir(outDir, { recursive: true });
  const temp = `${library}.${Deno.pid}.tmp`;
  const extra = (Deno.env.get("CFLAGS") ?? "").split(/\s+/).filter((x) => x.length > 0);
  const driverList = drivers.map((d) => `${d}\\n`).join("");
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
    `-DOD_DRIVERS="${driverList}"`,
    ...drivers.map((d) => `-DOD_DRIVER_${d.toUpperCase()}=1`),
    ...cflags,
    ...generatedFlags,
    ...extra,
    "-o",
    temp,
    ...sources,
    ...libs,
    ...fallbackLibs,
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
  return { library, built: true, drivers, skipped };
}

if (import.meta.main) {
  const argv = [...Deno.args];
  const targetAt = argv.indexOf("--target");
  const target = targetAt >= 0 ? argv.splice(targetAt, 2)[1] : undefined;
  if (target !== undefined && target !== "windows") {
    console.error(`Unknown target '${target}': the only cross target is 'windows'`);
    Deno.exit(2);
  }
  const args = new Set(argv);
  for (const arg of args) {
    if (arg !== "--if-stale" && arg !== "--quiet") {
      console.error(`Unknown option '${arg}': use --if-stale, --quiet and/or --target windows`);
      Deno.exit(2);
    }
  }
  try {
    const ifStale = args.has("--if-stale");
    const result = target === "windows"
      ? await (await import("./_build_windows.ts")).buildWindows({ ifStale })
      : await buildNative({ ifStale });
    if (!args.has("--quiet")) {
      console.error(
        result.built
          ? `built ${result.library} with drivers: ${result.drivers.join(", ")}`
          : `${result.library} is up to date`,
      );
      for (const { driver, reason } of result.skipped) {
        console.error(`driver ${driver} left out: ${reason}`);
      }
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
