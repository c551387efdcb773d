/**
 * `WaylandDriver`: the desktop driver for a wlroots Wayland session (sway,
 * Hyprland, river, labwc, Wayfire). Capture, damage streams, input, windows
 * and the clipboard go through the shim's `od_wayland` connection; the UI
 * tree and notifications through the same session-bus code as X11; the lock
 * through swaylock or logind. It advertises exactly the protocols the
 * compositor offers, and says why for each capability it lacks.
 *
 * The pointer position: Wayland lets no client read it, so
 * `cursorPosition` answers where the driver last put the pointer; before the
 * first move it first moves the pointer to the middle of the first output,
 * so the answer is true.
 *
 * @module
 */

import type { CapabilityAbsences } from "../../capability_absences.ts";
import { RemoteError } from "../../../protocol/errors.ts";
import type { CallOptions } from "../../computer.ts";
import type {
  CaptureParamsInit,
  SubscribeDisplayParamsInit,
  UiActionParamsInit,
  UiTreeParamsInit,
} from "../../methods/params.ts";
import type { Capability } from "../../types/capability.ts";
import type { ClipboardContents } from "../../types/clipboard.ts";
import type { Color, Display, DisplayFrame, Pixmap } from "../../types/display.ts";
import type { Point, Rect } from "../../types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../../types/input.ts";
import type { Notification } from "../../types/notification.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";
import { DESKTOP_METHODS, type DesktopDriver, unsupported } from "../desktop_driver.ts";
import { atspiUiAction, atspiUiTree } from "../x11/atspi_methods.ts";
import { AtspiTree } from "../x11/atspi_tree.ts";
import { MAX_STREAM_FPS, stoppableStream } from "../x11/_display_stream.ts";
import { loadNative } from "../x11/ffi.ts";
import { FramePool } from "../x11/_frame_pool.ts";
import { NotificationMonitor } from "../x11/notification_monitor.ts";
import { parseWindowId } from "../x11/x11_windows.ts";
import { WAYLAND_PROTOCOL_NAMES } from "./ffi.ts";
import { WaylandApps } from "./wayland_apps.ts";
import { captureOnce, outputsToDisplays, pixelAt } from "./wayland_capture.ts";
import { WaylandClipboard } from "./wayland_clipboard.ts";
import { WaylandConnection } from "./wayland_connection.ts";
import { injectKey, injectPointer, type ScrollRemainder, typeText } from "./wayland_input.ts";
import { lockWaylandScreen, waylandLockers } from "./wayland_lock.ts";
import { streamDisplay } from "./wayland_stream.ts";
import { toWindow, WaylandWindows } from "./wayland_windows.ts";

/** Why input events cannot be streamed on Wayland. */
const NO_INPUT_EVENTS = "no Wayland protocol lets a client observe the input of other devices, " +
  "so input events cannot be streamed";

/** Options of {@linkcode WaylandDriver.open}. */
export interface WaylandDriverOptions {
  /** Compositor socket (name or absolute path). @default "" ($WAYLAND_DISPLAY) */
  display?: string;
  /** Session bus for AT-SPI and notifications. @default "" (the environment's) */
  sessionBusAddress?: string;
  /** Environment of started apps and lockers. @default Deno.env with WAYLAND_DISPLAY set */
  env?: Record<string, string>;
  /** Backend name for the manifest and error messages. @default `local/<os>` */
  backend?: string;
}

/** Which protocol each capability needs. */
const NEEDS: ReadonlyArray<[Capability, keyof typeof WAYLAND_PROTOCOL_NAMES]> = [
  ["display.capture", "SCREENCOPY"],
  ["display.stream", "SCREENCOPY_DAMAGE"],
  ["display.multi_monitor", "XDG_OUTPUT"],
  ["input.pointer", "VIRTUAL_POINTER"],
  ["input.keyboard", "VIRTUAL_KEYBOARD"],
  ["input.text", "VIRTUAL_KEYBOARD"],
  ["windows.list", "TOPLEVELS"],
  ["windows.manipulate", "TOPLEVELS"],
  ["app.lifecycle", "TOPLEVELS"],
  ["clipboard.read", "DATA_CONTROL"],
  ["clipboard.write", "DATA_CONTROL"],
  ["clipboard.multi_mime", "DATA_CONTROL"],
];

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The Wayland desktop driver. */
export class WaylandDriver implements DesktopDriver {
  readonly name = "wayland";
  #conn: WaylandConnection;
  #pool: FramePool;
  #lib = loadNative();
  #backend: string;
  #env: Record<string, string>;
  #windows: WaylandWindows;
  #apps: WaylandApps;
  #clipboard: WaylandClipboard;
  #atspi: AtspiTree | null;
  #atspiReason: string;
  #notes: NotificationMonitor | null;
  #notesReason: string;
  #lock: { lockers: string[]; reason: string };
  #scroll: ScrollRemainder = { dx: 0, dy: 0 };
  #streams = new Set<AbortController>();
  #closed = false;

