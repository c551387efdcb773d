/**
 * `x11Factory`: the X11 driver as the registry lists it. It is available on
 * Linux when `DISPLAY` names a display and the native library was built with
 * the x11 driver; it can also host a private desktop (Xvfb) for
 * `serve --virtual-display`.
 *
 * @module
 */

import type {
  DriverAvailability,
  DriverFactory,
  EnvLookup,
  VirtualDesktop,
} from "../desktop_driver.ts";
import { libraryDrivers, loadNative } from "./ffi.ts";
import { startVirtualDisplay } from "./virtual_display.ts";
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
  open: ({ backend, env }) =>
    X11Driver.open({
      display: env("DISPLAY") ?? "",
      sessionBusAddress: env("DBUS_SESSION_BUS_ADDRESS") ?? "",
      backend,
    }),
  async startVirtualDesktop(size): Promise<VirtualDesktop> {
    const xvfb = await startVirtualDisplay(size).catch((error: Error) => {
      throw new Error(`${error.message}; install Xvfb (Debian: xvfb)`, { cause: error });
    });
    return {
      env: { DISPLAY: xvfb.display },
      description: `virtual display ${xvfb.display} (${xvfb.width}x${xvfb.height})`,
      stop: () => xvfb.stop(),
    };
  },
};
