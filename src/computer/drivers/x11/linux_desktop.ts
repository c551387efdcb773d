/**
 * `LinuxDesktop`: the X11 driver's services besides capture and input, behind
 * one object — windows, apps, clipboard, accessibility tree and actions,
 * input events, notifications and screen lock — opened once, with the
 * capabilities it can honestly offer probed at open. `X11Driver` delegates
 * to it.
 *
 * @module
 */

import { CapabilityUnsupportedError } from "../../../protocol/errors.ts";
import type { UiActionParamsInit, UiTreeParamsInit } from "../../methods/params.ts";
import type { Capability } from "../../types/capability.ts";
import type { ClipboardContents } from "../../types/clipboard.ts";
import type { Rect } from "../../types/geometry.ts";
import type { InputEvent } from "../../types/input.ts";
import type { Notification } from "../../types/notification.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";
import { AtspiTree } from "./atspi_tree.ts";
import { atspiUiAction, atspiUiTree } from "./atspi_methods.ts";
import { InputEventStream } from "./input_event_stream.ts";
import { NotificationMonitor } from "./notification_monitor.ts";
import { type LockerProbe, lockScreen, probeLockers } from "./screen_lock.ts";
import { X11Apps } from "./x11_apps.ts";
import { X11Clipboard } from "./x11_clipboard.ts";
import { parseWindowId, toWindow, X11Windows } from "./x11_windows.ts";

/** Options of {@linkcode LinuxDesktop.open}. */
export interface LinuxDesktopOptions {
  /** X display. @default "" ($DISPLAY) */
  display?: string;
  /** Session bus for AT-SPI and notifications. @default "" (the environment's) */
  sessionBusAddress?: string;
  /** Environment of started apps and lockers. @default Deno.env with DISPLAY set */
  env?: Record<string, string>;
  /** Backend name used in capability errors. @default "local/linux" */
  backend?: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why there is no session bus to use (the rule the shim follows: an explicit
 * address, DBUS_SESSION_BUS_ADDRESS, or `$XDG_RUNTIME_DIR/bus`), or null.
 */
function sessionBusMissing(address: string): string | null {
  if (address !== "" || Deno.env.get("DBUS_SESSION_BUS_ADDRESS")) return null;
  const runtime = Deno.env.get("XDG_RUNTIME_DIR");
  try {
    if (runtime && Deno.statSync(`${runtime}/bus`)) return null;
  } catch {
    // no bus socket there
  }
  return "no session bus (DBUS_SESSION_BUS_ADDRESS is not set and there is no " +
    "$XDG_RUNTIME_DIR/bus): run `opendesk serve` inside the desktop session, or use " +
    "`--virtual-display WxH`, which starts its own bus";
}

/**
 * Windows, apps, clipboard, UI tree, input events, notifications and lock of
 * one X session.
 *
 * @example Usage
 * ```ts ignore
 * import { LinuxDesktop } from "./linux_desktop.ts";
 * const desktop = await LinuxDesktop.open({ display: ":99" });
 * console.log(await desktop.windows());
 * await desktop.close();
 * ```
 */
export class LinuxDesktop {
  #options: LinuxDesktopOptions;
  #env: Record<string, string>;
  #windows: X11Windows;
  #apps: X11Apps;
  #clipboard: X11Clipboard;
  #atspi: AtspiTree | null;
  #atspiReason: string;
  #notes: NotificationMonitor | null;
  #notesReason: string;
  #lockers: LockerProbe;
  #streams = new Set<AbortController>();

