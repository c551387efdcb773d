/**
 * `MethodClient`: the client side of the method table. Every `Computer`
 * operation is one line that names its method definition and hands the
 * params to {@linkcode MethodClient.invoke} (unary) or
 * {@linkcode MethodClient.open} (streams), the one generic typed call path
 * (as vscode-jsonrpc's `sendRequest(type, params)`). A subclass supplies that
 * path: `RemoteComputer` over one protocol session, `ReconnectingComputer`
 * around a session that reconnects and replays idempotent calls.
 *
 * @module
 */

import type { WireMap } from "../../protocol/handler.ts";
import type { CallOptions, Computer } from "../computer.ts";
import type { StreamMethodDef, UnaryMethodDef } from "../methods/method_def.ts";
import {
  AppsClose,
  AppsFocus,
  AppsList,
  AppsOpen,
  ClipboardRead,
  ClipboardWrite,
  NotificationsList,
  PowerLock,
  UiAction,
  UiTree,
  WindowsClose,
  WindowsFocus,
  WindowsFocused,
  WindowsList,
  WindowsMove,
} from "../methods/methods_desktop.ts";
import {
  FsDelete,
  FsList,
  FsMkdir,
  FsMove,
  FsRead,
  FsStat,
  FsWrite,
  ProcessExec,
  ProcessList,
  ProcessShell,
} from "../methods/methods_host.ts";
import {
  DisplayCapture,
  DisplayCursorPosition,
  DisplayDisplays,
  DisplayPixel,
  DisplaySubscribe,
  InputKey,
  InputPointer,
  InputSubscribe,
  InputText,
  SystemCapabilities,
  SystemEnvironment,
} from "../methods/methods_system.ts";
import type { CapabilityAbsences } from "../capability_absences.ts";
import type {
  CaptureParamsInit,
  ExecOptions,
  MkdirOptions,
  ReadFileRange,
  ShellOptions,
  SubscribeDisplayParamsInit,
  UiActionParamsInit,
  UiTreeParamsInit,
} from "../methods/params.ts";
import type { CapabilityManifest } from "../types/capability.ts";
import type { ClipboardContents } from "../types/clipboard.ts";
import type { Color, Display, DisplayFrame, Pixmap } from "../types/display.ts";
import type { Environment } from "../types/environment.ts";
import type { FileEntry } from "../types/file_entry.ts";
import type { Point, Rect } from "../types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../types/input.ts";
import type { Notification } from "../types/notification.ts";
import type { CompletedCommand, Process } from "../types/process.ts";
import type { UIElement } from "../types/ui_element.ts";
import type { Window } from "../types/window.ts";

/** A `Computer` whose operations are calls of the method table. */
export abstract class MethodClient implements Computer {
  /** The server's backend name. */
  abstract get backend(): string;
  /** The server's manifest (no I/O). */
  abstract capabilities(): CapabilityManifest;
  /** Calls one unary method with typed params and result. */
  abstract invoke<P, R>(
    def: UnaryMethodDef<P, R>,
    params: unknown,
    options?: CallOptions,
  ): Promise<R>;
  /** Opens one stream with typed items. */
  abstract open<P, I>(
    def: StreamMethodDef<P, I>,
    params: unknown,
    options?: CallOptions,
  ): AsyncIterable<I>;
  /** Calls any unary method by name with raw maps (for the REPL's free-form calls). */
  abstract call(method: string, params?: WireMap, options?: CallOptions): Promise<WireMap | null>;
  /** Opens any stream by name with raw maps. */
  abstract stream(method: string, params?: WireMap, options?: CallOptions): AsyncIterable<WireMap>;
  /** Releases the client. */
  abstract close(): Promise<void>;

