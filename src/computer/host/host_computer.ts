/**
 * `HostComputer`: the one `Computer` the server serves. It implements the
 * host services for real (files, processes, environment, manifest) and hands
 * every desktop method (display, input, windows, apps, UI, clipboard, lock,
 * notifications) to its desktop driver (`drivers/`), chosen at start-up by
 * the driver registry. Without a driver, desktop methods reject with
 * `CapabilityUnsupportedError` saying why there is none.
 *
 * @module
 */

import { CapabilityUnsupportedError } from "../../protocol/errors.ts";
import {
  DESKTOP_METHODS,
  type DesktopDriver,
  type DesktopMethodInfo,
  type DesktopMethods,
} from "../drivers/desktop_driver.ts";
import type { CallOptions, Computer } from "../computer.ts";
import {
  deletePath,
  listDirectory,
  makeDirectory,
  movePath,
  readFileBytes,
  statPath,
  writeFileAtomic,
} from "./fs_methods.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../limits.ts";
import type {
  ExecOptions,
  FilePart,
  FilePartResult,
  MkdirOptions,
  ReadFileRange,
  ShellOptions,
} from "../methods/params.ts";
import { PartedUploads } from "./parted_uploads.ts";
import { canListProcesses, listProcesses } from "./process_list.ts";
import { runCommand, shellArgv } from "./run_command.ts";
import { hostFacts } from "./system_info.ts";
import {
  CAPABILITIES,
  type Capability,
  type CapabilityManifest,
  MANIFEST_PROTOCOL_VERSION,
} from "../types/capability.ts";
import type {} from "../types/clipboard.ts";
import type { Display } from "../types/display.ts";
import type { Environment } from "../types/environment.ts";
import { absenceMap, type CapabilityAbsences } from "../capability_absences.ts";
import type { FileEntry } from "../types/file_entry.ts";
import type {} from "../types/geometry.ts";
import type {} from "../types/input.ts";
import type {} from "../types/notification.ts";
import type { CompletedCommand, Process } from "../types/process.ts";
import type {} from "../types/ui_element.ts";
import type {} from "../types/window.ts";

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
   * `process.exec`), over the driver's own (`DesktopDriver.childEnv()`, the
   * served desktop's session). A request's own `env` wins.
   * @default {}
   */
  childEnv?: Record<string, string>;
  /** The desktop driver that serves the desktop methods. @default none (host services only) */
  driver?: DesktopDriver;
  /**
   * Why there is no driver, for the errors of desktop methods.
   * @default "this server has no desktop driver (no display connection)"
   */
  noDriverReason?: string;
}

/** Why desktop methods fail when no reason was given. */
const NO_DRIVER_REASON = "this server has no desktop driver (no display connection)";

/** The desktop methods, installed on the prototype by the class's static block. */
export interface HostComputer extends DesktopMethods {}

/** Host services for real; desktop methods through the driver, if any. */
export class HostComputer implements Computer {
  #backend: string;
  #description: string;
  #maxPayloadBytes: number;
  #displaysHook: (() => Promise<Display[]>) | undefined;
  #childEnv: Record<string, string>;
  #driver: DesktopDriver | undefined;
  #noDriverReason: string;
  #uploads = new PartedUploads();

  /** Creates the backend. */
  constructor(options: HostComputerOptions = {}) {
    this.#backend = options.backend ?? `local/${Deno.build.os}`;
    this.#description = options.description ?? "";
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#displaysHook = options.displays;
    this.#childEnv = options.childEnv ?? {};
    this.#driver = options.driver;
    this.#noDriverReason = options.noDriverReason ?? NO_DRIVER_REASON;
  }

