/**
 * `HostComputer`: the base backend. It implements the OS-independent methods
 * for real (files, processes, environment, manifest) and answers every
 * desktop method (display, input, windows, apps, UI, clipboard, lock,
 * notifications) with `CapabilityUnsupportedError`. Native backends extend it
 * and override what their platform can do, together with
 * `supportedCapabilities()`. `opendesk serve` uses it as is on a machine
 * without a display.
 *
 * @module
 */

import { CapabilityUnsupportedError } from "../protocol/errors.ts";
import type { CallOptions, Computer } from "./computer.ts";
import {
  deletePath,
  listDirectory,
  makeDirectory,
  movePath,
  readFileBytes,
  statPath,
  writeFileAtomic,
} from "./fs_methods.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./limits.ts";
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
import { canListProcesses, listProcesses } from "./process_list.ts";
import { runCommand, shellArgv } from "./run_command.ts";
import { hostFacts } from "./system_info.ts";
import {
  CAPABILITIES,
  type Capability,
  type CapabilityManifest,
  MANIFEST_PROTOCOL_VERSION,
} from "./types/capability.ts";
import type { ClipboardContents } from "./types/clipboard.ts";
import type { Display, DisplayFrame, Pixmap } from "./types/display.ts";
import type { Environment } from "./types/environment.ts";
import { absenceMap, type CapabilityAbsences } from "./capability_absences.ts";
import type { FileEntry } from "./types/file_entry.ts";
import type { Point, Rect } from "./types/geometry.ts";
import type { InputEvent, KeyEvent, PointerEvent, TextInput } from "./types/input.ts";
import type { Notification } from "./types/notification.ts";
import type { CompletedCommand, Process } from "./types/process.ts";
import type { UIElement } from "./types/ui_element.ts";
import type { Window } from "./types/window.ts";

/** Options of {@linkcode HostComputer}. */
export interface HostComputerOptions {
  /**
   * Backend name in the manifest.
   * @default `local/<os>` (`local/linux`, `local/darwin`, `local/windows`)
   */
  backend?: string;
  /** Manifest `description` ("what this machine is for"). @default "" */
  description?: string;
  /**
   * Largest file read or command output one result may carry.
   * @default DEFAULT_MAX_PAYLOAD_BYTES (32 MiB minus frame overhead)
   */
  maxPayloadBytes?: number;
  /**
   * Supplies `Environment.displays`.
   * @default the backend's `displays()`, or `[]` when it has no display capability
   */
  displays?: () => Promise<Display[]>;
  /**
   * Variables every command started for a controller gets (`process.shell`,
   * `process.exec`): the served desktop's session, e.g. DISPLAY,
   * DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR. A request's own `env` wins.
   * @default {}
   */
  childEnv?: Record<string, string>;
  /**
   * Why there is no desktop (said of every desktop capability when it is
   * absent), e.g. why the display could not be opened and what to run.
   * @default "this server has no desktop backend (no display connection)"
   */
  desktopReason?: string;
}

/** Desktop capabilities and what a missing one means, for error messages. */
const DESKTOP_REASON = "this server has no desktop backend (no display connection)";

/** The base backend: real files, processes and environment; no desktop. */
export class HostComputer implements Computer {
  #backend: string;
  #description: string;
  #maxPayloadBytes: number;
  #displaysHook: (() => Promise<Display[]>) | undefined;
  #childEnv: Record<string, string>;
  #desktopReason: string;

  /** Creates the backend. */
  constructor(options: HostComputerOptions = {}) {
    this.#backend = options.backend ?? `local/${Deno.build.os}`;
    this.#description = options.description ?? "";
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#displaysHook = options.displays;
    this.#childEnv = options.childEnv ?? {};
    this.#desktopReason = options.desktopReason ?? DESKTOP_REASON;
  }

  /** Backend name as in the manifest. */
  get backend(): string {
    return this.#backend;
  }

  /** The manifest's description; the server may replace it (description.txt). */
  get description(): string {
    return this.#description;
  }
  set description(value: string) {
    this.#description = value;
  }