  private constructor(
    options: LinuxDesktopOptions,
    env: Record<string, string>,
    windows: X11Windows,
    clipboard: X11Clipboard,
    atspi: [AtspiTree | null, string],
    notes: [NotificationMonitor | null, string],
    lockers: LockerProbe,
  ) {
    this.#options = options;
    this.#env = env;
    this.#windows = windows;
    this.#apps = new X11Apps(windows, { env });
    this.#clipboard = clipboard;
    [this.#atspi, this.#atspiReason] = atspi;
    [this.#notes, this.#notesReason] = notes;
    this.#lockers = lockers;
  }

  /**
   * Connects to the X display (required) and, when available, to AT-SPI and
   * the session bus (their absence only removes their capabilities).
   *
   * @throws {NativeError} When the X display cannot be opened.
   */
  static async open(options: LinuxDesktopOptions = {}): Promise<LinuxDesktop> {
    const display = options.display ?? "";
    const env = options.env ?? { ...Deno.env.toObject(), ...(display ? { DISPLAY: display } : {}) };
    const bus = options.sessionBusAddress ?? "";
    const windows = await X11Windows.open(display);
    const clipboard = await X11Clipboard.open(display).catch(async (e) => {
      await windows.close();
      throw e;
    });
    const noBus = sessionBusMissing(bus);
    const atspi = await AtspiTree.open(bus).then(
      (a): [AtspiTree, string] => [a, ""],
      (e): [null, string] => [
        null,
        noBus ?? `no AT-SPI: ${errorText(e)}; install at-spi2-core (at-spi-bus-launcher) ` +
            "and start apps with accessibility on (not NO_AT_BRIDGE=1)",
      ],
    );
    const notes = await NotificationMonitor.open({ sessionBusAddress: bus }).then(
      (n): [NotificationMonitor, string] => [n, ""],
      (e): [null, string] => [
        null,
        noBus ?? `notifications cannot be observed: ${errorText(e)}; the session bus must ` +
            "allow monitoring (a standard dbus-daemon session bus does)",
      ],
    );
    const lockers = await probeLockers({ env, timeoutMs: 2000 });
    return new LinuxDesktop(options, env, windows, clipboard, atspi, notes, lockers);
  }

  /** The capabilities this session really offers. */
  capabilities(): Capability[] {
    const caps: Capability[] = [
      "windows.list",
      "windows.manipulate",
      "app.lifecycle",
      "clipboard.read",
      "clipboard.write",
      "clipboard.multi_mime",
    ];
    if (this.#atspi) caps.push("ui.tree", "ui.actions");
    if (this.#notes) caps.push("notifications.list");
    if (this.#lockers.usable.length > 0) caps.push("power.lock");
    return caps;
  }

  /** Why each capability this session lacks is absent (see `capabilities()`). */
  absences(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!this.#atspi) out["ui.tree"] = out["ui.actions"] = this.#atspiReason;
    if (!this.#notes) out["notifications.list"] = this.#notesReason;
    if (this.#lockers.usable.length === 0) out["power.lock"] = this.#lockers.reason;
    return out;
  }

  #unsupported(capability: Capability, reason: string): CapabilityUnsupportedError {
    const backend = this.#options.backend ?? "local/linux";
    return new CapabilityUnsupportedError(
      capability,
      backend,
      `Capability '${capability}' is not supported by backend '${backend}': ${reason}`,
    );
  }

  // ---- windows ----

  /** Top-level windows. */
  async windows(): Promise<Window[]> {
    return (await this.#windows.list()).map(toWindow);
  }

  /** The focused window, or null. */
  async focusedWindow(): Promise<Window | null> {
    const active = await this.#windows.active();
    const found = (await this.#windows.list()).find((w) => w.id === active);
    return found ? toWindow(found) : null;
  }

  /** Focuses a window and waits (up to 1 s) for the window manager to activate it. */
  async focusWindow(windowId: string): Promise<void> {
    const id = parseWindowId(windowId);
    await this.#windows.focus(id);
    for (let i = 0; i < 20 && (await this.#windows.active()) !== id; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Asks a window to close. */
  closeWindow(windowId: string): Promise<void> {
    return this.#windows.requestClose(parseWindowId(windowId));
  }

  /** Moves/resizes a window's client area to `bounds`. */
  moveWindow(windowId: string, bounds: Rect): Promise<void> {
    return this.#windows.move(parseWindowId(windowId), bounds);
  }

  // ---- apps ----

  /** Names of the running GUI apps (WM_CLASS of their windows). */
  listApps(): Promise<string[]> {
    return this.#apps.list();
  }
  /** Starts an app by desktop entry or program name. */
  openApp(name: string, signal?: AbortSignal): Promise<void> {
    return this.#apps.open(name, signal);
  }
  /** Closes an app politely, then with SIGTERM. */
  closeApp(name: string): Promise<void> {
    return this.#apps.close(name);
  }
  /** Focuses an app's window. */
  focusApp(name: string): Promise<void> {
    return this.#apps.focus(name);
  }

  // ---- accessibility ----

  #needAtspi(capability: Capability): AtspiTree {
    if (this.#atspi === null) throw this.#unsupported(capability, this.#atspiReason);
    return this.#atspi;
  }

  /** The accessibility tree of a window, an app, or the focused window. */
  uiTree(params: UiTreeParamsInit = {}): Promise<UIElement> {
    return atspiUiTree(this.#needAtspi("ui.tree"), params, {
      window: async (windowId) => {
        const id = parseWindowId(windowId);
        return (await this.#windows.list()).find((w) => w.id === id) ?? null;
      },
      focused: async () => {
        const active = await this.#windows.active();
        return (await this.#windows.list()).find((w) => w.id === active) ?? null;
      },
    });
  }

  /** Runs an accessibility action on an element found by `ref` or by role/name/bounds. */
  performUiAction(params: UiActionParamsInit): Promise<void> {
    return atspiUiAction(
      this.#needAtspi("ui.actions"),
      params,
      (reason) => this.#unsupported("ui.actions", reason),
    );
  }

  /** Replaces the text of an editable element (by `ref` from `uiTree({ refs: true })`). */
  setElementText(ref: string, text: string): Promise<void> {
    return this.#needAtspi("ui.actions").setText(ref, text);
  }

  // ---- clipboard, input, lock, notifications ----

  /** The clipboard's text (and HTML/PNG when offered). */
  clipboardRead(): Promise<ClipboardContents> {
    return this.#clipboard.read();
  }
  /** Replaces the clipboard. */
  clipboardWrite(contents: ClipboardContents): Promise<void> {
    return this.#clipboard.write(contents);
  }

  /** The user's input events until `signal` aborts or the consumer stops. */
  async *subscribeInput(signal?: AbortSignal): AsyncGenerator<InputEvent> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#streams.add(stop);
    try {
      const stream = await InputEventStream.open({ display: this.#options.display ?? "" });
      yield* stream.events(stop.signal);
    } finally {
      this.#streams.delete(stop);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Locks the screen with the first locker that works (as probed at open). */
  async lockScreen(): Promise<void> {
    if (this.#lockers.usable.length === 0) {
      throw this.#unsupported("power.lock", this.#lockers.reason);
    }
    await lockScreen(this.#lockers.usable, { env: this.#env });
  }

  /** Notifications seen since the backend opened. */
  notifications(): Promise<Notification[]> {
    if (this.#notes === null) {
      return Promise.reject(this.#unsupported("notifications.list", this.#notesReason));
    }
    return this.#notes.list();
  }

  /** Stops input streams and closes every connection. Idempotent. */
  async close(): Promise<void> {
    for (const s of this.#streams) s.abort();
    await Promise.allSettled([
      this.#windows.close(),
      this.#clipboard.close(),
      this.#atspi?.close(),
      this.#notes?.close(),
    ]);
  }
}
