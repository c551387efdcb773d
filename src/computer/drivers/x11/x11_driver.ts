/**
 * `X11Driver`: the desktop driver for an X11 session. Capture, monitors,
 * pointer position, input injection and display streaming go through the
 * native shim's display connection; windows, apps, UI, clipboard, input
 * events, notifications and the screen lock through `LinuxDesktop`. It
 * advertises exactly what the X server it opened supports.
 *
 * @module
 */

import type { CallOptions } from "../../computer.ts";
import type { CaptureParamsInit, SubscribeDisplayParamsInit } from "../../methods/params.ts";
import type { UiActionParamsInit, UiTreeParamsInit } from "../../methods/params.ts";
import type { CapabilityAbsences } from "../../capability_absences.ts";
import type { Capability } from "../../types/capability.ts";
import type { ClipboardContents } from "../../types/clipboard.ts";
import type { Color, Display, DisplayFrame, Pixmap } from "../../types/display.ts";
import type { Point, Rect } from "../../types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../../types/input.ts";
import type { Notification } from "../../types/notification.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";
import { type DesktopDriver, unsupported } from "../desktop_driver.ts";
import { LinuxDesktop } from "./linux_desktop.ts";
import { deviceToLogical } from "./coordinates.ts";
import { NATIVE_FEATURE } from "./ffi.ts";
import { captureOnce, monitorsToDisplays, pixelAt } from "./_capture_flow.ts";
import { MAX_STREAM_FPS, stoppableStream, streamDisplay } from "./_display_stream.ts";
import { FramePool } from "./_frame_pool.ts";
import { injectKey, injectPointer, type ScrollRemainder, typeText } from "./_input_flow.ts";
import { NativeDisplay } from "./native_display.ts";

/** Options of {@linkcode X11Driver.open}. */
export interface X11DriverOptions {
  /**
   * X display to open, e.g. `:99`.
   * @default the `DISPLAY` environment variable
   */
  display?: string;
  /**
   * Session bus used for AT-SPI and notifications.
   * @default the `DBUS_SESSION_BUS_ADDRESS` environment variable
   */
  sessionBusAddress?: string;
  /**
   * The served session's variables that commands and apps started for a
   * controller get, over DISPLAY (the display opened) and
   * DBUS_SESSION_BUS_ADDRESS (`sessionBusAddress`), e.g. XDG_RUNTIME_DIR.
   * @default {}
   */
  sessionEnv?: Record<string, string>;
  /** Backend name for the manifest and error messages. @default `local/<os>` */
  backend?: string;
}

/**
 * The X11 desktop driver.
 *
 * @example Usage
 * ```ts ignore
 * import { X11Driver } from "./x11_driver.ts";
 * const driver = await X11Driver.open({ display: ":99" });
 * const shot = await driver.capture({ downscale: true });
 * await driver.close();
 * ```
 */
export class X11Driver implements DesktopDriver {
  readonly name = "x11";
  #display: NativeDisplay;
  #pool: FramePool;
  #scroll: ScrollRemainder = { dx: 0, dy: 0 };
  #streams = new Set<AbortController>();
  #desktop: LinuxDesktop;
  #backend: string;
  #childEnv: Readonly<Record<string, string>>;
  #closed = false;

  private constructor(
    display: NativeDisplay,
    desktop: LinuxDesktop,
    backend: string,
    childEnv: Record<string, string>,
  ) {
    this.#display = display;
    this.#desktop = desktop;
    this.#backend = backend;
    this.#childEnv = childEnv;
    this.#pool = new FramePool(display.lib);
  }

  /**
   * Opens the X display and builds the driver.
   *
   * @param options Display name, session bus and backend name.
   * @returns The driver; call `close()` when done.
   * @throws {NativeError} When the library loads but the display cannot be opened.
   * @throws {Error} When the native library cannot be found (the message lists where it looked).
   */
  static async open(options: X11DriverOptions = {}): Promise<X11Driver> {
    const { display: name, sessionBusAddress, sessionEnv, backend } = options;
    const display = await NativeDisplay.open(name ?? "");
    const session = {
      ...(name ? { DISPLAY: name } : {}),
      ...(sessionBusAddress ? { DBUS_SESSION_BUS_ADDRESS: sessionBusAddress } : {}),
      ...sessionEnv,
    };
    const desktop = await LinuxDesktop.open({
      display: name ?? "",
      sessionBusAddress: sessionBusAddress ?? "",
      env: { ...Deno.env.toObject(), ...session },
      ...(backend === undefined ? {} : { backend }),
    }).catch(async (error) => {
      await display.close();
      throw error;
    });
    return new X11Driver(display, desktop, backend ?? `local/${Deno.build.os}`, session);
  }

  /** The underlying display connection (for tests). */
  get nativeDisplay(): NativeDisplay {
    return this.#display;
  }