  /** Largest payload one result may carry. */
  protected get maxPayloadBytes(): number {
    return this.#maxPayloadBytes;
  }

  /** Capabilities this backend really delivers. Subclasses add theirs to `super`'s. */
  protected supportedCapabilities(): Capability[] {
    const caps: Capability[] = ["fs.read", "fs.write", "process.shell", "process.spawn"];
    if (canListProcesses()) caps.push("process.list");
    return caps;
  }

  /** Per-capability limits for the manifest (e.g. `{"display.stream": {max_fps: 30}}`). */
  protected capabilityLimits(): Record<string, Record<string, unknown>> {
    return {};
  }

  /**
   * The error for a capability this backend lacks; subclasses may override it
   * to explain what is missing on their platform.
   */
  protected unsupportedError(
    capability: Capability,
    reason: string = this.#desktopReason,
  ): CapabilityUnsupportedError {
    return new CapabilityUnsupportedError(
      capability,
      this.#backend,
      `Capability '${capability}' is not supported by backend '${this.#backend}': ${reason}`,
    );
  }

  /** The capability manifest: exactly five keys, capabilities in catalogue order. */
  capabilities(): CapabilityManifest {
    const have = new Set(this.supportedCapabilities());
    return {
      capabilities: CAPABILITIES.filter((c) => have.has(c)),
      limits: this.capabilityLimits(),
      protocol_version: MANIFEST_PROTOCOL_VERSION,
      backend: this.#backend,
      description: this.#description,
    };
  }

