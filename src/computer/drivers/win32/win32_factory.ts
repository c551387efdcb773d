/**
 * `win32Factory`: the Windows driver as the registry lists it. It is available on Windows when
 * `opendesk.dll` (next to the executable, embedded by `deno compile`, or `$OPENDESK_NATIVE_LIB`)
 * opens with the Windows symbol table and says it holds the win32 driver.
 *
 * @module
 */

import type { DriverAvailability, DriverFactory } from "../desktop_driver.ts";
import { compiledDrivers, openNativeLibrary } from "../native_library.ts";
import { type Win32Library, win32Symbols } from "./ffi_symbols.ts";
import { Win32Driver } from "./win32_driver.ts";

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable;
}

/** Opens `opendesk.dll` with the Windows symbol table (once per process). */
export function loadWin32(): Win32Library {
  return openNativeLibrary(win32Symbols);
}

/**
 * Whether the Windows driver can run here, and why not.
 *
 * @param os The operating system (`Deno.build.os`; a parameter for the tests).
 * @param load Opens the DLL (a parameter for the tests).
 */
export function win32Availability(
  os: string = Deno.build.os,
  load: () => Pick<Win32Library, "symbols"> = loadWin32,
): DriverAvailability {
  if (os !== "windows") {
    return { available: false, reason: `the Windows driver runs on Windows only, this is '${os}'` };
  }
  let drivers: string[];
  try {
    drivers = compiledDrivers(load());
  } catch (error) {
    if (isPermissionError(error)) throw error;
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!drivers.includes("win32")) {
    return {
      available: false,
      reason: `the native library holds the drivers [${drivers.join(", ")}], not win32: ` +
        "use the opendesk.dll built by `deno run -A scripts/build_native.ts --target windows`",
    };
  }
  return { available: true };
}

/** The Windows driver's registry entry. */
export const win32Factory: DriverFactory = {
  name: "win32",
  automatic: true,
  available: () => Promise.resolve().then(() => win32Availability()),
  open: ({ backend }) => Win32Driver.open({ library: loadWin32(), backend }),
};