  /** The desktop driver, or undefined when this server has none. */
  get driver(): DesktopDriver | undefined {
    return this.#driver;
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

  /** Capabilities this backend really delivers: the host's and the driver's. */
  protected supportedCapabilities(): Capability[] {
    const caps: Capability[] = ["fs.read", "fs.write", "process.shell", "process.spawn"];
    if (canListProcesses()) caps.push("process.list");
    if (this.#driver) caps.push(...this.#driver.capabilities());
    return caps;
  }

  /** Per-capability limits for the manifest (e.g. `{"display.stream": {max_fps: 30}}`). */
  protected capabilityLimits(): Record<string, Record<string, unknown>> {
    return this.#driver?.limits() ?? {};
  }

  /**
   * The error for a capability this backend lacks; subclasses may override it
   * to explain what is missing on their platform.
   */
  protected unsupportedError(
    capability: Capability,
    reason: string = this.#noDriverReason,
  ): CapabilityUnsupportedError {
    return new CapabilityUnsupportedError(
      capability,
      this.#backend,
      `Capability '${capability}' is not supported by backend '${this.#backend}': ${reason}`,
    );
  }

  /** Why a desktop capability is absent: the driver's reason, or why there is no driver. */
  absenceReason(capability: Capability): string | undefined {
    const desktop = Object.values(DESKTOP_METHODS).some((m) => m.capability === capability);
    if (!desktop) return undefined;
    if (!this.#driver) return this.#noDriverReason;
    return this.#driver.absences()[capability] ??
      `the '${this.#driver.name}' desktop driver does not offer it`;
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
    const fallback = this.#driver
      ? `the '${this.#driver.name}' desktop driver does not offer it`
      : this.#noDriverReason;
    return Promise.resolve(
      absenceMap(this.supportedCapabilities(), this.absenceReasons(), fallback),
    );
  }

  /**
   * Reasons of this backend's absent capabilities or methods, with what to
   * install or run: the driver's. Subclasses add theirs to `super`'s.
   */
  protected absenceReasons(): CapabilityAbsences {
    return { ...this.#driver?.absences() };
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

  // Desktop methods: each of DESKTOP_METHODS is forwarded to the driver (or
  // rejected, naming its capability, without one) by the static block below,
  // so adding a desktop method needs no code here.

  /** The error of a desktop method when there is no driver. */
  #noDriver(name: keyof DesktopMethods, info: DesktopMethodInfo): CapabilityUnsupportedError {
    const reason = name === "subscribeInput"
      ? `${this.#noDriverReason}, so input cannot be observed`
      : this.#noDriverReason;
    return this.unsupportedError(info.capability, reason);
  }

  static {
    const entries = Object.entries(DESKTOP_METHODS) as [keyof DesktopMethods, DesktopMethodInfo][];
    for (const [name, info] of entries) {
      type Forwarded = (this: DesktopDriver, ...args: unknown[]) => unknown;
      const forward = info.stream
        ? async function* (this: HostComputer, ...args: unknown[]): AsyncGenerator<unknown> {
          const driver = this.#driver;
          if (!driver) throw this.#noDriver(name, info);
          yield* (driver[name] as Forwarded).apply(driver, args) as AsyncIterable<unknown>;
        }
        : function (this: HostComputer, ...args: unknown[]): Promise<unknown> {
          const driver = this.#driver;
          if (!driver) return Promise.reject(this.#noDriver(name, info));
          try {
            return (driver[name] as Forwarded).apply(driver, args) as Promise<unknown>;
          } catch (error) {
            return Promise.reject(error);
          }
        };
      Object.defineProperty(HostComputer.prototype, name, {
        value: forward,
        writable: true,
        configurable: true,
      });
    }
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

  writeFilePart(
    path: string,
    data: Uint8Array,
    part: FilePart,
    _options?: CallOptions,
  ): Promise<FilePartResult> {
    return this.#uploads.write(path, data, part);
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
    const session = { ...this.#driver?.childEnv(), ...this.#childEnv };
    if (!env && Object.keys(session).length === 0) return null;
    return { ...session, ...env };
  }

  /** Closes the driver, if any, and abandons unfinished uploads in parts. */
  async close(): Promise<void> {
    await this.#uploads.close();
    await this.#driver?.close();
  }
}
