/**
 * The `Computer` interface of a {@linkcode ClientSession}: every operation
 * runs on the session's current connection, and after a lost connection the
 * session reconnects and replays the operation once when its wire method is
 * idempotent (protocol-v1 §7.11). Streams are opened on the current
 * connection and never replayed.
 *
 * @module
 */

import type { CallOptions, Computer } from "../computer/computer.ts";
import type {
  CaptureParamsInit,
  ExecOptions,
  MkdirOptions,
  ReadFileRange,
  ShellOptions,
  SubscribeDisplayParamsInit,
  UiActionParamsInit,
  UiTreeParamsInit,
} from "../computer/params.ts";
import type { RemoteComputer } from "../computer/remote_computer.ts";
import type { CapabilityManifest } from "../computer/types/capability.ts";
import type { ClipboardContents } from "../computer/types/clipboard.ts";
import type { Display, DisplayFrame, Pixmap } from "../computer/types/display.ts";
import type { Environment } from "../computer/types/environment.ts";
import type { FileEntry } from "../computer/types/file_entry.ts";
import type { Point, Rect } from "../computer/types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "../computer/types/input.ts";
import type { Notification } from "../computer/types/notification.ts";
import type { CompletedCommand, Process } from "../computer/types/process.ts";
import type { UIElement } from "../computer/types/ui_element.ts";
import type { Window } from "../computer/types/window.ts";
import type { WireMap } from "../protocol/handler.ts";

/** What the computer needs from its session. */
export interface ComputerSession {
  readonly manifest: CapabilityManifest;
  run<T>(method: string, operation: (computer: RemoteComputer) => Promise<T>): Promise<T>;
  runStream<T>(open: (computer: RemoteComputer) => AsyncIterable<T>): AsyncIterable<T>;
  close(): Promise<void>;
}

/** A `Computer` that survives reconnects of its session. */
export class ReconnectingComputer implements Computer {
  #s: ComputerSession;

  /** @param session the session whose connection each call uses */
  constructor(session: ComputerSession) {
    this.#s = session;
  }

  /** The server's backend name. */
  get backend(): string {
    return this.#s.manifest.backend;
  }

  /** The server's manifest from its latest HELLO (no I/O). */
  capabilities(): CapabilityManifest {
    return this.#s.manifest;
  }

  /** Calls any unary method by name (replayed after a reconnect only when idempotent). */
  call(method: string, params: WireMap = {}, options: CallOptions = {}): Promise<WireMap | null> {
    return this.#s.run(method, (c) => c.call(method, params, options));
  }
  /** Opens any stream by name. */
  stream(method: string, params: WireMap = {}, options: CallOptions = {}): AsyncIterable<WireMap> {
    return this.#s.runStream((c) => c.stream(method, params, options));
  }

