/**
 * `FakeDriver`: a deterministic in-memory desktop driver for hermetic tests
 * (the documented seam that stands in for a real desktop). Its screen is a
 * real RGBA image that captures encode as real PNG files; it records every
 * action; windows, apps, clipboard, accessibility tree and notifications live
 * in memory; display and input streams produce frames and scripted events.
 * `FakeComputer` puts it behind the real host services.
 *
 * @module
 */

import { cropImage, grab, type GrabSource, sleep, toPixmap } from "./_fake_capture.ts";
import { FakeDesktop } from "./_fake_desktop.ts";
import type { CallOptions } from "../../computer.ts";
import { diffBounds, FakeScreen, type Rgba, type RgbaImage } from "./fake_screen.ts";
import { type DesktopDriver, unsupported } from "../desktop_driver.ts";
import {
  type CaptureParamsInit,
  CaptureParamsSchema,
  type SubscribeDisplayParamsInit,
  SubscribeDisplayParamsSchema,
  type UiActionParamsInit,
  UiActionParamsSchema,
  type UiTreeParamsInit,
  UiTreeParamsSchema,
} from "../../methods/params.ts";
import type { CapabilityAbsences } from "../../capability_absences.ts";
import type { Capability } from "../../types/capability.ts";
import { type ClipboardContents, textClipboard } from "../../types/clipboard.ts";
import type { Color, Display, DisplayFrame, Pixmap } from "../../types/display.ts";
import { RemoteError } from "../../../protocol/errors.ts";
import type { Point, Rect } from "../../types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../../types/input.ts";
import type { Notification } from "../../types/notification.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";

/** One recorded action: the wire method and its main params. */
export interface FakeAction {
  method: string;
  params: Record<string, unknown>;
}

/** Options of {@linkcode FakeDriver}. */
export interface FakeDriverOptions {
  /** Backend name for error messages. @default "fake" */
  backend?: string;
  /** Logical width of each display. @default 320 */
  width?: number;
  /** Logical height of each display. @default 200 */
  height?: number;
  /** Displays side by side. @default 1 */
  displayCount?: number;
  /** Pixels per logical pixel. @default 1 */
  scaleFactor?: number;
  /** Restricts the capabilities (methods outside it fail). @default everything the fake does */
  capabilities?: Capability[];
  /** Events `subscribeInput` yields, in order, before the stream ends. @default [] */
  inputScript?: InputEvent[];
  /** Frames per `subscribeDisplay` before the stream ends. @default unlimited */
  streamFrames?: number;
  /** Time source for timestamps, epoch seconds. @default a counter from 1 700 000 000 */
  clock?: () => number;
}

/** Every desktop capability the fake delivers. */
export const FAKE_DESKTOP_CAPABILITIES: readonly Capability[] = [
  "display.capture",
  "display.stream",
  "input.pointer",
  "input.keyboard",
  "input.text",
  "ui.tree",
  "ui.actions",
  "windows.list",
  "windows.manipulate",
  "app.lifecycle",
  "clipboard.read",
  "clipboard.write",
  "clipboard.multi_mime",
  "power.lock",
  "notifications.list",
];

/**
 * A deterministic in-memory desktop driver for tests.
 *
 * @example Usage
 * ```ts
 * import { FakeDriver } from "./fake_driver.ts";
 * const fake = new FakeDriver();
 * const shot = await fake.capture();
 * console.log(shot.width, shot.height); // 320 200
 * ```
 */
export class FakeDriver implements DesktopDriver {
  readonly name = "fake";
  /** Every action received, in order. */
  readonly actions: FakeAction[] = [];
  /** The desktop image (all displays side by side). */
  readonly screen: FakeScreen;
  /** Text typed through `input.text`. */
  typed = "";
  /** True after `power.lock`. */
  locked = false;
  #desktop: FakeDesktop;
  #displays: Display[];
  #capabilitySet: ReadonlySet<Capability>;
  #backend: string;
  #scale: number;
  #clipboard: ClipboardContents = textClipboard("fake clipboard");
  #notifications: Notification[];
  #cursor: Point = { x: 0, y: 0 };
  #inputScript: InputEvent[];
  #streamFrames: number;
  #clock: () => number;

