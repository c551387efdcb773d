/**
 * Finding and opening the native shim (`libopendesk`), shared by every
 * driver that has C code. The library holds every driver of its OS (see
 * `od_library_drivers`); each driver opens it with its own symbol table
 * (`drivers/<name>/ffi.ts`), once per process, and the OS loads the file
 * once.
 *
 * @module
 */

/** The symbols every driver's table includes to ask which drivers are compiled in. */
export interface LibrarySymbols extends Deno.ForeignLibraryInterface {
  /** `int od_library_drivers(char *buf, uint32_t cap, uint32_t *len)`. */
  od_library_drivers: {
    readonly parameters: readonly ["buffer", "u32", "buffer"];
    readonly result: "i32";
  };
}

/** File name of the shim on this OS. */
export function nativeLibraryName(): string {
  switch (Deno.build.os) {
    case "darwin":
      return "libopendesk.dylib";
    case "windows":
      return "opendesk.dll";
    default:
      return "libopendesk.so";
  }
}

/**
 * A `file:` URL as a path of the OS: on Windows `file:///C:/x/y` is `C:\x\y`, not `/C:/x/y`.
 *
 * @param url The file URL.
 * @param os The operating system. @default Deno.build.os
 */
export function filePathOf(url: URL, os: string = Deno.build.os): string {
  const path = decodeURIComponent(url.pathname);
  if (os !== "windows") return path;
  return path.replace(/^\/([A-Za-z]:)/, "$1").replaceAll("/", "\\");
}

const DLL_SEARCH = "the Windows DLL search order";

/** The places {@linkcode openNativeLibrary} looks, in order, each with how it was chosen. */
export function nativeLibraryCandidates(): Array<{ path: string; source: string }> {
  const name = nativeLibraryName();
  const out: Array<{ path: string; source: string }> = [];
  const fromEnv = Deno.env.get("OPENDESK_NATIVE_LIB");
  if (fromEnv) out.push({ path: fromEnv, source: "OPENDESK_NATIVE_LIB" });
  const exe = Deno.execPath();
  const exeDir = exe.slice(0, Math.max(exe.lastIndexOf("/"), exe.lastIndexOf("\\")));
  out.push({ path: `${exeDir}/${name}`, source: "next to the executable" });
  const build = new URL(`../../../build/native/${name}`, import.meta.url);
  if (build.protocol === "file:") out.push({ path: filePathOf(build), source: "the build folder" });
  // Last, by bare name: Windows then searches the executable's folder, the system folders and
  // PATH (a DLL installed beside other programs).
  if (Deno.build.os === "windows") out.push({ path: name, source: DLL_SEARCH });
  return out;
}

const opened = new Map<Deno.ForeignLibraryInterface, Deno.DynamicLibrary<never>>();

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable;
}

/**
 * Opens the shim with a driver's symbol table, once per table and process:
 * from `$OPENDESK_NATIVE_LIB`, else next to the executable, else from
 * `build/native/` in the source tree (or the folder `deno compile` embedded it in), and on
 * Windows finally by name through the system's DLL search.
 *
 * @param symbols The driver's symbol table.
 * @returns The opened library.
 * @throws {Deno.errors.PermissionDenied | Deno.errors.NotCapable} Untouched, without `--allow-ffi`.
 * @throws {Error} Listing every place looked at when no library could be opened.
 */
export function openNativeLibrary<S extends Deno.ForeignLibraryInterface>(
  symbols: S,
): Deno.DynamicLibrary<S> {
  const cached = opened.get(symbols);
  if (cached) return cached as unknown as Deno.DynamicLibrary<S>;
  const tried: string[] = [];
  for (const { path, source } of nativeLibraryCandidates()) {
    // The bare name is for the system's loader to find; there is no file to look at first.
    let exists = source === DLL_SEARCH;
    try {
      exists ||= Deno.statSync(path).isFile;
    } catch (error) {
      if (isPermissionError(error)) throw error;
    }
    if (!exists) {
      tried.push(`${path} (${source}): not found`);
      continue;
    }
    try {
      const lib = Deno.dlopen(path, symbols);
      opened.set(symbols, lib as unknown as Deno.DynamicLibrary<never>);
      return lib;
    } catch (error) {
      if (isPermissionError(error)) throw error;
      tried.push(`${path} (${source}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    `Cannot load the opendesk native library: looked in ${tried.join("; ")}. ` +
      `Build it with \`deno run -A scripts/build_native.ts\` or set OPENDESK_NATIVE_LIB`,
  );
}

/**
 * The drivers the opened library was built with, as `od_library_drivers`
 * names them (`["x11"]`, `["x11", "wayland"]`).
 *
 * @param lib A library opened with a table that includes `od_library_drivers`.
 * @returns The driver names; empty when the call fails.
 */
export function compiledDrivers(
  lib: Pick<Deno.DynamicLibrary<LibrarySymbols>, "symbols">,
): string[] {
  const buf = new Uint8Array(256);
  const len = new Uint32Array(1);
  if (lib.symbols.od_library_drivers(buf, buf.length, len) !== 0) return [];
  return new TextDecoder().decode(buf.subarray(0, len[0])).split("\n").filter((d) => d !== "");
}
