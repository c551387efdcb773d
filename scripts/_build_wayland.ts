/**
 * The Wayland part of the Linux native build: generates the protocol code from the interface
 * definitions in `native/src/wayland/protocols/` (plus xdg-output from Debian's
 * wayland-protocols) with `wayland-scanner`, and lists the sources and flags to add. The X11
 * and Wayland drivers live in one library; the process picks one at run time.
 *
 * @module
 */

/** What the Wayland driver adds to the Linux build. */
export interface WaylandBuildParts {
  /** C files: the driver's own and the generated protocol code. */
  sources: string[];
  /** Compiler flags (include paths of the generated headers and of the libraries). */
  cflags: string[];
  /** Linker flags. */
  libs: string[];
  /** Files whose change makes the library stale (the protocol definitions). */
  inputs: string[];
}

type Runner = (cmd: string, args: string[]) => Promise<{ ok: boolean; out: string }>;

/** pkg-config modules the Wayland driver needs, each with its Debian package. */
const MODULES: ReadonlyArray<readonly [module: string, debian: string]> = [
  ["wayland-client", "libwayland-dev"],
  ["xkbcommon", "libxkbcommon-dev"],
  ["wayland-protocols", "wayland-protocols"],
];

const split = (s: string) => s.trim().split(/\s+/).filter((x) => x.length > 0);

/**
 * Generates the protocol code into `outDir` and returns what to compile, or a reason why the
 * Wayland driver is left out (its development files are missing).
 */
export async function waylandBuildParts(
  root: string,
  outDir: string,
  run: Runner,
): Promise<WaylandBuildParts | { missing: string }> {
  const missing: string[] = [];
  for (const [module, debian] of MODULES) {
    if (!(await run("pkg-config", ["--exists", module])).ok) missing.push(debian);
  }
  if (!(await run("wayland-scanner", ["--version"])).ok) missing.push("libwayland-bin");
  if (missing.length > 0) return { missing: [...new Set(missing)].join(" ") };
  const data = (await run("pkg-config", ["--variable=pkgdatadir", "wayland-protocols"])).out.trim();
  const own = `${root}/native/src/wayland/protocols`;
  const xmls = [
    ...[...Deno.readDirSync(own)].filter((e) => e.name.endsWith(".xml")).map((e) =>
      `${own}/${e.name}`
    ).sort(),
    `${data}/unstable/xdg-output/xdg-output-unstable-v1.xml`,
  ];
  const gen = `${outDir}/wayland-protocols`;
  await Deno.mkdir(gen, { recursive: true });
  const sources: string[] = [];
  for (const xml of xmls) {
    const base = xml.slice(xml.lastIndexOf("/") + 1).replace(/\.xml$/, "");
    const header = await run("wayland-scanner", [
      "client-header",
      xml,
      `${gen}/${base}-client-protocol.h`,
    ]);
    const code = await run("wayland-scanner", ["private-code", xml, `${gen}/${base}-protocol.c`]);
    if (!header.ok || !code.ok) {
      throw new Error(
        `Cannot build the native shim: wayland-scanner rejected ${xml}:\n${header.out}${code.out}`,
      );
    }
    sources.push(`${gen}/${base}-protocol.c`);
  }
  for (const entry of Deno.readDirSync(`${root}/native/src/wayland`)) {
    if (entry.isFile && entry.name.endsWith(".c")) {
      sources.push(`${root}/native/src/wayland/${entry.name}`);
    }
  }
  const cflags = await run("pkg-config", ["--cflags", "wayland-client", "xkbcommon"]);
  const libs = await run("pkg-config", ["--libs", "wayland-client", "xkbcommon"]);
  return {
    sources: sources.sort(),
    cflags: [`-I${gen}`, ...split(cflags.out)],
    libs: split(libs.out),
    inputs: xmls.filter((x) => x.startsWith(own)),
  };
}
