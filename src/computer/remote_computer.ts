/**
 * `RemoteComputer`: the `Computer` interface over a protocol session. Each
 * operation is one call of the method table: params validated and encoded in
 * the reference's order, results decoded with the schemas, wire errors
 * rebuilt by the `Peer` (`capability_unsupported` → `CapabilityUnsupportedError`,
 * `permission_denied` → `PermissionDeniedError`, `cancelled` → `CancelledError`,
 * other codes → `RemoteError`). Aliased methods go out as `ui.action` and
 * `power.lock`. After a `session.evicted` PUSH every call fails with
 * `SessionEvictedError`.
 *
 * @module
 */

import type { CapabilityAbsences } from "./capability_absences.ts";
import { CodecError, ConnectionClosedError } from "../protocol/errors.ts";
import type { WireMap } from "../protocol/handler.ts";
import type { Peer } from "../protocol/peer.ts";
import { fastParseParams } from "./_fast_params.ts";
import { checkParamBounds } from "./_param_bounds.ts";
import { describeParamIssues } from "./_param_errors.ts";
import type { CallOptions, Computer } from "./computer.ts";
import type { StreamMethodDef, UnaryMethodDef } from "./method_def.ts";
import { findMethod } from "./methods.ts";
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
import { SessionEvictedError } from "./session_evicted_error.ts";
import { type CapabilityManifest, parseManifestLenient } from "./types/capability.ts";
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

/** Options of {@linkcode RemoteComputer}. */
export interface RemoteComputerOptions {
  /**
   * The server's manifest (from its HELLO).
   * @default parsed leniently from `peer.remoteHello.capabilities`
   */
  manifest?: CapabilityManifest;
  /** `close()` also closes the peer. @default true */
  ownsPeer?: boolean;
}

/** A `Computer` on the other end of a protocol session. */
export class RemoteComputer implements Computer {
  #peer: Peer;
  #manifest: CapabilityManifest;
  #ownsPeer: boolean;
  #evicted: string | null = null;
  #pushSubscription: Disposable;