  environment(options?: CallOptions): Promise<Environment> {
    return this.invoke(SystemEnvironment, {}, options);
  }
  /** Why the server's absent capabilities are absent; `{}` from a server that does not say. */
  async absentCapabilities(options?: CallOptions): Promise<CapabilityAbsences> {
    const manifest = await this.invoke(SystemCapabilities, { absent: true }, options);
    return manifest.absent ?? {};
  }
  displays(options?: CallOptions): Promise<Display[]> {
    return this.invoke(DisplayDisplays, {}, options);
  }
  capture(params: CaptureParamsInit = {}, options?: CallOptions): Promise<Pixmap> {
    return this.invoke(DisplayCapture, params, options);
  }
  pixel(point: Point, options?: CallOptions): Promise<Color> {
    return this.invoke(DisplayPixel, { point }, options);
  }
  cursorPosition(options?: CallOptions): Promise<Point> {
    return this.invoke(DisplayCursorPosition, {}, options);
  }
  subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncIterable<DisplayFrame> {
    return this.open(DisplaySubscribe, params, options);
  }
  pointer(event: PointerEvent, options?: CallOptions): Promise<void> {
    return this.invoke(InputPointer, { event }, options);
  }
  key(event: KeyEvent, options?: CallOptions): Promise<void> {
    return this.invoke(InputKey, { event }, options);
  }
  text(input: TextInput, options?: CallOptions): Promise<void> {
    return this.invoke(InputText, { text_input: input }, options);
  }
  subscribeInput(options?: CallOptions): AsyncIterable<InputEvent> {
    return this.open(InputSubscribe, {}, options);
  }
  windows(options?: CallOptions): Promise<Window[]> {
    return this.invoke(WindowsList, {}, options);
  }
  focusedWindow(options?: CallOptions): Promise<Window | null> {
    return this.invoke(WindowsFocused, {}, options);
  }
  focusWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.invoke(WindowsFocus, { window_id: windowId }, options);
  }
  closeWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.invoke(WindowsClose, { window_id: windowId }, options);
  }
  moveWindow(windowId: string, bounds: Rect, options?: CallOptions): Promise<void> {
    return this.invoke(WindowsMove, { window_id: windowId, bounds }, options);
  }
  openApp(name: string, options?: CallOptions): Promise<void> {
    return this.invoke(AppsOpen, { name }, options);
  }
  closeApp(name: string, options?: CallOptions): Promise<void> {
    return this.invoke(AppsClose, { name }, options);
  }
  focusApp(name: string, options?: CallOptions): Promise<void> {
    return this.invoke(AppsFocus, { name }, options);
  }
  listApps(options?: CallOptions): Promise<string[]> {
    return this.invoke(AppsList, {}, options);
  }
  uiTree(params: UiTreeParamsInit = {}, options?: CallOptions): Promise<UIElement> {
    return this.invoke(UiTree, params, options);
  }
  performUiAction(params: UiActionParamsInit, options?: CallOptions): Promise<void> {
    return this.invoke(UiAction, params, options);
  }
  clipboardRead(options?: CallOptions): Promise<ClipboardContents> {
    return this.invoke(ClipboardRead, {}, options);
  }
  clipboardWrite(contents: ClipboardContents, options?: CallOptions): Promise<void> {
    return this.invoke(ClipboardWrite, { contents }, options);
  }
  readFile(path: string, range: ReadFileRange = {}, options?: CallOptions): Promise<Uint8Array> {
    return this.invoke(FsRead, { path, ...range }, options);
  }
  async writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    await this.invoke(FsWrite, { path, data }, options);
  }
  listDir(path: string, options?: CallOptions): Promise<FileEntry[]> {
    return this.invoke(FsList, { path }, options);
  }
  stat(path: string, options?: CallOptions): Promise<FileEntry> {
    return this.invoke(FsStat, { path }, options);
  }
  delete(path: string, options?: CallOptions): Promise<void> {
    return this.invoke(FsDelete, { path }, options);
  }
  move(src: string, dst: string, options?: CallOptions): Promise<void> {
    return this.invoke(FsMove, { src, dst }, options);
  }
  mkdir(path: string, mkdirOptions: MkdirOptions = {}, options?: CallOptions): Promise<void> {
    return this.invoke(FsMkdir, { path, ...mkdirOptions }, options);
  }
  processes(options?: CallOptions): Promise<Process[]> {
    return this.invoke(ProcessList, {}, options);
  }
  shell(
    command: string,
    shellOptions: ShellOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.invoke(ProcessShell, { command, ...shellOptions }, options);
  }
  exec(
    argv: string[],
    execOptions: ExecOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.invoke(ProcessExec, { argv, ...execOptions }, options);
  }
  lockScreen(options?: CallOptions): Promise<void> {
    return this.invoke(PowerLock, {}, options);
  }
  notifications(options?: CallOptions): Promise<Notification[]> {
    return this.invoke(NotificationsList, {}, options);
  }
}
