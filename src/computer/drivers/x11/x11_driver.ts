/**
 * `NativeComputer`: the Linux/X11 desktop backend. It extends `HostComputer`
 * (files, processes, environment) with capture, monitors, pointer position,
 * input injection and display streaming through the native shim, and
 * advertises exactly what the X server it opened supports.
 *
 * @module
 */

import type { CallOptions } from "../computer.ts";
import { HostComputer, type HostComputerOptions } from "../host_computer.ts";
import type { CaptureParamsInit, SubscribeDisplayParamsInit } from "../params.ts";
import type { UiActionParamsInit, UiTreeParamsInit } from "../params.ts";
import type { Capability } from "../types/capability.ts";
import type { ClipboardContents } from "../types/clipboard.ts";
import type { Rect } from "../types/geometry.ts";
import type { InputEvent } from "../types/input.ts";
import type { Notification } from "../types/notification.ts";
import type { UIElement } from "../types/ui_element.ts";
import type { Window } from "../types/window.ts";
import { LinuxDesktop } from "./linux_desktop.ts";
import type { Display, DisplayFrame, Pixmap } from "../types/display.ts";
import type { Point } from "../types/geometry.ts";
import type { KeyEvent, PointerEvent, TextInput } from "../types/input.ts";
import { deviceToLogical } from "./coordinates.ts";
import { NATIVE_FEATURE } from "./ffi.ts";
import { captureOnce, monitorsToDisplays } from "./_capture_flow.ts";
import { MAX_STREAM_FPS, streamDisplay } from "./_display_stream.ts";
import { FramePool } from "./_frame_pool.ts";
import { injectKey, injectPointer, type ScrollRemainder, typeText } from "./_input_flow.ts";
import { NativeDisplay } from "./native_display.ts";

/** Options of {@linkcode NativeComputer.open}. */
export interface NativeComputerOptions extends HostComputerOptions {
  /**
   * X display to open, e.g. `:99`.
   * @default the `DISPLAY` environment variable
   */
  display?: string;
  /**
   * Session bus used for AT-SPI and notifications (part 2).
   * @default the `DBUS_SESSION_BUS_ADDRESS` environment variable
   */
  sessionBusAddress?: string;
}

/**
 * The X11 desktop backend.
 *
 * @example Usage
 * ```ts ignore
 * import { NativeComputer } from "./native_computer.ts";
 * const computer = await NativeComputer.open({ display: ":99" });
 * const shot = await computer.capture({ downscale: true });
 * await computer.close();
 * ```
 */
export class NativeComputer extends HostComputer {
  #display: NativeDisplay;
  #pool: FramePool;
  #scroll: ScrollRemainder = { dx: 0, dy: 0 };
  #streams = new Set<AbortController>();
  #desktop: LinuxDesktop;

  private constructor(
    display: NativeDisplay,
    desktop: LinuxDesktop,
    options: HostComputerOptions,
  ) {
    super(options);
    this.#display = display;
    this.#desktop = desktop;
    this.#pool = new FramePool(display.lib);
  }

  /**
   * Opens the X display and builds the backend.
   *
   * @param options Display name and `HostComputer` options.
   * @returns The backend; call `close()` when done.
   * @throws {NativeError} When the library loads but the display cannot be opened.
   * @throws {Error} When the native library cannot be found (the message lists where it looked).
   */
  static async open(options: NativeComputerOptions = {}): Promise<NativeComputer> {
    const { display: name, sessionBusAddress, ...rest } = options;
    const display = await NativeDisplay.open(name ?? "");
    const desktop = await LinuxDesktop.open({
      display: name ?? "",
      sessionBusAddress: sessionBusAddress ?? "",
      ...(rest.backend === undefined ? {} : { backend: rest.backend }),
    }).catch(async (error) => {
      await display.close();
      throw error;
    });
    return new NativeComputer(display, desktop, rest);
  }

  /** The underlying display connection (for part 2 modules and tests). */
  get nativeDisplay(): NativeDisplay {
    return this.#display;
  }

  #has(feature: number): boolean {
    return (this.#display.features & feature) !== 0;
  }

