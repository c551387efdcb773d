/**
 * `X11Clipboard`: the X CLIPBOARD selection through the shim (`od_clipboard_*`):
 * writing makes the shim's owner thread hold the entries; reading converts
 * the selection with a deadline, following INCR.
 *
 * @module
 */

import { NativeHandle } from "./_native_handle.ts";
import { RemoteError } from "../../../protocol/errors.ts";
import { type ClipboardContents, TEXT_MIME_TYPE } from "../../types/clipboard.ts";
import { loadNative, NATIVE_STATUS, type NativeLibrary } from "./ffi.ts";
import { NativeError } from "./native_error.ts";
import { cString, unwrap } from "./_native_util.ts";
import { openHandle, readGrowing } from "./_native_buffers.ts";

/** Default deadline of one selection conversion, in milliseconds. */
export const DEFAULT_CLIPBOARD_TIMEOUT_MS = 2000;

/** X targets that carry UTF-8 text, in order of preference. */
const TEXT_TARGETS = ["UTF8_STRING", TEXT_MIME_TYPE, "text/plain;charset=UTF-8", "STRING"];
/** Non-text MIME types read when the owner offers them. */
const EXTRA_TARGETS = ["text/html", "image/png"];

/** Options of {@linkcode X11Clipboard.read}. */
export interface ClipboardReadOptions {
  /** Deadline of each conversion. @default DEFAULT_CLIPBOARD_TIMEOUT_MS */
  timeoutMs?: number;
  /** Also read `text/html` and `image/png` when offered. @default true */
  allTypes?: boolean;
}

function hungOwner(timeoutMs: number): RemoteError {
  return new RemoteError(
    "timeout",
    `The clipboard owner did not answer within ${timeoutMs} ms: the application holding ` +
      "the clipboard may be hung",
  );
}

/**
 * Packs entries as the shim expects: {u32 mime length, mime, u32 data length, data}*, into
 * `scratch` when it is large enough (the shim copies the entries before the call returns, so one
 * buffer serves every write: fresh pages of a large buffer cost more than the copy).
 */
