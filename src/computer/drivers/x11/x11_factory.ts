/**
 * `x11Factory`: the X11 driver as the registry lists it. It is available on
 * Linux when `DISPLAY` names a display and the native library was built with
 * the x11 driver; it can also host a private desktop for
 * `serve --virtual-display` (Xvfb with its own session bus, AT-SPI and, on
 * request, a window manager: `virtual_session.ts`).
 *
 * @module
 */

import type {
  DriverAvailability,
  DriverFactory,
  EnvLookup,
  VirtualDesktop,
  VirtualDesktopOptions,
} from "../desktop_driver.ts";
import { libraryDrivers, loadNative } from "./ffi.ts";
import { enterVirtualSession, startVirtualSession } from "./virtual_session.ts";
import { X11Driver } from "./x11_driver.ts";

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable;
}

/** Whether X11 can work with this environment, and why not when it cannot. */
function availability(env: EnvLookup): DriverAvailability {
  if (Deno.build.os !== "linux") {
    return { available: false, reason: `X11 is driven on Linux only, this is '${Deno.build.os}'` };
  }
  if ((env("DISPLAY") ?? "") === "") {
    return {
      available: false,
      reason: "no X display (DISPLAY is not set); start `opendesk serve` inside a desktop " +
        "session or with `--virtual-display 1920x1080`",
    };
  }
  try {
    if (!libraryDrivers(loadNative()).includes("x11")) {
      return { available: false, reason: "the native library was built without the x11 driver" };
    }
  } catch (error) {
    if (isPermissionError(error)) throw error;
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  return { available: true };
}

/** The X11 driver's registry entry. */
export const x11Factory: DriverFactory = {
  name: "x11",
  automatic: true,
  available: (env) => Promise.resolve().then(() => availability(env)),
  open: ({ backend, env, session }) =>
    X11Driver.open({
      display: env("DISPLAY") ?? "",
      sessionBusAddress: env("DBUS_SESSION_BUS_ADDRESS") ?? "",
      ...(session === undefined ? {} : { sessionEnv: { ...session } }),
      backend,
    }),
  async startVirtualDesktop(options: VirtualDesktopOptions): Promise<VirtualDesktop> {
    const session = await startVirtualSession({
      width: options.width,
      height: options.height,
      ...(options.wm === undefined ? {} : { wm: options.wm }),
    });
    return {
      env: session.sessionEnv,
      description: `virtual display ${session.display} (${session.width}x${session.height})`,
      notes: session.notes,
      enter: () => enterVirtualSession(session),
      stop: () => session.stop(),
    };
  },
};