  environment(options?: CallOptions): Promise<Environment> {
    return this.#s.run("system.environment", (c) => c.environment(options));
  }
  displays(options?: CallOptions): Promise<Display[]> {
    return this.#s.run("display.displays", (c) => c.displays(options));
  }
  capture(params?: CaptureParamsInit, options?: CallOptions): Promise<Pixmap> {
    return this.#s.run("display.capture", (c) => c.capture(params, options));
  }
  cursorPosition(options?: CallOptions): Promise<Point> {
    return this.#s.run("display.cursor_position", (c) => c.cursorPosition(options));
  }
  subscribeDisplay(
    params?: SubscribeDisplayParamsInit,
    options?: CallOptions,
  ): AsyncIterable<DisplayFrame> {
    return this.#s.runStream((c) => c.subscribeDisplay(params, options));
  }
  pointer(event: PointerEvent, options?: CallOptions): Promise<void> {
    return this.#s.run("input.pointer", (c) => c.pointer(event, options));
  }
  key(event: KeyEvent, options?: CallOptions): Promise<void> {
    return this.#s.run("input.key", (c) => c.key(event, options));
  }
  text(input: TextInput, options?: CallOptions): Promise<void> {
    return this.#s.run("input.text", (c) => c.text(input, options));
  }
  subscribeInput(options?: CallOptions): AsyncIterable<InputEvent> {
    return this.#s.runStream((c) => c.subscribeInput(options));
  }
  windows(options?: CallOptions): Promise<Window[]> {
    return this.#s.run("windows.list", (c) => c.windows(options));
  }
  focusedWindow(options?: CallOptions): Promise<Window | null> {
    return this.#s.run("windows.focused", (c) => c.focusedWindow(options));
  }
  focusWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.#s.run("windows.focus", (c) => c.focusWindow(windowId, options));
  }
  closeWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.#s.run("windows.close", (c) => c.closeWindow(windowId, options));
  }
  moveWindow(windowId: string, bounds: Rect, options?: CallOptions): Promise<void> {
    return this.#s.run("windows.move", (c) => c.moveWindow(windowId, bounds, options));
  }
  openApp(name: string, options?: CallOptions): Promise<void> {
    return this.#s.run("apps.open", (c) => c.openApp(name, options));
  }
  closeApp(name: string, options?: CallOptions): Promise<void> {
    return this.#s.run("apps.close", (c) => c.closeApp(name, options));
  }
  focusApp(name: string, options?: CallOptions): Promise<void> {
    return this.#s.run("apps.focus", (c) => c.focusApp(name, options));
  }
  listApps(options?: CallOptions): Promise<string[]> {
    return this.#s.run("apps.list", (c) => c.listApps(options));
  }
  uiTree(params?: UiTreeParamsInit, options?: CallOptions): Promise<UIElement> {
    return this.#s.run("ui.tree", (c) => c.uiTree(params, options));
  }
  performUiAction(params: UiActionParamsInit, options?: CallOptions): Promise<void> {
    return this.#s.run("ui.action", (c) => c.performUiAction(params, options));
  }
  clipboardRead(options?: CallOptions): Promise<ClipboardContents> {
    return this.#s.run("clipboard.read", (c) => c.clipboardRead(options));
  }
  clipboardWrite(contents: ClipboardContents, options?: CallOptions): Promise<void> {
    return this.#s.run("clipboard.write", (c) => c.clipboardWrite(contents, options));
  }
  readFile(path: string, range?: ReadFileRange, options?: CallOptions): Promise<Uint8Array> {
    return this.#s.run("fs.read", (c) => c.readFile(path, range, options));
  }
  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    return this.#s.run("fs.write", (c) => c.writeFile(path, data, options));
  }
  listDir(path: string, options?: CallOptions): Promise<FileEntry[]> {
    return this.#s.run("fs.list", (c) => c.listDir(path, options));
  }
  stat(path: string, options?: CallOptions): Promise<FileEntry> {
    return this.#s.run("fs.stat", (c) => c.stat(path, options));
  }
  delete(path: string, options?: CallOptions): Promise<void> {
    return this.#s.run("fs.delete", (c) => c.delete(path, options));
  }
  move(src: string, dst: string, options?: CallOptions): Promise<void> {
    return this.#s.run("fs.move", (c) => c.move(src, dst, options));
  }
  mkdir(path: string, mkdirOptions?: MkdirOptions, options?: CallOptions): Promise<void> {
    return this.#s.run("fs.mkdir", (c) => c.mkdir(path, mkdirOptions, options));
  }
  processes(options?: CallOptions): Promise<Process[]> {
    return this.#s.run("process.list", (c) => c.processes(options));
  }
  shell(
    command: string,
    shellOptions?: ShellOptions,
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.#s.run("process.shell", (c) => c.shell(command, shellOptions, options));
  }
  exec(
    argv: string[],
    execOptions?: ExecOptions,
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.#s.run("process.exec", (c) => c.exec(argv, execOptions, options));
  }
  lockScreen(options?: CallOptions): Promise<void> {
    return this.#s.run("power.lock", (c) => c.lockScreen(options));
  }
  notifications(options?: CallOptions): Promise<Notification[]> {
    return this.#s.run("notifications.list", (c) => c.notifications(options));
  }
  /** Ends the session. */
  close(): Promise<void> {
    return this.#s.close();
  }
}
