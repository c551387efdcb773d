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
import type {
  CaptureParamsInit,
  SubscribeDisplayParamsInit,
  UiActionParamsInit,
  UiTreeParamsInit,
} from "../methods/params.ts";
import type { CallOptions } from "../computer.ts";
import type { CapabilityAbsences } from "../capability_absences.ts";
import type { Capability } from "../types/capability.ts";
import type { ClipboardContents } from "../types/clipboard.ts";
import type { Color, Display, DisplayFrame, Pixmap } from "../types/display.ts";
import type { Point, Rect } from "../types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../types/input.ts";
import type { Notification } from "../types/notification.ts";
import type { UIElement } from "../types/ui_element.ts";
import type { Window } from "../types/window.ts";

/**
 * The desktop methods: what a driver implements and what `Computer` offers
 * besides the host services. Adding one means: declare it here, list it in
 * {@linkcode DESKTOP_METHODS}, define its wire method in the method table,
 * and implement it in each driver.
 */
export interface DesktopMethods {
  /** Monitors (`display.displays`). Needs `display.capture`. */
  displays(options?: CallOptions): Promise<Display[]>;
  /** One screenshot (`display.capture`). Needs `display.capture`. */
  capture(params?: CaptureParamsInit, options?: CallOptions): Promise<Pixmap>;
  /** The colour at a logical point of the desktop (`display.pixel`). Needs `display.capture`. */
  pixel(point: Point, options?: CallOptions): Promise<Color>;
  /** Pointer position in logical pixels (`display.cursor_position`). Needs `input.pointer`. */
  cursorPosition(options?: CallOptions): Promise<Point>;
  /** Live frames until the signal aborts or the consumer stops (`display.subscribe`). */
  subscribeDisplay(
    params?: SubscribeDisplayParamsInit,
    options?: CallOptions,
  ): AsyncIterable<DisplayFrame>;

  /** Injects one pointer event (`input.pointer`). */
  pointer(event: PointerEvent, options?: CallOptions): Promise<void>;
  /** Injects one key event (`input.key`); modifier keysyms map to real modifier keys. */
  key(event: KeyEvent, options?: CallOptions): Promise<void>;
  /** Types text (`input.text`). */
  text(input: TextInput, options?: CallOptions): Promise<void>;
  /** The user's input events as they happen (`input.subscribe`). */
  subscribeInput(options?: CallOptions): AsyncIterable<InputEvent>;

  /** Top-level windows (`windows.list`). */
  windows(options?: CallOptions): Promise<Window[]>;
  /** The focused window, or null (`windows.focused`). */
  focusedWindow(options?: CallOptions): Promise<Window | null>;
  /** Focuses a window (`windows.focus`). */
  focusWindow(windowId: string, options?: CallOptions): Promise<void>;
  /** Closes a window (`windows.close`). */
  closeWindow(windowId: string, options?: CallOptions): Promise<void>;
  /** Moves and resizes a window to logical `bounds` (`windows.move`). */
  moveWindow(windowId: string, bounds: Rect, options?: CallOptions): Promise<void>;

  /** Starts an app by name (`apps.open`). */
  openApp(name: string, options?: CallOptions): Promise<void>;
  /** Quits an app (`apps.close`). */
  closeApp(name: string, options?: CallOptions): Promise<void>;
  /** Brings an app to the front (`apps.focus`). */
  focusApp(name: string, options?: CallOptions): Promise<void>;
  /** Display names of the running, visible apps (`apps.list`). */
  listApps(options?: CallOptions): Promise<string[]>;

  /** The accessibility tree of a window or app, else the focused window (`ui.tree`). */
  uiTree(params?: UiTreeParamsInit, options?: CallOptions): Promise<UIElement>;
  /** Performs an accessibility action on an element (`ui.action`, alias `ui.perform`). */
  performUiAction(params: UiActionParamsInit, options?: CallOptions): Promise<void>;

  /** The clipboard's entries (`clipboard.read`). */
  clipboardRead(options?: CallOptions): Promise<ClipboardContents>;
  /** Replaces the clipboard (`clipboard.write`). */
  clipboardWrite(contents: ClipboardContents, options?: CallOptions): Promise<void>;

  /** Locks the screen (`power.lock`, alias `system.lock`). */
  lockScreen(options?: CallOptions): Promise<void>;
  /** Recent notifications (`notifications.list`). */
  notifications(options?: CallOptions): Promise<Notification[]>;
}

