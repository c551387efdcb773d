/**
 * The generated part of the Wayland driver's build: C code and headers for the protocols the
 * driver speaks, made by `wayland-scanner` from the interface definitions in
 * `native/src/wayland/protocols/` (wlroots' protocols, which Debian does not ship) and from
 * Debian's wayland-protocols (xdg-output).
 *
 * @module
 */

type Runner = (cmd: string, args: string[]) => Promise<{ ok: boolean; out: string }>;

/** Generated sources to compile and the include path of their headers, or what is missing. */
export type GeneratedParts = { sources: string[]; cflags: string[] } | { missing: string };

/** Definition files whose change makes the library stale. */
export function waylandProtocolFiles(root: string): string[] {
  const dir = `${root}/native/src/wayland/protocols`;
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".xml"))
      .map((e) => `${dir}/${e.name}`).sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Runs wayland-scanner over every protocol the driver uses, into `outDir/wayland-protocols`. */
export async function generateWaylandProtocols(
  root: string,
  outDir: string,
  run: Runner,
): Promise<GeneratedParts> {
  if (!(await run("wayland-scanner", ["--version"])).ok) {
    return { missing: "install the Debian package libwayland-bin (wayland-scanner)" };
  }
  const data = await run("pkg-config", ["--variable=pkgdatadir", "wayland-protocols"]);
  const xdgOutput = `${data.out.trim()}/unstable/xdg-output/xdg-output-unstable-v1.xml`;
  try {
    if (!data.ok) throw new Error(data.out);
    Deno.statSync(xdgOutput);
  } catch {
    return { missing: "install the Debian package wayland-protocols (xdg-output)" };
  }
  const gen = `${outDir}/wayland-protocols`;
  await Deno.mkdir(gen, { recursive: true });
  const sources: string[] = [];
  for (const xml of [...waylandProtocolFiles(root), xdgOutput]) {
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
  return { sources, cflags: [`-I${gen}`] };
}
