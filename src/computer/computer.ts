/**
 * The `Computer` interface: everything a controller can ask of a controlled
 * machine (computer-v1 §4). Backends: `HostComputer` (OS-independent parts,
 * no display), the native backends that extend it, `FakeComputer` for tests
 * and `RemoteComputer` (the same interface over a protocol session).
 *
 * Conventions for implementers:
 * - Parameter bags use the wire's parameter names; defaults are optional for
 *   callers, so apply them with the schema in `params.ts` (or `??`).
 * - Extension parameters (H10) are optional; honour them when the backend can.
 * - An operation the backend cannot do throws `CapabilityUnsupportedError`
 *   naming the capability and the backend, and the capability is left out of
 *   `capabilities()`. Never pretend to succeed.
 * - Bad values throw `RemoteError("invalid_argument", …)`, missing objects
 *   `RemoteError("not_found", …)`.
 * - Long operations watch `options.signal` and stop when it aborts.
 *
 * @module
 */

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
import type { CapabilityAbsences } from "./capability_absences.ts";
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

/** Per-call options every `Computer` operation accepts. */
export interface CallOptions {
  /** Aborts the operation (a remote call sends CANCEL; a local one stops its work). */
  signal?: AbortSignal | undefined;
  /**
   * Remote calls only: local deadline in milliseconds, after which the call
   * rejects with `TimeoutError` and a CANCEL is sent. Local backends ignore it.
   * @default the client's default call timeout
   */
  timeoutMs?: number | undefined;
}

/** A controllable computer. */
export interface Computer {
  /** Backend name as in the manifest (`local/linux`, `fake`, `remote`, …). */
  readonly backend: string;

  /** What this backend can do. Cheap, no I/O. */
  capabilities(): CapabilityManifest;
  /**
   * Why each absent capability is absent, with what to install or run
   * (`system.capabilities` with `absent: true`); `{}` from a peer that does
   * not say.
   */
  absentCapabilities?(options?: CallOptions): Promise<CapabilityAbsences>;
  /** Platform facts (`system.environment`). */
  environment(options?: CallOptions): Promise<Environment>;

  /** Monitors (`display.displays`). Needs `display.capture`. */
  displays(options?: CallOptions): Promise<Display[]>;
  /** One screenshot (`display.capture`). Needs `display.capture`. */
  capture(params?: CaptureParamsInit, options?: CallOptions): Promise<Pixmap>;
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

  /** A file's bytes, or a range of them (`fs.read`). */
  readFile(path: string, range?: ReadFileRange, options?: CallOptions): Promise<Uint8Array>;
  /** Writes a whole file atomically, creating parent directories (`fs.write`). */
  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void>;
  /** A directory's entries (`fs.list`). */
  listDir(path: string, options?: CallOptions): Promise<FileEntry[]>;
  /** One path's metadata (`fs.stat`). */
  stat(path: string, options?: CallOptions): Promise<FileEntry>;
  /** Deletes a file, or a directory recursively; a missing path is not an error (`fs.delete`). */
  delete(path: string, options?: CallOptions): Promise<void>;
  /** Moves or renames (`fs.move`). */
  move(src: string, dst: string, options?: CallOptions): Promise<void>;
  /** Creates a directory (`fs.mkdir`). */
  mkdir(path: string, mkdirOptions?: MkdirOptions, options?: CallOptions): Promise<void>;

  /** Running processes (`process.list`). */
  processes(options?: CallOptions): Promise<Process[]>;
  /** Runs a command through the platform shell (`process.shell`). */
  shell(
    command: string,
    shellOptions?: ShellOptions,
    options?: CallOptions,
  ): Promise<CompletedCommand>;
  /** Runs a program directly, without a shell (`process.exec`). */
  exec(argv: string[], execOptions?: ExecOptions, options?: CallOptions): Promise<CompletedCommand>;

  /** Locks the screen (`power.lock`, alias `system.lock`). */
  lockScreen(options?: CallOptions): Promise<void>;
  /** Recent notifications (`notifications.list`). */
  notifications(options?: CallOptions): Promise<Notification[]>;

  /** Releases the backend's resources. Idempotent. */
  close(): Promise<void>;
}