  /** Wraps a started client `Peer`. */
  constructor(peer: Peer, options: RemoteComputerOptions = {}) {
    this.#peer = peer;
    this.#ownsPeer = options.ownsPeer ?? true;
    this.#manifest = options.manifest ??
      parseManifestLenient(peer.remoteHello?.capabilities ?? {}).manifest;
    this.#pushSubscription = peer.onPush((topic, payload) => {
      if (topic !== "session.evicted") return;
      this.#evicted = typeof payload.reason === "string" ? payload.reason : "";
    });
  }

  /** The server's backend name. */
  get backend(): string {
    return this.#manifest.backend;
  }

  /** The reason of a `session.evicted` PUSH, or null while the session is in good standing. */
  get evictedReason(): string | null {
    return this.#evicted;
  }

  /** The server's manifest as received in its HELLO (no I/O). */
  capabilities(): CapabilityManifest {
    return this.#manifest;
  }

  /**
   * Calls any unary method by name (for the REPL). Known methods get their
   * params validated, defaulted and encoded as the table says, and aliases go
   * out under their canonical name; unknown names are sent as given.
   *
   * @returns the raw result map, or null
   * @throws {TypeError} when params do not match the method's schema
   */
  call(
    method: string,
    params: WireMap = {},
    options: CallOptions = {},
  ): Promise<WireMap | null> {
    // Not async: one promise less per call; a params error still comes back as a rejection.
    const def = findMethod(method);
    if (def === undefined || def.stream) return this.#raw(method, params, options);
    let encoded: WireMap;
    try {
      encoded = def.encodeParams(this.#parse(def, params));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#raw(def.name, encoded, options);
  }

  /** Starts any stream by name (for the REPL); items are raw maps. */
  stream(method: string, params: WireMap = {}, options: CallOptions = {}): AsyncIterable<WireMap> {
    const def = findMethod(method);
    const encoded = def !== undefined && def.stream
      ? def.encodeParams(this.#parse(def, params))
      : params;
    return this.#rawStream(def?.name ?? method, encoded, options, method === "display.subscribe");
  }

  async #raw(method: string, params: WireMap, options: CallOptions): Promise<WireMap | null> {
    this.#assertNotEvicted();
    const callOptions: { signal?: AbortSignal; timeoutMs?: number } = {};
    if (options.signal !== undefined) callOptions.signal = options.signal;
    if (options.timeoutMs !== undefined) callOptions.timeoutMs = options.timeoutMs;
    try {
      return await this.#peer.call(method, params, callOptions);
    } catch (error) {
      throw this.#evictionOr(error);
    }
  }

  async *#rawStream(
    method: string,
    params: WireMap,
    options: CallOptions,
    dropOldest: boolean,
  ): AsyncGenerator<WireMap> {
    this.#assertNotEvicted();
    const streamOptions: { signal?: AbortSignal; overflow?: "error" | "drop-oldest" } = {
      overflow: dropOldest ? "drop-oldest" : "error",
    };
    if (options.signal !== undefined) streamOptions.signal = options.signal;
    try {
      yield* this.#peer.stream(method, params, streamOptions);
    } catch (error) {
      throw this.#evictionOr(error);
    }
  }

  #parse(
    def: UnaryMethodDef<unknown, unknown> | StreamMethodDef<unknown, unknown>,
    params: unknown,
  ): unknown {
    const fast = fastParseParams(def.params, params ?? {});
    if (fast !== undefined) return fast;
    const tooBig = checkParamBounds(params);
    if (tooBig !== null) throw new TypeError(`Invalid params for '${def.name}': ${tooBig.message}`);
    const parsed = def.params.safeParse(params ?? {});
    if (parsed.success) return parsed.data;
    throw new TypeError(describeParamIssues(def.name, parsed.error).message);
  }

  async #unary<P, R>(
    def: UnaryMethodDef<P, R>,
    params: unknown,
    options: CallOptions | undefined,
  ): Promise<R> {
    const parsed = this.#parse(def as UnaryMethodDef<unknown, unknown>, params) as P;
    const result = await this.#raw(def.name, def.encodeParams(parsed), options ?? {});
    try {
      return def.decodeResult(result);
    } catch (error) {
      throw new CodecError(
        `Cannot decode the result of '${def.name}': it does not match the catalogue`,
        { cause: error },
      );
    }
  }

  async *#streamOf<P, I>(
    def: StreamMethodDef<P, I>,
    params: unknown,
    options: CallOptions | undefined,
  ): AsyncGenerator<I> {
    const parsed = this.#parse(def as StreamMethodDef<unknown, unknown>, params) as P;
    const items = this.#rawStream(
      def.name,
      def.encodeParams(parsed),
      options ?? {},
      def.name === "display.subscribe",
    );
    for await (const item of items) {
      try {
        yield def.decodeItem(item);
      } catch (error) {
        if (!(error instanceof Error) || error.name !== "ZodError") throw error;
        throw new CodecError(
          `Cannot decode an item of '${def.name}': it does not match the catalogue`,
          { cause: error },
        );
      }
    }
  }

  #assertNotEvicted(): void {
    if (this.#evicted !== null) throw new SessionEvictedError(this.#evicted);
  }

  #evictionOr(error: unknown): unknown {
    if (this.#evicted !== null && error instanceof ConnectionClosedError) {
      return new SessionEvictedError(this.#evicted, { cause: error });
    }
    return error;
  }

  environment(options?: CallOptions): Promise<Environment> {
    return this.#unary(M.SystemEnvironment, {}, options);
  }
  /** Why the server's absent capabilities are absent; `{}` from a server that does not say. */
  async absentCapabilities(options?: CallOptions): Promise<CapabilityAbsences> {
    const manifest = await this.#unary(M.SystemCapabilities, { absent: true }, options);
    return manifest.absent ?? {};
  }
  displays(options?: CallOptions): Promise<Display[]> {
    return this.#unary(M.DisplayDisplays, {}, options);
  }
  capture(params: CaptureParamsInit = {}, options?: CallOptions): Promise<Pixmap> {
    return this.#unary(M.DisplayCapture, params, options);
  }
  cursorPosition(options?: CallOptions): Promise<Point> {
    return this.#unary(M.DisplayCursorPosition, {}, options);
  }
  subscribeDisplay(
    params: SubscribeDisplayParamsInit = {},
    options?: CallOptions,
  ): AsyncIterable<DisplayFrame> {
    return this.#streamOf(M.DisplaySubscribe, params, options);
  }
  pointer(event: PointerEvent, options?: CallOptions): Promise<void> {
    return this.#unary(M.InputPointer, { event }, options);
  }
  key(event: KeyEvent, options?: CallOptions): Promise<void> {
    return this.#unary(M.InputKey, { event }, options);
  }
  text(input: TextInput, options?: CallOptions): Promise<void> {
    return this.#unary(M.InputText, { text_input: input }, options);
  }
  subscribeInput(options?: CallOptions): AsyncIterable<InputEvent> {
    return this.#streamOf(M.InputSubscribe, {}, options);
  }
  windows(options?: CallOptions): Promise<Window[]> {
    return this.#unary(M.WindowsList, {}, options);
  }
  focusedWindow(options?: CallOptions): Promise<Window | null> {
    return this.#unary(M.WindowsFocused, {}, options);
  }
  focusWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.WindowsFocus, { window_id: windowId }, options);
  }
  closeWindow(windowId: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.WindowsClose, { window_id: windowId }, options);
  }
  moveWindow(windowId: string, bounds: Rect, options?: CallOptions): Promise<void> {
    return this.#unary(M.WindowsMove, { window_id: windowId, bounds }, options);
  }
  openApp(name: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.AppsOpen, { name }, options);
  }
  closeApp(name: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.AppsClose, { name }, options);
  }
  focusApp(name: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.AppsFocus, { name }, options);
  }
  listApps(options?: CallOptions): Promise<string[]> {
    return this.#unary(M.AppsList, {}, options);
  }
  uiTree(params: UiTreeParamsInit = {}, options?: CallOptions): Promise<UIElement> {
    return this.#unary(M.UiTree, params, options);
  }
  performUiAction(params: UiActionParamsInit, options?: CallOptions): Promise<void> {
    return this.#unary(M.UiAction, params, options);
  }
  clipboardRead(options?: CallOptions): Promise<ClipboardContents> {
    return this.#unary(M.ClipboardRead, {}, options);
  }
  clipboardWrite(contents: ClipboardContents, options?: CallOptions): Promise<void> {
    return this.#unary(M.ClipboardWrite, { contents }, options);
  }
  readFile(path: string, range: ReadFileRange = {}, options?: CallOptions): Promise<Uint8Array> {
    return this.#unary(M.FsRead, { path, ...range }, options);
  }
  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    return this.#unary(M.FsWrite, { path, data }, options);
  }
  listDir(path: string, options?: CallOptions): Promise<FileEntry[]> {
    return this.#unary(M.FsList, { path }, options);
  }
  stat(path: string, options?: CallOptions): Promise<FileEntry> {
    return this.#unary(M.FsStat, { path }, options);
  }
  delete(path: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.FsDelete, { path }, options);
  }
  move(src: string, dst: string, options?: CallOptions): Promise<void> {
    return this.#unary(M.FsMove, { src, dst }, options);
  }
  mkdir(path: string, mkdirOptions: MkdirOptions = {}, options?: CallOptions): Promise<void> {
    return this.#unary(M.FsMkdir, { path, ...mkdirOptions }, options);
  }
  processes(options?: CallOptions): Promise<Process[]> {
    return this.#unary(M.ProcessList, {}, options);
  }
  shell(
    command: string,
    shellOptions: ShellOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.#unary(M.ProcessShell, { command, ...shellOptions }, options);
  }
  exec(
    argv: string[],
    execOptions: ExecOptions = {},
    options?: CallOptions,
  ): Promise<CompletedCommand> {
    return this.#unary(M.ProcessExec, { argv, ...execOptions }, options);
  }
  lockScreen(options?: CallOptions): Promise<void> {
    return this.#unary(M.PowerLock, {}, options);
  }
  notifications(options?: CallOptions): Promise<Notification[]> {
    return this.#unary(M.NotificationsList, {}, options);
  }

  /** Stops listening for PUSHes and, when it owns the peer, closes the session. */
  close(): Promise<void> {
    this.#pushSubscription[Symbol.dispose]();
    if (this.#ownsPeer) this.#peer.close();
    return Promise.resolve();
  }
}