function pack(
  contents: ClipboardContents,
  scratch: Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const parts = contents.entries.map((e) => ({ mime: enc.encode(e.mime_type), data: e.data }));
  const size = parts.reduce((n, p) => n + 8 + p.mime.length + p.data.length, 0);
  const out = size <= scratch.length ? scratch.subarray(0, size) : new Uint8Array(size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let off = 0;
  for (const p of parts) {
    view.setUint32(off, p.mime.length, true);
    out.set(p.mime, off + 4);
    off += 4 + p.mime.length;
    view.setUint32(off, p.data.length, true);
    out.set(p.data, off + 4);
    off += 4 + p.data.length;
  }
  return out;
}

/**
 * The CLIPBOARD selection of one X display.
 *
 * @example Usage
 * ```ts ignore
 * import { X11Clipboard } from "./x11_clipboard.ts";
 * import { textClipboard } from "../../types/clipboard.ts";
 * const clipboard = await X11Clipboard.open(":99");
 * await clipboard.write(textClipboard("hello"));
 * console.log(await clipboard.read());
 * await clipboard.close();
 * ```
 */
export class X11Clipboard {
  #lib: NativeLibrary;
  #handle: NativeHandle;
  #reads: Promise<unknown> = Promise.resolve();
  #writes: Promise<unknown> = Promise.resolve();
  /** The packing buffer of writes (one write at a time uses it). */
  #scratch: Uint8Array<ArrayBuffer> = new Uint8Array(0);

  private constructor(lib: NativeLibrary, handle: Deno.PointerObject) {
    this.#lib = lib;
    this.#handle = new NativeHandle(
      handle,
      "The clipboard is closed",
      (h) => lib.symbols.od_clipboard_close(h),
    );
  }

  /**
   * Connects to the X display (`""` = `$DISPLAY`).
   *
   * @throws {NativeError} When the display cannot be opened.
   */
  static async open(display = "", lib: NativeLibrary = loadNative()): Promise<X11Clipboard> {
    const handle = await openHandle(
      (out) => lib.symbols.od_clipboard_open(cString(display), out),
      "open the X display for the clipboard",
    );
    return new X11Clipboard(lib, handle);
  }

  /**
   * Replaces the clipboard with `contents` (all entries, each served under its
   * MIME type; text also under UTF8_STRING, STRING, TEXT and text/plain).
   *
   * @throws {RemoteError} `invalid_argument` for an unusable MIME type.
   * @throws {NativeError} When the X server does not confirm ownership.
   */
  write(contents: ClipboardContents, timeoutMs = DEFAULT_CLIPBOARD_TIMEOUT_MS): Promise<void> {
    for (const e of contents.entries) {
      const bytes = new TextEncoder().encode(e.mime_type);
      if (bytes.length === 0 || bytes.length > 255) {
        return Promise.reject(
          new RemoteError(
            "invalid_argument",
            `Invalid clipboard MIME type '${e.mime_type}': use 1-255 bytes`,
          ),
        );
      }
    }
    const task = async () => {
      const packed = pack(contents, this.#scratch);
      if (packed.buffer !== this.#scratch.buffer) this.#scratch = packed;
      const status = await this.#lib.symbols.od_clipboard_write(
        this.#handle.pointer,
        packed,
        packed.length,
        timeoutMs,
      );
      unwrap(status, "take ownership of the clipboard");
    };
    // One write at a time: they share the packing buffer.
    const next = this.#writes.then(task, task);
    this.#writes = next.catch(() => {});
    return this.#handle.track(next);
  }

  /** The targets the current owner offers ([] when nobody owns the clipboard). */
  targets(timeoutMs = DEFAULT_CLIPBOARD_TIMEOUT_MS): Promise<string[]> {
    return this.#handle.track((async () => {
      const h = this.#handle.pointer;
      try {
        const bytes = await readGrowing(
          (buf, cap, len) => this.#lib.symbols.od_clipboard_targets(h, timeoutMs, buf, cap, len),
          "read the clipboard targets",
          4096,
        );
        return new TextDecoder().decode(bytes).split("\n").filter((t) => t.length > 0);
      } catch (error) {
        if (!(error instanceof NativeError)) throw error;
        if (error.status === NATIVE_STATUS.OD_ERR_X11_NO_SELECTION) return [];
        if (error.status === NATIVE_STATUS.OD_ERR_X11_TIMEOUT) throw hungOwner(timeoutMs);
        throw error;
      }
    })());
  }

  /** Converts the selection to `target`; null when the owner refuses it or there is none. */
  async #convert(target: string, timeoutMs: number): Promise<Uint8Array | null> {
    const h = this.#handle.pointer;
    const len = new Uint32Array(1);
    const status = await this.#lib.symbols.od_clipboard_read(h, cString(target), timeoutMs, len);
    if (status === NATIVE_STATUS.OD_ERR_X11_NO_SELECTION) return null;
    if (status === NATIVE_STATUS.OD_ERR_X11_TIMEOUT) throw hungOwner(timeoutMs);
    unwrap(status, "read the clipboard");
    const out = new Uint8Array(len[0] ?? 0);
    const got = new Uint32Array(1);
    unwrap(
      await this.#lib.symbols.od_clipboard_fetch(h, out, out.length, got),
      "read the clipboard",
    );
    return out.subarray(0, got[0] ?? 0);
  }

  /**
   * Reads the clipboard: the text entry (as `text/plain;charset=utf-8`) and,
   * with `allTypes`, `text/html` and `image/png` when offered. An empty
   * clipboard gives no entries.
   *
   * @throws {RemoteError} `timeout` when the owner does not answer in time.
   */
  read(options: ClipboardReadOptions = {}): Promise<ClipboardContents> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CLIPBOARD_TIMEOUT_MS;
    const task = async () => {
      const offered = await this.targets(timeoutMs);
      const entries: ClipboardContents["entries"] = [];
      const textTarget = TEXT_TARGETS.find((t) => offered.includes(t)) ??
        (offered.includes("TEXT") ? "TEXT" : undefined);
      if (textTarget !== undefined) {
        const data = await this.#convert(textTarget, timeoutMs);
        if (data !== null) entries.push({ mime_type: TEXT_MIME_TYPE, data });
      }
      for (const mime of options.allTypes === false ? [] : EXTRA_TARGETS) {
        if (!offered.includes(mime)) continue;
        const data = await this.#convert(mime, timeoutMs);
        if (data !== null) entries.push({ mime_type: mime, data });
      }
      return { entries };
    };
    // One read at a time: the shim keeps the last conversion until it is fetched.
    const next = this.#reads.then(task, task);
    this.#reads = next.catch(() => {});
    return this.#handle.track(next);
  }

  /** Gives up the selection and closes the connections once pending calls end. Idempotent. */
  close(): Promise<void> {
    return this.#handle.close();
  }
}
