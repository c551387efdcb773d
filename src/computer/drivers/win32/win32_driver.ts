/**
 * `Win32Driver`: the desktop driver for a Windows session, over `opendesk.dll`
 * (`native/src/win32/`). Capture (Desktop Duplication or GDI), monitors, pointer, keys and text
 * (SendInput; text as KEYEVENTF_UNICODE, surrogate pairs for characters beyond the BMP), display
 * streaming, windows, clipboard (text, HTML Format, PNG) and UI Automation go through the same
 * shim wrappers as the X11 driver, seen through `_library_view.ts` (desktop coordinates start at
 * 0,0; the virtual screen's origin may be negative). Apps start and end as job objects; the
 * screen locks with LockWorkStation.
 *
 * Absent, with the reason in every rejection: notifications (no public Windows API reads other
 * programs' toasts) and the input event stream (the shim has no low-level input hook).
 *
 * @module
 */

import type { CapabilityAbsences } from "../../capability_absences.ts";
import type { CallOptions } from "../../computer.ts";
import type { CaptureParamsInit, SubscribeDisplayParamsInit } from "../../methods/params.ts";
import type { UiActionParamsInit, UiTreeParamsInit } from "../../methods/params.ts";
import type { Capability } from "../../types/capability.ts";
import type { ClipboardContents } from "../../types/clipboard.ts";
import type { Color, Display, DisplayFrame, Pixmap } from "../../types/display.ts";
import type { Point, Rect } from "../../types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../../types/input.ts";
import type { Notification } from "../../types/notification.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";
import { type DesktopDriver, unsupported } from "../desktop_driver.ts";
import { AtspiTree } from "../x11/atspi_tree.ts";
import { deviceToLogical } from "../x11/coordinates.ts";
import { captureOnce, monitorsToDisplays, pixelAt } from "../x11/_capture_flow.ts";
import { MAX_STREAM_FPS, stoppableStream, streamDisplay } from "../x11/_display_stream.ts";
import { NATIVE_STATUS } from "../x11/ffi.ts";
import { FramePool } from "../x11/_frame_pool.ts";
import { injectKey, injectPointer, type ScrollRemainder, typeText } from "../x11/_input_flow.ts";
import { NativeDisplay } from "../x11/native_display.ts";
import { NativeError } from "../x11/native_error.ts";
import { X11Clipboard } from "../x11/x11_clipboard.ts";
import { parseWindowId, X11Windows } from "../x11/x11_windows.ts";
import type { Win32Library } from "./ffi_symbols.ts";
import { displayOrigin, win32LibraryView } from "./_library_view.ts";
import { win32UiAction, win32UiTree } from "./_win32_ui.ts";
import { withWireErrors } from "./_win32_errors.ts";
import { Win32Apps, type Win32AppsOptions } from "./win32_apps.ts";
import { toVirtualScreen, toWin32Window } from "./win32_windows.ts";

/** Why notifications are absent on Windows. */
export const WIN32_NO_NOTIFICATIONS =
  "no public Windows API reads other programs' notifications (UserNotificationListener needs a " +
  "packaged app with the user's consent)";

/** Why the input event stream is absent on Windows. */
export const WIN32_NO_INPUT_EVENTS =
  "the Windows shim has no input event reader (it installs no low-level mouse or keyboard hook)";

/** Options of {@linkcode Win32Driver.open}. */
export interface Win32DriverOptions {
  /** The opened `opendesk.dll`, or a stand-in with the same symbols (the tests' fake). */
  library: Pick<Win32Library, "symbols">;
  /** Backend name for the manifest and error messages. @default `local/windows` */
  backend?: string;
  /** Waits of `apps.open` and `apps.close`. */
  apps?: Win32AppsOptions;
}

/** The Windows desktop driver. */
export class Win32Driver implements DesktopDriver {
  readonly name = "win32";
  #symbols: Win32Library["symbols"];
  #display: NativeDisplay;
  #pool: FramePool;
  #windows: X11Windows;
  #clipboard: X11Clipboard;
  #uia: AtspiTree | null;
  #uiaReason: string;
  #apps: Win32Apps;
  #backend: string;
  #scroll: ScrollRemainder = { dx: 0, dy: 0 };
  #streams = new Set<AbortController>();
  #closed = false;

