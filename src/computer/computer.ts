/**
 * The `Computer` interface: everything a controller can ask of a controlled
 * machine. Implementations: `HostComputer` (host services, and the desktop
 * methods through a desktop driver), `FakeComputer` (host services and the
 * fake driver, for tests) and the client side built from the method table
 * (`RemoteComputer`, `ReconnectingComputer`).
 *
 * Conventions for implementers:
 * - Parameter bags use the wire's parameter names; defaults are optional for
 *   callers, so apply them with the schema in `methods/params.ts` (or `??`).
 * - Extension parameters (opendesk's own, unknown to the reference peer) are
 *   optional; honour them when the backend can.
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
  ExecOptions,
  FilePart,
  FilePartResult,
  MkdirOptions,
  ReadFileRange,
  ShellOptions,
} from "./methods/params.ts";
import type { DesktopMethods } from "./drivers/desktop_driver.ts";
import type { CapabilityAbsences } from "./capability_absences.ts";
import type { Capability, CapabilityManifest } from "./types/capability.ts";
import type {} from "./types/clipboard.ts";
import type {} from "./types/display.ts";
import type { Environment } from "./types/environment.ts";
import type { FileEntry } from "./types/file_entry.ts";
import type {} from "./types/geometry.ts";
import type {} from "./types/input.ts";
import type {} from "./types/notification.ts";
import type { CompletedCommand, Process } from "./types/process.ts";
import type {} from "./types/ui_element.ts";
import type {} from "./types/window.ts";

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

/**
 * A controllable computer: the desktop methods (declared with the driver
 * contract in `drivers/desktop_driver.ts`) plus the host services below.
 */
export interface Computer extends DesktopMethods {
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
  /** Why a capability the manifest lacks is absent, when the backend knows. */
  absenceReason?(capability: Capability): string | undefined;
  /** Platform facts (`system.environment`). */
  environment(options?: CallOptions): Promise<Environment>;

  /** A file's bytes, or a range of them (`fs.read`). */
  readFile(path: string, range?: ReadFileRange, options?: CallOptions): Promise<Uint8Array>;
  /** Writes a whole file atomically, creating parent directories (`fs.write`). */
  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void>;
  /**
   * Writes one part of a file uploaded in parts (`fs.write` with `offset`,
   * `size` and `upload`); the part that completes it renames it into place.
   * Backends without it do not offer the extension.
   */
  writeFilePart?(
    path: string,
    data: Uint8Array,
    part: FilePart,
    options?: CallOptions,
  ): Promise<FilePartResult>;
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

  /** Releases the backend's resources. Idempotent. */
  close(): Promise<void>;
}