  /** Windows, apps, UI, clipboard, input events, notifications and lock. */
  get desktop(): LinuxDesktop {
    return this.#desktop;
  }

  #has(feature: number): boolean {
    return (this.#display.features & feature) !== 0;
  }

  capabilities(): Capability[] {
    const caps: Capability[] = ["display.capture", "display.stream"];
    if (this.#has(NATIVE_FEATURE.RANDR)) caps.push("display.multi_monitor");
    if (this.#has(NATIVE_FEATURE.XTEST)) caps.push("input.pointer", "input.keyboard", "input.text");
    caps.push(...this.#desktop.capabilities());
    return caps;
  }

  limits(): Record<string, Record<string, unknown>> {
    return { "display.stream": { max_fps: MAX_STREAM_FPS } };
  }

  absences(): CapabilityAbsences {
    const reasons: CapabilityAbsences = { ...this.#desktop.absences() };
    if (!this.#has(NATIVE_FEATURE.RANDR)) {
      reasons["display.multi_monitor"] = "the X server lacks the RandR extension, so monitors " +
        "cannot be told apart; use an X server with RandR (Xorg, Xvfb)";
    }
    if (!this.#has(NATIVE_FEATURE.XTEST)) {
      for (const c of ["input.pointer", "input.keyboard", "input.text"]) {
        reasons[c] = "the X server lacks the XTEST extension, so input cannot be injected; " +
          "start it with XTEST (Xorg and Xvfb load it unless told not to)";
      }
    } else if (!this.#has(NATIVE_FEATURE.XINPUT2)) {
      reasons["input.subscribe"] = "no XInput2: the X server lacks XInputExtension 2, so the " +
        "user's input cannot be observed; use an X server with XI2 (Xorg, Xvfb)";
    }
    return reasons;
  }

  childEnv(): Readonly<Record<string, string>> {
    return this.#childEnv;
  }

  #needXtest(capability: Capability): void {
    if (!this.#has(NATIVE_FEATURE.XTEST)) {
      throw unsupported(capability, this.#backend, "the X server lacks the XTEST extension");
    }
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

  async pointer(event: PointerEvent, _options?: CallOptions): Promise<void> {
    this.#needXtest("input.pointer");
    await injectPointer(this.#display, event, this.#scroll);
  }

  async key(event: KeyEvent, _options?: CallOptions): Promise<void> {
    this.#needXtest("input.keyboard");
    await injectKey(this.#display, event);
  }

  async text(input: TextInput, options?: CallOptions): Promise<void> {
    this.#needXtest("input.text");
    await typeText(this.#display, input, options?.signal);
  }

  async *subscribeInput(options?: CallOptions): AsyncGenerator<InputEvent> {
    if (!this.#has(NATIVE_FEATURE.XINPUT2)) {
      throw unsupported("input.pointer", this.#backend, "the X server lacks XInputExtension 2");
    }
    yield* this.#desktop.subscribeInput(options?.signal);
  }
  windows(_options?: CallOptions): Promise<Window[]> {
    return this.#desktop.windows();
  }
  focusedWindow(_options?: CallOptions): Promise<Window | null> {
    return this.#desktop.focusedWindow();
  }
  focusWindow(windowId: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.focusWindow(windowId);
  }
  closeWindow(windowId: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.closeWindow(windowId);
  }
  moveWindow(windowId: string, bounds: Rect, _options?: CallOptions): Promise<void> {
    return this.#desktop.moveWindow(windowId, bounds);
  }
  openApp(name: string, options?: CallOptions): Promise<void> {
    return this.#desktop.openApp(name, options?.signal);
  }
  closeApp(name: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.closeApp(name);
  }
  focusApp(name: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.focusApp(name);
  }
  listApps(_options?: CallOptions): Promise<string[]> {
    return this.#desktop.listApps();
  }
  uiTree(params?: UiTreeParamsInit, _options?: CallOptions): Promise<UIElement> {
    return this.#desktop.uiTree(params);
  }
  performUiAction(params: UiActionParamsInit, _options?: CallOptions): Promise<void> {
    return this.#desktop.performUiAction(params);
  }
  clipboardRead(_options?: CallOptions): Promise<ClipboardContents> {
    return this.#desktop.clipboardRead();
  }
  clipboardWrite(contents: ClipboardContents, _options?: CallOptions): Promise<void> {
    return this.#desktop.clipboardWrite(contents);
  }
  lockScreen(_options?: CallOptions): Promise<void> {
    return this.#desktop.lockScreen();
  }
  notifications(_options?: CallOptions): Promise<Notification[]> {
    return this.#desktop.notifications();
  }

  /** Stops streams, releases held keys and buttons, restores the keymap, closes the display. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams) stream.abort();
    this.#pool.destroy();
    await this.#desktop.close();
    await this.#display.close();
  }
}