  private constructor(
    conn: WaylandConnection,
    env: Record<string, string>,
    backend: string,
    atspi: [AtspiTree | null, string],
    notes: [NotificationMonitor | null, string],
  ) {
    this.#conn = conn;
    this.#env = env;
    this.#backend = backend;
    this.#pool = new FramePool(this.#lib);
    this.#windows = new WaylandWindows(conn);
    this.#apps = new WaylandApps(this.#windows, env);
    this.#clipboard = new WaylandClipboard(conn);
    [this.#atspi, this.#atspiReason] = atspi;
    [this.#notes, this.#notesReason] = notes;
    this.#lock = waylandLockers(env);
  }

  /**
   * Connects to the compositor (required) and, when available, to AT-SPI and
   * the session bus (their absence only removes their capabilities).
   *
   * @throws {WaylandError} When no compositor answers at `display`.
   */
  static async open(options: WaylandDriverOptions = {}): Promise<WaylandDriver> {
    const display = options.display ?? "";
    const env = options.env ??
      { ...Deno.env.toObject(), ...(display ? { WAYLAND_DISPLAY: display } : {}) };
    const bus = options.sessionBusAddress ?? "";
    const conn = await WaylandConnection.open(display);
    const atspi = await AtspiTree.open(bus).then(
      (a): [AtspiTree, string] => [a, ""],
      (e): [null, string] => [null, `AT-SPI is not available: ${errorText(e)}`],
    );
    const notes = await NotificationMonitor.open({ sessionBusAddress: bus }).then(
      (n): [NotificationMonitor, string] => [n, ""],
      (e): [null, string] => [null, `notifications cannot be observed: ${errorText(e)}`],
    );
    return new WaylandDriver(conn, env, options.backend ?? `local/${Deno.build.os}`, atspi, notes);
  }

  /** The compositor connection (for tests). */
  get connection(): WaylandConnection {
    return this.#conn;
  }

  capabilities(): Capability[] {
    const caps = NEEDS.filter(([, feature]) => this.#conn.has(feature)).map(([cap]) => cap);
    if (this.#atspi) caps.push("ui.tree", "ui.actions");
    if (this.#notes) caps.push("notifications.list");
    if (this.#lock.lockers.length > 0) caps.push("power.lock");
    return caps;
  }

  limits(): Record<string, Record<string, unknown>> {
    return { "display.stream": { max_fps: MAX_STREAM_FPS } };
  }

  /** Why each desktop capability this driver lacks is absent (and why input events cannot be streamed). */
  absences(): CapabilityAbsences {
    const have = new Set(this.capabilities());
    const out: CapabilityAbsences = {};
    for (const { capability } of Object.values(DESKTOP_METHODS)) {
      if (!have.has(capability)) out[capability] = this.#reasonFor(capability);
    }
    out["input.subscribe"] = NO_INPUT_EVENTS;
    return out;
  }

  /** Commands started for a controller reach this compositor and its session bus. */
  childEnv(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of ["WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"]) {
      const value = this.#env[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** Why a capability is absent, in words. */
  #reasonFor(capability: Capability): string {
    const need = NEEDS.find(([cap]) => cap === capability);
    if (need) {
      return `the compositor does not offer ${WAYLAND_PROTOCOL_NAMES[need[1]]}`;
    }
    switch (capability) {
      case "ui.tree":
      case "ui.actions":
        return this.#atspiReason;
      case "notifications.list":
        return this.#notesReason;
      case "power.lock":
        return this.#lock.reason;
      default:
        return "the Wayland driver does not offer it";
    }
  }

  #need(capability: Capability): void {
    if (!this.capabilities().includes(capability)) {
      throw unsupported(capability, this.#backend, this.#reasonFor(capability));
    }
  }

  displays(_options?: CallOptions): Promise<Display[]> {
    return Promise.resolve().then(() => {
      this.#need("display.capture");
      return outputsToDisplays(this.#conn.outputs());
    });
  }

  capture(params: CaptureParamsInit = {}, _options?: CallOptions): Promise<Pixmap> {
    return Promise.resolve().then(() => {
      this.#need("display.capture");
      return captureOnce(this.#conn, this.#pool, params);
    });
  }

  pixel(point: Point, _options?: CallOptions): Promise<Color> {
    return Promise.resolve().then(() => {
      this.#need("display.capture");
      return pixelAt(this.#conn, this.#pool, point);
    });
  }

  cursorPosition(_options?: CallOptions): Promise<Point> {
    return Promise.resolve().then(() => {
      this.#need("input.pointer");
      let at = this.#conn.cursorPosition();
      if (at === null) {
        const first = this.#conn.outputs()[0];
        if (!first) throw new RemoteError("not_found", "The compositor reports no output");
        const middle = {
          x: first.x + Math.floor(first.width / 2),
          y: first.y + Math.floor(first.height / 2),
        };
        this.#conn.pointerMove(middle.x, middle.y);
        at = middle;
      }
      return { x: at.x, y: at.y };
    });
  }

  async *subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncGenerator<DisplayFrame> {
    this.#need("display.stream");
    yield* stoppableStream(
      this.#streams,
      options?.signal,
      (stop) => streamDisplay(this.#conn, this.#lib, params, stop),
    );
  }

  async pointer(event: PointerEvent, _options?: CallOptions): Promise<void> {
    this.#need("input.pointer");
    await injectPointer(this.#conn, event, this.#scroll);
  }

  async key(event: KeyEvent, _options?: CallOptions): Promise<void> {
    this.#need("input.keyboard");
    await injectKey(this.#conn, event);
  }

  async text(input: TextInput, options?: CallOptions): Promise<void> {
    this.#need("input.text");
    await typeText(this.#conn, input, options?.signal);
  }

  // deno-lint-ignore require-yield
  async *subscribeInput(_options?: CallOptions): AsyncGenerator<InputEvent> {
    throw unsupported("input.pointer", this.#backend, NO_INPUT_EVENTS);
  }

  async windows(_options?: CallOptions): Promise<Window[]> {
    this.#need("windows.list");
    return (await this.#windows.list()).map(toWindow);
  }
  async focusedWindow(_options?: CallOptions): Promise<Window | null> {
    this.#need("windows.list");
    const w = await this.#windows.focused();
    return w ? toWindow(w) : null;
  }
  async focusWindow(windowId: string, _options?: CallOptions): Promise<void> {
    this.#need("windows.manipulate");
    await this.#windows.focus(windowId);
  }
  async closeWindow(windowId: string, _options?: CallOptions): Promise<void> {
    this.#need("windows.manipulate");
    await this.#windows.close(windowId);
  }
  async moveWindow(windowId: string, bounds: Rect, _options?: CallOptions): Promise<void> {
    this.#need("windows.manipulate");
    await this.#windows.move(windowId, bounds);
  }
  async openApp(name: string, options?: CallOptions): Promise<void> {
    this.#need("app.lifecycle");
    await this.#apps.open(name, options?.signal);
  }
  async closeApp(name: string, _options?: CallOptions): Promise<void> {
    this.#need("app.lifecycle");
    await this.#apps.close(name);
  }
  async focusApp(name: string, _options?: CallOptions): Promise<void> {
    this.#need("app.lifecycle");
    await this.#apps.focus(name);
  }
  async listApps(_options?: CallOptions): Promise<string[]> {
    this.#need("app.lifecycle");
    return await this.#apps.list();
  }

  async uiTree(params: UiTreeParamsInit = {}, _options?: CallOptions): Promise<UIElement> {
    this.#need("ui.tree");
    const target = (w: Awaited<ReturnType<WaylandWindows["focused"]>>) =>
      w ? { pid: w.view?.pid ?? 0, title: w.toplevel.title } : null;
    return await atspiUiTree(this.#atspi!, params, {
      window: async (windowId) => {
        const id = parseWindowId(windowId);
        return target((await this.#windows.list()).find((w) => w.toplevel.id === id) ?? null);
      },
      focused: async () => target(await this.#windows.focused()),
    });
  }
  async performUiAction(params: UiActionParamsInit, _options?: CallOptions): Promise<void> {
    this.#need("ui.actions");
    await atspiUiAction(
      this.#atspi!,
      params,
      (reason) => unsupported("ui.actions", this.#backend, reason),
    );
  }

  async clipboardRead(_options?: CallOptions): Promise<ClipboardContents> {
    this.#need("clipboard.read");
    return await this.#clipboard.read();
  }
  async clipboardWrite(contents: ClipboardContents, _options?: CallOptions): Promise<void> {
    this.#need("clipboard.write");
    await this.#clipboard.write(contents);
  }

  async lockScreen(_options?: CallOptions): Promise<void> {
    this.#need("power.lock");
    await lockWaylandScreen(this.#env);
  }
  async notifications(_options?: CallOptions): Promise<Notification[]> {
    this.#need("notifications.list");
    return await this.#notes!.list();
  }

  /** Stops streams, releases held keys and buttons, disconnects. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams) stream.abort();
    this.#pool.destroy();
    await Promise.allSettled([this.#atspi?.close(), this.#notes?.close()]);
    await this.#conn.close();
  }
}
