/**
 * `waylandFactory`: the Wayland driver as the registry lists it. It is
 * available on Linux when `WAYLAND_DISPLAY` names a compositor, the native
 * library holds the wayland driver, and the compositor offers the protocols
 * capture and input need (screencopy, virtual pointer, virtual keyboard);
 * otherwise the reason names what is missing. It is listed before X11, so a
 * Wayland session (where XWayland also sets `DISPLAY`) is driven natively.
 *
 * @module
 */

import type { DriverAvailability, DriverFactory, EnvLookup } from "../desktop_driver.ts";
import { hasWaylandDriver, type WAYLAND_FEATURE, WAYLAND_PROTOCOL_NAMES } from "./ffi.ts";
import { WaylandConnection } from "./wayland_connection.ts";
import { WaylandDriver } from "./wayland_driver.ts";

/** The protocols without which the driver is not offered. */
export const REQUIRED_PROTOCOLS: ReadonlyArray<keyof typeof WAYLAND_FEATURE> = [
  "SCREENCOPY",
  "VIRTUAL_POINTER",
  "VIRTUAL_KEYBOARD",
];

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable;
}

/** Whether the Wayland driver can work with this environment, and why not when it cannot. */
export async function waylandAvailability(env: EnvLookup): Promise<DriverAvailability> {
  if (Deno.build.os !== "linux") {
    return {
      available: false,
      reason: `Wayland is driven on Linux only, this is '${Deno.build.os}'`,
    };
  }
  const display = env("WAYLAND_DISPLAY") ?? "";
  if (display === "") {
    return { available: false, reason: "no Wayland session (WAYLAND_DISPLAY is not set)" };
  }
  let conn: WaylandConnection;
  try {
    if (!hasWaylandDriver()) {
      return {
        available: false,
        reason: "the native library was built without the wayland driver (it needs " +
          "libwayland-dev, libxkbcommon-dev and wayland-protocols at build time)",
      };
    }
    conn = await WaylandConnection.open(display);
  } catch (error) {
    if (isPermissionError(error)) throw error;
    return {
      available: false,
      reason: `cannot connect to the compositor at WAYLAND_DISPLAY=${display}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    };
  }
  try {
    const missing = REQUIRED_PROTOCOLS.filter((p) => !conn.has(p));
    if (missing.length > 0) {
      return {
        available: false,
        reason: `the compositor at WAYLAND_DISPLAY=${display} lacks ${
          missing.map((p) => WAYLAND_PROTOCOL_NAMES[p]).join(", ")
        } (wlroots compositors such as sway offer them; GNOME and KDE need the ` +
          "xdg-desktop-portal route, which this build does not have)",
      };
    }
    return {
      available: true,
      detail: `the compositor at WAYLAND_DISPLAY=${display} offers ${
        REQUIRED_PROTOCOLS.map((p) => WAYLAND_PROTOCOL_NAMES[p]).join(", ")
      }`,
    };
  } finally {
    await conn.close();
  }
}

/** The Wayland driver's registry entry. */
export const waylandFactory: DriverFactory = {
  name: "wayland",
  automatic: true,
  available: waylandAvailability,
  open: ({ backend, env }) => {
    const display = env("WAYLAND_DISPLAY") ?? "";
    return WaylandDriver.open({
      display,
      sessionBusAddress: env("DBUS_SESSION_BUS_ADDRESS") ?? "",
      env: { ...Deno.env.toObject(), ...(display ? { WAYLAND_DISPLAY: display } : {}) },
      backend,
    });
  },
};
