/**
 * The desktop driver contract: what a platform back end (X11, Wayland,
 * Windows, the in-memory fake) implements so that `opendesk serve` can offer
 * the desktop methods (capture, input, windows, apps, clipboard, UI,
 * notifications, lock, event streams). Files, processes and system facts are
 * host services, written once in `host/host_computer.ts`; a driver never
 * implements them.
 *
 * A driver comes in two parts:
 * - a {@linkcode DriverFactory}, a plain object listed in `registry.ts`, which
 *   says cheaply whether the driver can run here (`available()`, with a
 *   reason when not) and opens it (`open()`);
 * - the {@linkcode DesktopDriver} it opens: one live connection to one desktop.
 *
 * Rules every driver follows (the shared contract tests in
 * `tests/computer/drivers/_driver_contract.ts` check them):
 * - `capabilities()` lists exactly the desktop capabilities that work right
 *   now; every method outside them rejects with `CapabilityUnsupportedError`
 *   (made by {@linkcode unsupported}) naming the capability and the reason.
 *   Never pretend to succeed.
 * - Bad values reject with `RemoteError("invalid_argument", …)`, missing
 *   windows or elements with `RemoteError("not_found", …)`.
 * - Coordinates are logical pixels of the desktop; images are `Pixmap`s.
 * - Long operations and streams stop when `options.signal` aborts.
 * - `close()` releases everything (held keys and buttons too) and may be
 *   called twice.
 * - Only the driver's own folder knows its platform (environment variables
 *   such as `DISPLAY`, libraries, protocols).
 *
 * @module
 */

import { CapabilityUnsupportedError } from "../../protocol/errors.ts";
import type { Computer } from "../computer.ts";
import type { Capability } from "../types/capability.ts";

/** The desktop methods of {@linkcode Computer}: what a driver implements. */
export type DesktopMethods = Pick<
  Computer,
  | "displays"
  | "capture"
  | "cursorPosition"
  | "subscribeDisplay"
  | "pointer"
  | "key"
  | "text"
  | "subscribeInput"
  | "windows"
  | "focusedWindow"
  | "focusWindow"
  | "closeWindow"
  | "moveWindow"
  | "openApp"
  | "closeApp"
  | "focusApp"
  | "listApps"
  | "uiTree"
  | "performUiAction"
  | "clipboardRead"
  | "clipboardWrite"
  | "lockScreen"
  | "notifications"
>;

/** The names of {@linkcode DesktopMethods}, for code that forwards them. */
export const DESKTOP_METHODS: readonly (keyof DesktopMethods)[] = [
  "displays",
  "capture",
  "cursorPosition",
  "subscribeDisplay",
  "pointer",
  "key",
  "text",
  "subscribeInput",
  "windows",
  "focusedWindow",
  "focusWindow",
  "closeWindow",
  "moveWindow",
  "openApp",
  "closeApp",
  "focusApp",
  "listApps",
  "uiTree",
  "performUiAction",
  "clipboardRead",
  "clipboardWrite",
  "lockScreen",
  "notifications",
];

/** One open connection to a desktop. */
export interface DesktopDriver extends DesktopMethods {
  /** The driver's name in the registry (`x11`, `fake`, `wayland`, `win32`). */
  readonly name: string;
  /** Desktop capabilities that work now (never host ones such as `fs.read`). */
  capabilities(): Capability[];
  /** Per-capability limits for the manifest, e.g. `{"display.stream": {max_fps: 30}}`. */
  limits(): Record<string, Record<string, unknown>>;
  /** Releases the desktop connection. Idempotent. */
  close(): Promise<void>;
}

/** Whether a driver can run here; when not, a sentence saying why and what to do. */
export type DriverAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string };

/** Reads one environment variable (`DISPLAY`, `WAYLAND_DISPLAY`, …); undefined when unset. */
export type EnvLookup = (name: string) => string | undefined;

/** Options of {@linkcode DriverFactory.open}. */
export interface DriverOpenOptions {
  /** Backend name for the manifest and for error messages (`local/linux`). */
  readonly backend: string;
  /**
   * The environment the driver reads its connection from (`DISPLAY`,
   * `WAYLAND_DISPLAY`, …); a virtual display adds its own variables here.
   */
  readonly env: EnvLookup;
}

/** A virtual desktop a driver started for `serve --virtual-display`. */
export interface VirtualDesktop {
  /** Environment variables that point a driver (and launched apps) at it. */
  readonly env: Readonly<Record<string, string>>;
  /** For people: `virtual display :99 (1920x1080)`. */
  readonly description: string;
  /** Stops it. Idempotent. */
  stop(): Promise<void>;
}

/** A driver as the registry lists it. */
export interface DriverFactory {
  /** Unique name; `serve --driver NAME` picks it. */
  readonly name: string;
  /**
   * True when start-up may pick it without being asked (false for test
   * doubles such as `fake`, chosen only by name).
   */
  readonly automatic: boolean;
  /** Cheap check (no connection kept) whether `open()` can work with `env`. */
  available(env: EnvLookup): Promise<DriverAvailability>;
  /** Connects. Rejects with an `Error` whose message says what failed. */
  open(options: DriverOpenOptions): Promise<DesktopDriver>;
  /** Starts a private desktop of this size, when the driver can host one. */
  startVirtualDesktop?(size: { width: number; height: number }): Promise<VirtualDesktop>;
}

/**
 * The error for a desktop method the driver cannot serve.
 *
 * @param capability The capability the method needs.
 * @param backend The backend name (`DriverOpenOptions.backend`).
 * @param reason Why, in words (`the X server lacks the XTEST extension`).
 * @returns The error to reject with.
 */
export function unsupported(
  capability: Capability,
  backend: string,
  reason: string,
): CapabilityUnsupportedError {
  return new CapabilityUnsupportedError(
    capability,
    backend,
    `Capability '${capability}' is not supported by backend '${backend}': ${reason}`,
  );
}
