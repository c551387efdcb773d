/**
 * Cross-compiles the Windows shim, `build/native/opendesk.dll`, on Linux with mingw-w64
 * (`x86_64-w64-mingw32-gcc`, Debian package `gcc-mingw-w64-x86-64`): every `.c` file under
 * `native/src/common/` except `jpeg.c` (libjpeg-turbo has no mingw build here; the Windows
 * Imaging Component encodes JPEG instead, `native/src/win32/jpeg_wic.c`) and every `.c` file
 * under `native/src/win32/`. zlib (`libz-mingw-w64-dev`) and the POSIX thread layer are linked
 * statically, so the DLL needs only system DLLs that every Windows 10/11 has.
 *
 * Used by `scripts/build_native.ts --target windows` and by the Wine tests.
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The cross compiler, overridable for other mingw installations. */
export const MINGW_CC = Deno.env.get("MINGW_CC") ?? "x86_64-w64-mingw32-gcc";

/** Windows import libraries the shim calls into (all ship with Windows). */
const WINDOWS_LIBS = [
  "-luser32",
  "-lgdi32",
  "-ld3d11",
  "-ldxgi",
  "-ldwmapi",
  "-lole32",
  "-loleaut32",
  "-luuid",
  "-lwindowscodecs",
  "-lshell32",
];

/** The drivers the DLL holds, in `od_library_drivers` order. */
const DRIVERS = ["win32"];

/** Compiler flags shared by the DLL and the C programs that test it. */
export const WINDOWS_CFLAGS = [
  "-O2",
  "-std=gnu11",
  "-Wall",
  "-Wextra",
  "-Wno-unused-parameter",
  // The common code's "%zu" is right with mingw's C99 printf (selected below), but GCC checks
  // format attributes against Microsoft's printf on this target; the win32 files declare their
  // own formatters gnu_printf.
  "-Wno-format",
  "-D__USE_MINGW_ANSI_STDIO=1",
  "-D_WIN32_WINNT=0x0A00",
  "-DWINVER=0x0A00",
  `-I${ROOT}/native/include`,
];

/** Result of {@linkcode buildWindows}. */
export interface BuildWindowsResult {
  /** Absolute path of `opendesk.dll`. */
  library: string;
  /** False when `ifStale` found the DLL up to date. */
  built: boolean;
  /** The drivers in it (`od_library_drivers`): always `["win32"]`. */
  drivers: string[];
  /** Drivers left out, for the same report as the Linux build: none. */
  skipped: { driver: string; reason: string }[];
}

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && (entry.name.endsWith(".c") || entry.name.endsWith(".h"))) {
      out.push(`${dir}/${entry.name}`);
    }
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

/**
 * Builds `build/native/opendesk.dll`.
 *
 * @throws {Error} When mingw-w64 or its zlib is missing, or compilation fails (with the
 * compiler's output and the Debian packages to install).
 */
export async function buildWindows(options: { ifStale?: boolean } = {}): Promise<
  BuildWindowsResult
> {
  const common = (await sources(`${ROOT}/native/src/common`))
    .filter((f) => !f.endsWith("/jpeg.c"));
  const win32 = await sources(`${ROOT}/native/src/win32`);
  const outDir = `${ROOT}/build/native`;
  const library = `${outDir}/opendesk.dll`;
  const inputs = [
    ...common,
    ...win32,
    `${ROOT}/native/include/opendesk.h`,
    new URL(import.meta.url).pathname,
  ];
  if (options.ifStale) {
    const newest = Math.max(...await Promise.all(inputs.map(mtime)));
    const built = await mtime(library);
    if (built > 0 && built >= newest) {
      return { library, built: false, drivers: DRIVERS, skipped: [] };
    }
  }
  await Deno.mkdir(outDir, { recursive: true });
  // The DLL records its own file name as the name programs import it by: build it under its
  // final name in a private folder, then move it into place.
  const tempDir = await Deno.makeTempDir({ dir: outDir, prefix: ".opendesk-dll-" });
  const temp = `${tempDir}/opendesk.dll`;
  const args = [
    ...WINDOWS_CFLAGS,
    "-shared",
    // od_library_drivers names the one driver of this library.
    `-DOD_DRIVERS="${DRIVERS.map((d) => `${d}\\n`).join("")}"`,
    "-include",
    `${ROOT}/native/src/win32/_posix_compat.h`,
    "-o",
    temp,
    ...[...common, ...win32].filter((f) => f.endsWith(".c")),
    "-s", // no debug symbols: 870 KB -> about 300 KB
    "-static-libgcc",
    "-Wl,-Bstatic",
    "-lz",
    "-lwinpthread",
    "-Wl,-Bdynamic",
    ...WINDOWS_LIBS,
  ];
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(MINGW_CC, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot build opendesk.dll: no mingw-w64 compiler ('${MINGW_CC}'); install the Debian ` +
          `packages gcc-mingw-w64-x86-64 and libz-mingw-w64-dev`,
      );
    }
    throw error;
  }
  if (!out.success) {
    await Deno.remove(tempDir, { recursive: true }).catch(() => {});
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    const hint = /cannot find -lz|zlib\.h/.test(text)
      ? " (install the Debian package libz-mingw-w64-dev)"
      : "";
    throw new Error(`Cannot build opendesk.dll: the compiler failed${hint}:\n${text.trim()}`);
  }
  await Deno.rename(temp, library);
  await Deno.remove(tempDir, { recursive: true }).catch(() => {});
  return { library, built: true, drivers: DRIVERS, skipped: [] };
}