/** How `HostComputer` forwards one desktop method to the driver. */
export interface DesktopMethodInfo {
  /** The capability it needs (named when there is no driver). */
  readonly capability: Capability;
  /** True for streams (async iterables) rather than promises. */
  readonly stream: boolean;
}

const unary = (capability: Capability): DesktopMethodInfo => ({ capability, stream: false });
const stream = (capability: Capability): DesktopMethodInfo => ({ capability, stream: true });

/** Every desktop method with the capability it needs. */
export const DESKTOP_METHODS: Readonly<Record<keyof DesktopMethods, DesktopMethodInfo>> = {
  displays: unary("display.capture"),
  capture: unary("display.capture"),
  pixel: unary("display.capture"),
  cursorPosition: unary("input.pointer"),
  subscribeDisplay: stream("display.stream"),
  pointer: unary("input.pointer"),
  key: unary("input.keyboard"),
  text: unary("input.text"),
  subscribeInput: stream("input.pointer"),
  windows: unary("windows.list"),
  focusedWindow: unary("windows.list"),
  focusWindow: unary("windows.manipulate"),
  closeWindow: unary("windows.manipulate"),
  moveWindow: unary("windows.manipulate"),
  openApp: unary("app.lifecycle"),
  closeApp: unary("app.lifecycle"),
  focusApp: unary("app.lifecycle"),
  listApps: unary("app.lifecycle"),
  uiTree: unary("ui.tree"),
  performUiAction: unary("ui.actions"),
  clipboardRead: unary("clipboard.read"),
  clipboardWrite: unary("clipboard.write"),
  lockScreen: unary("power.lock"),
  notifications: unary("notifications.list"),
};

/** One open connection to a desktop. */
export interface DesktopDriver extends DesktopMethods {
  /** The driver's name in the registry (`x11`, `fake`, `wayland`, `win32`). */
  readonly name: string;
  /** Desktop capabilities that work now (never host ones such as `fs.read`). */
  capabilities(): Capability[];
  /** Per-capability limits for the manifest, e.g. `{"display.stream": {max_fps: 30}}`. */
  limits(): Record<string, Record<string, unknown>>;
  /**
   * Why each desktop capability this driver lacks is absent, with what to
   * install or run (keys may also name methods that cannot work although
   * their capability is advertised, e.g. `input.subscribe`). Capabilities
   * without a reason here get a generic one.
   */
  absences(): CapabilityAbsences;
  /**
   * Variables every command started for a controller gets so that it reaches
   * this desktop (its display, session bus, runtime directory). A request's
   * own `env` wins over them.
   */
  childEnv(): Readonly<Record<string, string>>;
  /** Releases the desktop connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Environment variable naming the directory for the output of apps a driver
 * starts (`apps.open`), set by `opendesk serve` to `<home>/app-logs`: each
 * app's stdout and stderr are appended to `<dir>/<name>.log` instead of being
 * discarded or reaching the serving terminal, where the approval prompts are.
 */
export const APP_LOG_DIR_ENV = "OPENDESK_APP_LOG_DIR";

/** Whether a driver can run here; when not, a sentence saying why and what to do. */
export type DriverAvailability =
  | {
    readonly available: true;
    /** What makes it usable, for `serve`'s message (`compositor wayland-1 offers …`). */
    readonly detail?: string;
  }
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
  /**
   * The variables of a private session the driver serves (a virtual desktop's
   * `env`), which commands and apps started for a controller get.
   * @default none beyond what the driver reads from `env`
   */
  readonly session?: Readonly<Record<string, string>>;
}

/** Options of {@linkcode DriverFactory.startVirtualDesktop}. */
export interface VirtualDesktopOptions {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Also run a window manager there (`serve --wm`). @default false */
  readonly wm?: boolean;
}

/** A virtual desktop a driver started for `serve --virtual-display`. */
export interface VirtualDesktop {
  /** Environment variables that point a driver (and launched apps) at it. */
  readonly env: Readonly<Record<string, string>>;
  /** For people: `virtual display :99 (1920x1080)`. */
  readonly description: string;
  /** What could not be started there and what to install, one sentence each. */
  readonly notes: readonly string[];
  /**
   * Makes this process part of the desktop's session: the outer session's
   * variables are replaced by the desktop's own, so that everything started
   * from here (and the native library's own look-ups) reaches only it.
   */
  enter(): void;
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
  startVirtualDesktop?(options: VirtualDesktopOptions): Promise<VirtualDesktop>;
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