  /** Creates the fake with two windows (Editor, Terminal), one notification and text on the clipboard. */
  constructor(options: FakeDriverOptions = {}) {
    this.#backend = options.backend ?? "fake";
    const width = options.width ?? 320;
    const height = options.height ?? 200;
    const count = options.displayCount ?? 1;
    this.#scale = options.scaleFactor ?? 1;
    this.#displays = Array.from({ length: count }, (_, i) => ({
      id: String(i + 1),
      bounds: { x: i * width, y: 0, width, height },
      scale_factor: this.#scale,
      primary: i === 0,
      name: `display-${i + 1}`,
    }));
    this.screen = new FakeScreen(width * count * this.#scale, height * this.#scale);
    this.#desktop = new FakeDesktop(this.screen, this.#scale);
    const all = [...FAKE_DESKTOP_CAPABILITIES];
    if (count > 1) all.push("display.multi_monitor");
    this.#capabilitySet = new Set(
      options.capabilities ? all.filter((c) => options.capabilities!.includes(c)) : all,
    );
    this.#inputScript = options.inputScript ?? [];
    this.#streamFrames = options.streamFrames ?? Infinity;
    let tick = 0;
    this.#clock = options.clock ?? (() => 1_700_000_000 + (tick++) / 1000);
    this.#notifications = [{
      id: "n1",
      title: "Build finished",
      body: "All tests passed",
      app: "CI",
      timestamp: 1_700_000_000,
    }];
    this.#desktop.addWindow("Editor", "Editor — notes.txt", {
      x: 10,
      y: 10,
      width: 200,
      height: 140,
    });
    this.#desktop.addWindow("Terminal", "Terminal", { x: 100, y: 40, width: 180, height: 120 });
  }

  capabilities(): Capability[] {
    return [...this.#capabilitySet];
  }

  limits(): Record<string, Record<string, unknown>> {
    return { "display.stream": { max_fps: 30 } };
  }

  /** The capabilities left out by `capabilities` (the option), each saying so. */
  absences(): CapabilityAbsences {
    const out: CapabilityAbsences = {};
    for (const c of FAKE_DESKTOP_CAPABILITIES) {
      if (!this.#capabilitySet.has(c)) out[c] = "it was left out of this fake's capabilities";
    }
    return out;
  }

  /** The fake starts nothing, so commands need no session variables. */
  childEnv(): Readonly<Record<string, string>> {
    return {};
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #require(capability: Capability): void {
    if (!this.#capabilitySet.has(capability)) {
      throw unsupported(capability, this.#backend, "it was left out of this fake's capabilities");
    }
  }

  #record(method: string, params: Record<string, unknown>): void {
    this.actions.push({ method, params: structuredClone(params) });
  }

  get #source(): GrabSource {
    return {
      screen: this.screen,
      displays: this.#displays,
      scale: this.#scale,
      cursor: this.#cursor,
    };
  }

  /** Replaces a window's accessibility tree (refs are assigned). */
  setUiTree(windowId: string, tree: UIElement): void {
    this.#desktop.window(windowId);
    this.#desktop.setTree(windowId, tree);
  }

  /** Adds a notification. */
  addNotification(notification: Notification): void {
    this.#notifications.push(notification);
  }

  /** Fills a logical rectangle of the desktop with a colour (to make frames change). */
  paint(rect: Rect, color: Rgba): void {
    const s = this.#scale;
    this.screen.fill(
      { x: rect.x * s, y: rect.y * s, width: rect.width * s, height: rect.height * s },
      color,
    );
  }

  displays(_options?: CallOptions): Promise<Display[]> {
    this.#require("display.capture");
    return Promise.resolve(structuredClone(this.#displays));
  }

  capture(params: CaptureParamsInit = {}, _options?: CallOptions): Promise<Pixmap> {
    this.#require("display.capture");
    const p = CaptureParamsSchema.parse(params);
    const g = grab(this.#source, p);
    return Promise.resolve(toPixmap(g.image, g, p.format, this.#clock()));
  }

  /** The colour of the fake screen at a logical point. */
  pixel(point: Point, _options?: CallOptions): Promise<Color> {
    this.#require("display.capture");
    const x = Math.round(point.x * this.#scale);
    const y = Math.round(point.y * this.#scale);
    if (!(x >= 0 && y >= 0 && x < this.screen.width && y < this.screen.height)) {
      throw new RemoteError(
        "invalid_argument",
        `Point (${point.x}, ${point.y}) is outside the desktop`,
      );
    }
    const i = (y * this.screen.width + x) * 4;
    const p = this.screen.pixels;
    return Promise.resolve({ r: p[i]!, g: p[i + 1]!, b: p[i + 2]! });
  }

  cursorPosition(_options?: CallOptions): Promise<Point> {
    this.#require("input.pointer");
    return Promise.resolve({ ...this.#cursor });
  }

  /** Frames at up to `fps` (max 30); with `delta`, non-key frames carry only the changed area. */
  async *subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncGenerator<DisplayFrame> {
    this.#require("display.stream");
    const p = SubscribeDisplayParamsSchema.parse(params);
    const capture = CaptureParamsSchema.parse({ ...p, downscale: p.downscale ?? true });
    const interval = 1000 / Math.min(p.fps, 30);
    const signal = options?.signal;
    let previous: RgbaImage | null = null;
    let sent = 0;
    for (let n = 0; sent < this.#streamFrames && !signal?.aborted; n++) {
      if (n > 0) await sleep(interval, signal);
      if (signal?.aborted) break;
      const g = grab(this.#source, capture);
      const keyframe = !p.delta || previous === null || previous.width !== g.image.width ||
        (p.keyframe_interval !== undefined && sent % p.keyframe_interval === 0);
      const patch = keyframe ? null : diffBounds(previous!, g.image);
      previous = g.image;
      if (keyframe) {
        const pixmap = toPixmap(g.image, g, capture.format, this.#clock());
        yield { pixmap, frame_number: sent++, keyframe: true };
      } else if (patch !== null) {
        const pixmap = toPixmap(cropImage(g.image, patch), g, capture.format, this.#clock());
        yield { pixmap, frame_number: sent++, keyframe: false, patch };
      }
    }
  }

  pointer(event: PointerEvent, _options?: CallOptions): Promise<void> {
    this.#require("input.pointer");
    this.#record("input.pointer", { event });
    this.#cursor = { ...event.point };
    return Promise.resolve();
  }

  key(event: KeyEvent, _options?: CallOptions): Promise<void> {
    this.#require("input.keyboard");
    this.#record("input.key", { event });
    return Promise.resolve();
  }

  text(input: TextInput, _options?: CallOptions): Promise<void> {
    this.#require("input.text");
    this.#record("input.text", { text_input: input });
    this.typed += input.text;
    return Promise.resolve();
  }

  /** The scripted events, then the end of the stream. */
  async *subscribeInput(options?: CallOptions): AsyncGenerator<InputEvent> {
    this.#require("input.pointer");
    for (const event of this.#inputScript) {
      await sleep(1, options?.signal);
      if (options?.signal?.aborted) return;
      yield structuredClone(event);
    }
  }

  windows(_options?: CallOptions): Promise<Window[]> {
    this.#require("windows.list");
    return Promise.resolve(structuredClone([...this.#desktop.windows]));
  }

  focusedWindow(_options?: CallOptions): Promise<Window | null> {
    this.#require("windows.list");
    const w = this.#desktop.windows.find((x) => x.focused);
    return Promise.resolve(w ? structuredClone(w) : null);
  }

  focusWindow(windowId: string, _options?: CallOptions): Promise<void> {
    this.#require("windows.manipulate");
    this.#desktop.focus(this.#desktop.window(windowId));
    this.#record("windows.focus", { window_id: windowId });
    return Promise.resolve();
  }

  closeWindow(windowId: string, _options?: CallOptions): Promise<void> {
    this.#require("windows.manipulate");
    this.#desktop.remove([this.#desktop.window(windowId)]);
    this.#record("windows.close", { window_id: windowId });
    return Promise.resolve();
  }

  moveWindow(windowId: string, bounds: Rect, _options?: CallOptions): Promise<void> {
    this.#require("windows.manipulate");
    this.#desktop.move(this.#desktop.window(windowId), bounds);
    this.#record("windows.move", { window_id: windowId, bounds });
    return Promise.resolve();
  }

  openApp(name: string, _options?: CallOptions): Promise<void> {
    this.#require("app.lifecycle");
    this.#desktop.open(name);
    this.#record("apps.open", { name });
    return Promise.resolve();
  }

  closeApp(name: string, _options?: CallOptions): Promise<void> {
    this.#require("app.lifecycle");
    this.#desktop.remove(this.#desktop.appWindows(name));
    this.#record("apps.close", { name });
    return Promise.resolve();
  }

  focusApp(name: string, _options?: CallOptions): Promise<void> {
    this.#require("app.lifecycle");
    this.#desktop.focus(this.#desktop.appWindows(name)[0]!);
    this.#record("apps.focus", { name });
    return Promise.resolve();
  }

  listApps(_options?: CallOptions): Promise<string[]> {
    this.#require("app.lifecycle");
    return Promise.resolve([...new Set(this.#desktop.windows.map((w) => w.app_name))]);
  }

  uiTree(params: UiTreeParamsInit = {}, _options?: CallOptions): Promise<UIElement> {
    this.#require("ui.tree");
    return Promise.resolve(this.#desktop.tree(UiTreeParamsSchema.parse(params)));
  }

  performUiAction(params: UiActionParamsInit, _options?: CallOptions): Promise<void> {
    this.#require("ui.actions");
    const p = UiActionParamsSchema.parse(params);
    const target = this.#desktop.act(p);
    this.#record("ui.action", { role: target.role, name: target.name, action: p.action });
    return Promise.resolve();
  }

  clipboardRead(_options?: CallOptions): Promise<ClipboardContents> {
    this.#require("clipboard.read");
    return Promise.resolve(structuredClone(this.#clipboard));
  }

  clipboardWrite(contents: ClipboardContents, _options?: CallOptions): Promise<void> {
    this.#require("clipboard.write");
    this.#clipboard = structuredClone(contents);
    this.#record("clipboard.write", { contents });
    return Promise.resolve();
  }

  lockScreen(_options?: CallOptions): Promise<void> {
    this.#require("power.lock");
    this.locked = true;
    this.#record("power.lock", {});
    return Promise.resolve();
  }

  notifications(_options?: CallOptions): Promise<Notification[]> {
    this.#require("notifications.list");
    return Promise.resolve(structuredClone(this.#notifications));
  }
}