  private constructor(
    symbols: Win32Library["symbols"],
    parts: {
      display: NativeDisplay;
      windows: X11Windows;
      clipboard: X11Clipboard;
      uia: AtspiTree | null;
      uiaReason: string;
      apps?: Win32AppsOptions | undefined;
    },
    backend: string,
  ) {
    this.#symbols = symbols;
    this.#display = parts.display;
    this.#pool = new FramePool(parts.display.lib);
    this.#windows = parts.windows;
    this.#clipboard = parts.clipboard;
    this.#uia = parts.uia;
    this.#uiaReason = parts.uiaReason;
    this.#apps = new Win32Apps(parts.windows, symbols, parts.apps ?? {});
    this.#backend = backend;
  }

  /**
   * Opens the desktop, the window list, the clipboard and (when Windows has it) UI Automation.
   *
   * @throws {NativeError} When the desktop, windows or clipboard cannot be opened.
   */
  static async open(options: Win32DriverOptions): Promise<Win32Driver> {
    const symbols = options.library.symbols;
    const lib = win32LibraryView(options.library);
    const display = await NativeDisplay.open("", lib);
    const opened: { close(): Promise<void> }[] = [display];
    try {
      const windows = await X11Windows.open("", lib);
      opened.push(windows);
      const clipboard = await X11Clipboard.open("", lib);
      opened.push(clipboard);
      let uia: AtspiTree | null = null;
      let uiaReason = "";
      try {
        uia = await AtspiTree.open("", lib);
      } catch (error) {
        if (!(error instanceof NativeError)) throw error;
        // The open runs on a worker thread, so the shim's own text is not readable here.
        uiaReason = error.status === NATIVE_STATUS.OD_ERR_WIN_COM
          ? "UI Automation is unavailable: the CUIAutomation COM object cannot be created " +
            "(Wine registers none; on Windows this points to a damaged installation)"
          : `UI Automation is unavailable: ${error.statusName}`;
      }
      return new Win32Driver(
        symbols,
        { display, windows, clipboard, uia, uiaReason, apps: options.apps },
        options.backend ?? "local/windows",
      );
    } catch (error) {
      await Promise.allSettled(opened.map((o) => o.close()));
      throw error;
    }
  }

  #origin(): { x: number; y: number } {
    return displayOrigin(this.#symbols, this.#display.handle);
  }