  /**
   * Why each capability this backend lacks is absent (and methods that cannot
   * work although their capability is advertised). Subclasses add their
   * reasons to `super`'s in `absenceReasons()`.
   */
  absentCapabilities(_options?: CallOptions): Promise<CapabilityAbsences> {
    return Promise.resolve(
      absenceMap(this.supportedCapabilities(), this.absenceReasons(), this.#desktopReason),
    );
  }

  /** Reasons of this backend's absent capabilities or methods, with what to install or run. */
  protected absenceReasons(): CapabilityAbsences {
    return {};
  }

  /** Platform facts; displays from the hook, the backend, or none. */
  async environment(options?: CallOptions): Promise<Environment> {
    let displays: Display[] = [];
    if (this.#displaysHook) {
      displays = await this.#displaysHook();
    } else if (this.supportedCapabilities().includes("display.capture")) {
      displays = await this.displays(options);
    }
    return { ...hostFacts(), displays };
  }

  // Desktop methods: unsupported here; native backends override them.

  displays(_options?: CallOptions): Promise<Display[]> {
    return Promise.reject(this.unsupportedError("display.capture"));
  }
  capture(_params?: CaptureParamsInit, _options?: CallOptions): Promise<Pixmap> {
    return Promise.reject(this.unsupportedError("display.capture"));
  }
  cursorPosition(_options?: CallOptions): Promise<Point> {
    return Promise.reject(this.unsupportedError("input.pointer"));
  }
  // deno-lint-ignore require-yield
  async *subscribeDisplay(
    _params?: SubscribeDisplayParamsInit,
    _options?: CallOptions,
  ): AsyncGenerator<DisplayFrame> {
    throw this.unsupportedError("display.stream");
  }
  pointer(_event: PointerEvent, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("input.pointer"));
  }
  key(_event: KeyEvent, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("input.keyboard"));
  }
  text(_input: TextInput, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("input.text"));
  }
  // deno-lint-ignore require-yield
  async *subscribeInput(_options?: CallOptions): AsyncGenerator<InputEvent> {
    throw this.unsupportedError("input.pointer", `${DESKTOP_REASON}, so input cannot be observed`);
  }
  windows(_options?: CallOptions): Promise<Window[]> {
    return Promise.reject(this.unsupportedError("windows.list"));
  }
  focusedWindow(_options?: CallOptions): Promise<Window | null> {
    return Promise.reject(this.unsupportedError("windows.list"));
  }
  focusWindow(_windowId: string, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("windows.manipulate"));
  }
  closeWindow(_windowId: string, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("windows.manipulate"));
  }
  moveWindow(_windowId: string, _bounds: Rect, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("windows.manipulate"));
  }
  openApp(_name: string, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("app.lifecycle"));
  }
  closeApp(_name: string, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("app.lifecycle"));
  }
  focusApp(_name: string, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("app.lifecycle"));
  }
  listApps(_options?: CallOptions): Promise<string[]> {
    return Promise.reject(this.unsupportedError("app.lifecycle"));
  }
  uiTree(_params?: UiTreeParamsInit, _options?: CallOptions): Promise<UIElement> {
    return Promise.reject(this.unsupportedError("ui.tree"));
  }
  performUiAction(_params: UiActionParamsInit, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("ui.actions"));
  }
  clipboardRead(_options?: CallOptions): Promise<ClipboardContents> {
    return Promise.reject(this.unsupportedError("clipboard.read"));
  }
  clipboardWrite(_contents: ClipboardContents, _options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("clipboard.write"));
  }
  lockScreen(_options?: CallOptions): Promise<void> {
    return Promise.reject(this.unsupportedError("power.lock"));
  }
  notifications(_options?: CallOptions): Promise<Notification[]> {
    return Promise.reject(this.unsupportedError("notifications.list"));
  }

  // OS-independent methods.

  /** Reads a file or a range of it. */
  readFile(path: string, range: ReadFileRange = {}, options?: CallOptions): Promise<Uint8Array> {
    return readFileBytes(path, range, this.#maxPayloadBytes, options?.signal);
  }
  /** Writes a file atomically (temp file + rename), creating parents. */
  writeFile(path: string, data: Uint8Array, _options?: CallOptions): Promise<void> {
    return writeFileAtomic(path, data);
  }
  /** Lists a directory. */
  listDir(path: string, _options?: CallOptions): Promise<FileEntry[]> {
    return listDirectory(path);
  }
  /** Metadata of a path. */
  stat(path: string, _options?: CallOptions): Promise<FileEntry> {
    return statPath(path);
  }
  /** Deletes a path (recursively for directories; missing is fine). */
  delete(path: string, _options?: CallOptions): Promise<void> {
    return deletePath(path);
  }
  /** Moves or renames a path. */
  move(src: string, dst: string, _options?: CallOptions): Promise<void> {
    return movePath(src, dst);
  }
  /** Creates a directory. */
  mkdir(path: string, mkdirOptions: MkdirOptions = {}, _options?: CallOptions): Promise<void> {
    return makeDirectory(path, mkdirOptions.parents ?? true);
  }
  /** Running processes. */
  processes(_options?: CallOptions): Promise<Process[]> {
    if (!canListProcesses()) {
      return Promise.reject(
        this.unsupportedError("process.list", "this platform has no process table reader"),
      );
    }
    return listProcesses();
  }
  /** Runs a command through `/bin/sh -c` (`cmd.exe /c` on Windows). */
  shell(
    command: string,
    shellOptions: ShellOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return runCommand(shellArgv(command), {
      timeout: shellOptions.timeout ?? null,
      cwd: shellOptions.cwd ?? null,
      env: this.#envFor(shellOptions.env),
      stdin: null,
      maxOutputBytes: this.#maxPayloadBytes,
      signal: options?.signal,
      label: command.length > 80 ? `${command.slice(0, 80)}…` : command,
    });
  }
  /** Runs a program directly. */
  exec(
    argv: string[],
    execOptions: ExecOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    const joined = argv.join(" ");
    return runCommand(argv, {
      timeout: execOptions.timeout ?? null,
      cwd: execOptions.cwd ?? null,
      env: this.#envFor(execOptions.env),
      stdin: execOptions.stdin ?? null,
      maxOutputBytes: this.#maxPayloadBytes,
      signal: options?.signal,
      label: joined.length > 80 ? `${joined.slice(0, 80)}…` : joined,
    });
  }

  /** The session's variables under a request's own; null when there are neither. */
  #envFor(env: Record<string, string> | null | undefined): Record<string, string> | null {
    if (!env && Object.keys(this.#childEnv).length === 0) return null;
    return { ...this.#childEnv, ...env };
  }

  /** Nothing to release in the base backend. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