  protected override supportedCapabilities(): Capability[] {
    const caps = super.supportedCapabilities();
    caps.push("display.capture", "display.stream");
    if (this.#has(NATIVE_FEATURE.RANDR)) caps.push("display.multi_monitor");
    if (this.#has(NATIVE_FEATURE.XTEST)) caps.push("input.pointer", "input.keyboard", "input.text");
    caps.push(...this.#desktop.capabilities());
    return caps;
  }

  protected override capabilityLimits(): Record<string, Record<string, unknown>> {
    return { ...super.capabilityLimits(), "display.stream": { max_fps: MAX_STREAM_FPS } };
  }

  #needXtest(capability: Capability): void {
    if (!this.#has(NATIVE_FEATURE.XTEST)) {
      throw this.unsupportedError(capability, "the X server lacks the XTEST extension");
    }
  }

  override displays(_options?: CallOptions): Promise<Display[]> {
    return Promise.resolve().then(() => monitorsToDisplays(this.#display.monitors()));
  }

  override capture(params: CaptureParamsInit = {}, _options?: CallOptions): Promise<Pixmap> {
    return captureOnce(this.#display, this.#pool, params);
  }

  override cursorPosition(_options?: CallOptions): Promise<Point> {
    return Promise.resolve().then(() => {
      const at = this.#display.cursorPosition();
      return deviceToLogical(at.x, at.y);
    });
  }

  override async *subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncGenerator<DisplayFrame> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    options?.signal?.addEventListener("abort", onAbort, { once: true });
    if (options?.signal?.aborted) stop.abort();
    this.#streams.add(stop);
    try {
      yield* streamDisplay(this.#display, this.#display.lib, params, stop.signal);
    } finally {
      this.#streams.delete(stop);
      options?.signal?.removeEventListener("abort", onAbort);
    }
  }

  override async pointer(event: PointerEvent, _options?: CallOptions): Promise<void> {
    this.#needXtest("input.pointer");
    await injectPointer(this.#display, event, this.#scroll);
  }

  override async key(event: KeyEvent, _options?: CallOptions): Promise<void> {
    this.#needXtest("input.keyboard");
    await injectKey(this.#display, event);
  }

  override async text(input: TextInput, options?: CallOptions): Promise<void> {
    this.#needXtest("input.text");
    await typeText(this.#display, input, options?.signal);
  }

  // Part 2 (windows, clipboard, accessibility, input events, notifications,
  // screen lock) overrides go below, delegating to their own modules.

  /** The part 2 services (windows, apps, UI, clipboard, input events, notifications, lock). */
  get desktop(): LinuxDesktop {
    return this.#desktop;
  }

  override async *subscribeInput(options?: CallOptions): AsyncGenerator<InputEvent> {
    if (!this.#has(NATIVE_FEATURE.XINPUT2)) {
      throw this.unsupportedError("input.pointer", "the X server lacks XInputExtension 2");
    }
    yield* this.#desktop.subscribeInput(options?.signal);
  }
  override windows(_options?: CallOptions): Promise<Window[]> {
    return this.#desktop.windows();
  }
  override focusedWindow(_options?: CallOptions): Promise<Window | null> {
    return this.#desktop.focusedWindow();
  }
  override focusWindow(windowId: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.focusWindow(windowId);
  }
  override closeWindow(windowId: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.closeWindow(windowId);
  }
  override moveWindow(windowId: string, bounds: Rect, _options?: CallOptions): Promise<void> {
    return this.#desktop.moveWindow(windowId, bounds);
  }
  override openApp(name: string, options?: CallOptions): Promise<void> {
    return this.#desktop.openApp(name, options?.signal);
  }
  override closeApp(name: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.closeApp(name);
  }
  override focusApp(name: string, _options?: CallOptions): Promise<void> {
    return this.#desktop.focusApp(name);
  }
  override listApps(_options?: CallOptions): Promise<string[]> {
    return this.#desktop.listApps();
  }
  override uiTree(params?: UiTreeParamsInit, _options?: CallOptions): Promise<UIElement> {
    return this.#desktop.uiTree(params);
  }
  override performUiAction(params: UiActionParamsInit, _options?: CallOptions): Promise<void> {
    return this.#desktop.performUiAction(params);
  }
  override clipboardRead(_options?: CallOptions): Promise<ClipboardContents> {
    return this.#desktop.clipboardRead();
  }
  override clipboardWrite(contents: ClipboardContents, _options?: CallOptions): Promise<void> {
    return this.#desktop.clipboardWrite(contents);
  }
  override lockScreen(_options?: CallOptions): Promise<void> {
    return this.#desktop.lockScreen();
  }
  override notifications(_options?: CallOptions): Promise<Notification[]> {
    return this.#desktop.notifications();
  }

  /** Stops streams, releases held keys and buttons, restores the keymap, closes the display. */
  override async close(): Promise<void> {
    for (const stream of this.#streams) stream.abort();
    this.#pool.destroy();
    await this.#desktop.close();
    await this.#display.close();
    await super.close();
  }
}