  capabilities(): Capability[] {
    const caps: Capability[] = [
      "display.capture",
      "display.stream",
      "display.multi_monitor",
      "input.pointer",
      "input.keyboard",
      "input.text",
      "windows.list",
      "windows.manipulate",
      "app.lifecycle",
      "clipboard.read",
      "clipboard.write",
      "clipboard.multi_mime",
      "power.lock",
    ];
    if (this.#uia !== null) caps.push("ui.tree", "ui.actions");
    return caps;
  }

  limits(): Record<string, Record<string, unknown>> {
    return { "display.stream": { max_fps: MAX_STREAM_FPS } };
  }

  /** Why notifications, the input event stream and (when it failed to open) UI Automation are absent. */
  absences(): CapabilityAbsences {
    const out: CapabilityAbsences = {
      "notifications.list": WIN32_NO_NOTIFICATIONS,
      "input.subscribe": WIN32_NO_INPUT_EVENTS,
    };
    if (this.#uia === null) {
      out["ui.tree"] = this.#uiaReason;
      out["ui.actions"] = this.#uiaReason;
    }
    return out;
  }

  /** Windows commands reach the desktop of the user running the server: no variables needed. */
  childEnv(): Readonly<Record<string, string>> {
    return {};
  }

  displays(_options?: CallOptions): Promise<Display[]> {
    return Promise.resolve().then(() => monitorsToDisplays(this.#display.monitors()));
  }

  capture(params: CaptureParamsInit = {}, _options?: CallOptions): Promise<Pixmap> {
    return captureOnce(this.#display, this.#pool, params);
  }

  pixel(point: Point, _options?: CallOptions): Promise<Color> {
    return Promise.resolve().then(() => pixelAt(this.#display, point));
  }

  cursorPosition(_options?: CallOptions): Promise<Point> {
    return Promise.resolve().then(() => {
      const at = this.#display.cursorPosition();
      return deviceToLogical(at.x, at.y);
    });
  }

  async *subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncGenerator<DisplayFrame> {
    yield* stoppableStream(
      this.#streams,
      options?.signal,
      (stop) => streamDisplay(this.#display, this.#display.lib, params, stop),
    );
  }

  pointer(event: PointerEvent, _options?: CallOptions): Promise<void> {
    return withWireErrors(() => injectPointer(this.#display, event, this.#scroll));
  }

  key(event: KeyEvent, _options?: CallOptions): Promise<void> {
    return withWireErrors(() => injectKey(this.#display, event));
  }

  text(input: TextInput, options?: CallOptions): Promise<void> {
    return withWireErrors(() => typeText(this.#display, input, options?.signal));
  }

  // deno-lint-ignore require-yield
  async *subscribeInput(_options?: CallOptions): AsyncGenerator<InputEvent> {
    throw unsupported("input.pointer", this.#backend, WIN32_NO_INPUT_EVENTS);
  }

  async windows(_options?: CallOptions): Promise<Window[]> {
    const origin = this.#origin();
    return (await this.#windows.list()).map((w) => toWin32Window(w, origin));
  }

  async focusedWindow(_options?: CallOptions): Promise<Window | null> {
    const active = await this.#windows.active();
    const found = (await this.#windows.list()).find((w) => w.id === active);
    return found ? toWin32Window(found, this.#origin()) : null;
  }

  focusWindow(windowId: string, _options?: CallOptions): Promise<void> {
    return withWireErrors(() => this.#windows.focus(parseWindowId(windowId)));
  }

  closeWindow(windowId: string, _options?: CallOptions): Promise<void> {
    return withWireErrors(() => this.#windows.requestClose(parseWindowId(windowId)));
  }

  moveWindow(windowId: string, bounds: Rect, _options?: CallOptions): Promise<void> {
    return withWireErrors(() =>
      this.#windows.move(parseWindowId(windowId), toVirtualScreen(bounds, this.#origin()))
    );
  }

  openApp(name: string, options?: CallOptions): Promise<void> {
    return this.#apps.open(name, options?.signal);
  }
  closeApp(name: string, _options?: CallOptions): Promise<void> {
    return this.#apps.close(name);
  }
  focusApp(name: string, _options?: CallOptions): Promise<void> {
    return withWireErrors(() => this.#apps.focus(name));
  }
  listApps(_options?: CallOptions): Promise<string[]> {
    return this.#apps.list();
  }

  #needUia(capability: Capability): AtspiTree {
    if (this.#uia === null) throw unsupported(capability, this.#backend, this.#uiaReason);
    return this.#uia;
  }

  uiTree(params?: UiTreeParamsInit, _options?: CallOptions): Promise<UIElement> {
    return Promise.resolve().then(() =>
      win32UiTree(this.#needUia("ui.tree"), this.#windows, this.#origin(), params)
    );
  }

  async performUiAction(params: UiActionParamsInit, _options?: CallOptions): Promise<void> {
    const reason = await win32UiAction(this.#needUia("ui.actions"), this.#origin(), params);
    if (reason !== null) throw unsupported("ui.actions", this.#backend, reason);
  }

  clipboardRead(_options?: CallOptions): Promise<ClipboardContents> {
    return withWireErrors(() => this.#clipboard.read());
  }

  clipboardWrite(contents: ClipboardContents, _options?: CallOptions): Promise<void> {
    return withWireErrors(() => this.#clipboard.write(contents));
  }

  lockScreen(_options?: CallOptions): Promise<void> {
    return Promise.resolve().then(() => {
      const status = this.#symbols.od_session_lock();
      if (status !== NATIVE_STATUS.OD_OK) {
        const text = new Uint8Array(512);
        const len = new Uint32Array(1);
        this.#symbols.od_last_error(text, text.length, len);
        const detail = new TextDecoder().decode(text.subarray(0, Math.min(len[0] ?? 0, 511)));
        throw new NativeError(status, `Cannot lock the workstation: ${detail || status}`);
      }
    });
  }

  notifications(_options?: CallOptions): Promise<Notification[]> {
    return Promise.reject(unsupported("notifications.list", this.#backend, WIN32_NO_NOTIFICATIONS));
  }

  /** Stops streams, releases held keys and buttons, and closes every shim handle. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams) stream.abort();
    this.#pool.destroy();
    await this.#apps.release();
    await Promise.allSettled([
      this.#windows.close(),
      this.#clipboard.close(),
      this.#uia?.close(),
    ]);
    await this.#display.close();
  }
}
