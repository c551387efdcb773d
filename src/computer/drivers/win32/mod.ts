/**
 * The Windows desktop driver: its registry entry (`win32Factory`), the driver (`Win32Driver`)
 * over `opendesk.dll`, the DLL's symbol table, and the job objects that end process trees.
 *
 * @module
 */

export { loadWin32, win32Availability, win32Factory } from "./win32_factory.ts";
export {
  WIN32_NO_INPUT_EVENTS,
  WIN32_NO_NOTIFICATIONS,
  Win32Driver,
  type Win32DriverOptions,
} from "./win32_driver.ts";
export { Win32Apps, type Win32AppsOptions } from "./win32_apps.ts";
export { type JobSymbols, NativeJob } from "./_native_job.ts";
export {
  WIN32_FEATURE,
  WIN32_JOB_FLAG,
  WIN32_LIBRARY_NAME,
  type Win32Library,
  win32Symbols,
} from "./ffi_symbols.ts";
