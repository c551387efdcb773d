/**
 * The FFI symbol table of the Windows shim, `opendesk.dll` (`native/src/win32/`), for the
 * Windows desktop driver. The functions shared with X11 keep the definitions of the one table in
 * `../x11/ffi.ts`; the Windows-only ones (job objects, apps, lock, the desktop origin) are
 * defined here; the Windows status codes (0x30-0x3F) are in `NATIVE_STATUS` with the others.
 * The X11-only input-event reader has no Windows port and is absent.
 *
 * `../native_library.ts` opens the DLL with this table: from `$OPENDESK_NATIVE_LIB`, next to the
 * executable, from the build folder (or the copy `deno compile` embedded for
 * `x86_64-pc-windows-msvc`), and finally by name (`opendesk.dll`) through the Windows DLL search.
 *
 * @module
 */

import { symbols as sharedSymbols } from "../x11/ffi.ts";

/** File name the Windows driver opens. */
export const WIN32_LIBRARY_NAME = "opendesk.dll";

/** OD_FEATURE_WIN_* bits of `od_display_features` on Windows. */
export const WIN32_FEATURE = { DXGI: 1 << 16, PER_MONITOR: 1 << 17 } as const;

/** Flag bits of `od_job_create`. */
export const WIN32_JOB_FLAG = { KILL_ON_CLOSE: 1 } as const;

const {
  od_input_events_open: _eventsOpen,
  od_input_events_wait: _eventsWait,
  od_input_events_close: _eventsClose,
  // AT-SPI only: UI Automation moves the focus through its own actions.
  od_a11y_grab_focus: _grabFocus,
  ...shared
} = sharedSymbols;

/** Every function `opendesk.dll` exports; each parameter commented with its C type. */
export const win32Symbols = {
  ...shared,
  od_display_origin: {
    // od_display *display, int32_t *x, int32_t *y
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  od_session_lock: { parameters: [], result: "i32" },
  od_job_create: {
    // uint32_t flags, od_job **out
    parameters: ["u32", "buffer"],
    result: "i32",
  },
  od_job_destroy: { parameters: ["pointer" /* od_job *job */], result: "i32", nonblocking: true },
  od_job_assign: {
    // od_job *job, uint32_t pid
    parameters: ["pointer", "u32"],
    result: "i32",
  },
  od_job_spawn: {
    // od_job *job, const char *command_line, const char *cwd, uint32_t *pid
    parameters: ["pointer", "buffer", "buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_job_processes: {
    // od_job *job, uint32_t *pids, uint32_t cap, uint32_t *count
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_job_terminate: {
    // od_job *job, uint32_t exit_code
    parameters: ["pointer", "u32"],
    result: "i32",
  },
  od_job_wait: {
    // od_job *job, uint32_t timeout_ms
    parameters: ["pointer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_app_launch: {
    // od_job *job, const char *target, const char *args, uint32_t *pid
    parameters: ["pointer", "buffer", "buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_app_wait_window: {
    // od_job *job, uint32_t timeout_ms, uint32_t *window
    parameters: ["pointer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_app_close: {
    // od_job *job, uint32_t grace_ms, uint32_t *terminated
    parameters: ["pointer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened Windows shim. */
export type Win32Library = Deno.DynamicLibrary<typeof win32Symbols>;
