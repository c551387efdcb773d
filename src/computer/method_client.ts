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

import type { WireMap } from "../protocol/handler.ts";
import type { CallOptions, Computer } from "./computer.ts";
import type { StreamMethodDef, UnaryMethodDef } from "./method_def.ts";
import * as M from "./_remote_methods.ts";
import type {
  CaptureParamsInit,
  ExecOptions,
  MkdirOptions,
  ReadFileRange,
  ShellOptions,
  SubscribeDisplayParamsInit,
  UiActionParamsInit,
  UiTreeParamsInit,
} from "./params.ts";
import type { CapabilityManifest } from "./types/capability.ts";
import type { ClipboardContents } from "./types/clipboard.ts";
import type { Display, DisplayFrame, Pixmap } from "./types/display.ts";
import type { Environment } from "./types/environment.ts";
import type { FileEntry } from "./types/file_entry.ts";
import type { Point, Rect } from "./types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "./types/input.ts";
import type { Notification } from "./types/notification.ts";
import type { CompletedCommand, Process } from "./types/process.ts";
import type { UIElement } from "./types/ui_element.ts";
import type { Window } from "./types/window.ts";

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
    return this.invoke(M.SystemEnvironment, {}, options);
  }
  displays(options?: CallOptions): Promise<Display[]> {
    return this.invoke(M.DisplayDisplays, {}, options);
  }
  capture(params: CaptureParamsInit = {}, options?: CallOptions): Promise<Pixmap> {
    return this.invoke(M.DisplayCapture, params, options);
  }
  cursorPosition(options?: CallOptions): Promise<Point> {
    return this.invoke(M.DisplayCursorPosition, {}, options);
  }
  subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncIterable<DisplayFrame> {
    return this.open(M.DisplaySubscribe, params, options);
  }
  pointer(event: PointerEvent, options?: CallOptions): Promise<void> {
    return this.invoke(M.InputPointer, { event }, options);
  }
  key(event: KeyEvent, options?: CallOptions): Promise<void> {
    return this.invoke(M.InputKey, { event }, options);
  }
  text(input: TextInput, options?: CallOptions): Promise<void> {
    return this.invoke(M.InputText, { text_input: input }, options);
  }
  subscribeInput(options?: CallOptions): AsyncIterable<InputEvent> {
    return this.open(M.InputSubscribe, {}, options);
  }
  windows(options?: CallOptions): Promise<Window[]> {
    return this.invoke(M.WindowsList, {}, options);
  }
  focusedWindow(options?: CallOptions): Promise<Window | null> {
    return this.invoke(M.WindowsFocused, {}, options);
  }
  focusWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.WindowsFocus, { window_id: windowId }, options);
  }
  closeWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.WindowsClose, { window_id: windowId }, options);
  }
  moveWindow(windowId: string, bounds: Rect, options?: CallOptions): Promise<void> {
    return this.invoke(M.WindowsMove, { window_id: windowId, bounds }, options);
  }
  openApp(name: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.AppsOpen, { name }, options);
  }
  closeApp(name: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.AppsClose, { name }, options);
  }
  focusApp(name: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.AppsFocus, { name }, options);
  }
  listApps(options?: CallOptions): Promise<string[]> {
    return this.invoke(M.AppsList, {}, options);
  }
  uiTree(params: UiTreeParamsInit = {}, options?: CallOptions): Promise<UIElement> {
    return this.invoke(M.UiTree, params, options);
  }
  performUiAction(params: UiActionParamsInit, options?: CallOptions): Promise<void> {
    return this.invoke(M.UiAction, params, options);
  }
  clipboardRead(options?: CallOptions): Promise<ClipboardContents> {
    return this.invoke(M.ClipboardRead, {}, options);
  }
  clipboardWrite(contents: ClipboardContents, options?: CallOptions): Promise<void> {
    return this.invoke(M.ClipboardWrite, { contents }, options);
  }
  readFile(path: string, range: ReadFileRange = {}, options?: CallOptions): Promise<Uint8Array> {
    return this.invoke(M.FsRead, { path, ...range }, options);
  }
  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    return this.invoke(M.FsWrite, { path, data }, options);
  }
  listDir(path: string, options?: CallOptions): Promise<FileEntry[]> {
    return this.invoke(M.FsList, { path }, options);
  }
  stat(path: string, options?: CallOptions): Promise<FileEntry> {
    return this.invoke(M.FsStat, { path }, options);
  }
  delete(path: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.FsDelete, { path }, options);
  }
  move(src: string, dst: string, options?: CallOptions): Promise<void> {
    return this.invoke(M.FsMove, { src, dst }, options);
  }
  mkdir(path: string, mkdirOptions: MkdirOptions = {}, options?: CallOptions): Promise<void> {
    return this.invoke(M.FsMkdir, { path, ...mkdirOptions }, options);
  }
  processes(options?: CallOptions): Promise<Process[]> {
    return this.invoke(M.ProcessList, {}, options);
  }
  shell(
    command: string,
    shellOptions: ShellOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.invoke(M.ProcessShell, { command, ...shellOptions }, options);
  }
  exec(
    argv: string[],
    execOptions: ExecOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.invoke(M.ProcessExec, { argv, ...execOptions }, options);
  }
  lockScreen(options?: CallOptions): Promise<void> {
    return this.invoke(M.PowerLock, {}, options);
  }
  notifications(options?: CallOptions): Promise<Notification[]> {
    return this.invoke(M.NotificationsList, {}, options);
  }
}
