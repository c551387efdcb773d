/**
 * `NativeFrame`: a low-level wrapper of one `od_frame` (an image held by the
 * shim), and `NativeDiff` of one `od_diff`. One frame serves one operation
 * at a time: a second concurrent use throws `InvalidStateError`.
 *
 * @module
 */

import { InvalidStateError } from "../../../protocol/errors.ts";
import { NATIVE_FLAG, NATIVE_FORMAT, type NativeLibrary } from "./ffi.ts";
import type { NativeDisplay } from "./native_display.ts";
import { pointerFrom, readText, unwrap } from "./_native_util.ts";

/** An encoding the shim writes. */
export type NativeFormat = keyof typeof NATIVE_FORMAT;

/** A rectangle in pixels. */
export interface PixelRect {
  /** Left. */
  x: number;
  /** Top. */
  y: number;
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

const frames = new FinalizationRegistry<{ lib: NativeLibrary; handle: Deno.PointerObject }>(
  ({ lib, handle }) => void lib.symbols.od_frame_destroy(handle),
);
const diffs = new FinalizationRegistry<{ lib: NativeLibrary; handle: Deno.PointerObject }>(
  ({ lib, handle }) => void lib.symbols.od_diff_destroy(handle),
);

/**
 * An image held by the shim: capture into it, scale it, encode it.
 *
 * @example Usage
 * ```ts ignore
 * import { NativeDisplay } from "./native_display.ts";
 * import { NativeFrame } from "./native_frame.ts";
 * await using display = await NativeDisplay.open(":99");
 * using frame = new NativeFrame(display.lib);
 * await frame.grab(display, { x: 0, y: 0, width: 100, height: 100 });
 * const png = await frame.encode("png");
 * ```
 */
export class NativeFrame {
  #lib: NativeLibrary;
  #handle: Deno.PointerObject | null;
  #busy = false;
  #out: Uint8Array<ArrayBuffer> = new Uint8Array(0);

  /** Creates an empty frame. */
  constructor(lib: NativeLibrary) {
    this.#lib = lib;
    const out = new BigUint64Array(1);
    unwrap(lib.symbols.od_frame_create(out), "create a frame");
    const handle = pointerFrom(out);
    if (handle === null) throw new InvalidStateError("The native shim returned no frame handle");
    this.#handle = handle;
    frames.register(this, { lib, handle }, this);
  }

  /** The `od_frame *` handle; throws once destroyed. */
  get handle(): Deno.PointerObject {
    if (this.#handle === null) throw new InvalidStateError("The frame was destroyed");
    return this.#handle;
  }

  #lastError(): string {
    const handle = this.#handle;
    if (handle === null) return "";
    return readText((buf, cap, len) =>
      this.#lib.symbols.od_frame_last_error(handle, buf, cap, len)
    );
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new InvalidStateError("The frame is in use by another operation");
    this.#busy = true;
    try {
      return await work();
    } finally {
      this.#busy = false;
    }
  }

  /** Captures a desktop area (pixels) into the frame, optionally with the pointer drawn in. */
  grab(display: NativeDisplay, area: PixelRect, options: { cursor?: boolean } = {}): Promise<void> {
    return this.#exclusive(async () => {
      const status = await display.track(this.#lib.symbols.od_capture_grab(
        display.handle,
        this.handle,
        area.x,
        area.y,
        area.width,
        area.height,
        options.cursor ? NATIVE_FLAG.CAPTURE_CURSOR : 0,
      ));
      unwrap(status, "capture the screen", () => display.lastError());
    });
  }

  /** Downscales the frame's image in place. */
  scale(width: number, height: number): Promise<void> {
    return this.#exclusive(async () => {
      const status = await this.#lib.symbols.od_frame_scale(this.handle, width, height);
      unwrap(status, "scale the frame", () => this.#lastError());
    });
  }

  /** The image's size and a zero-copy view of its BGRX bytes (valid until the next grab). */
  pixels(): { data: Uint8Array; width: number; height: number; stride: number } {
    const ptr = new BigUint64Array(1);
    const w = new Uint32Array(1);
    const h = new Uint32Array(1);
    const stride = new Uint32Array(1);
    unwrap(this.#lib.symbols.od_frame_pixels(this.handle, ptr, w, h, stride), "read the frame");
    const p = pointerFrom(ptr);
    const width = w[0] ?? 0;
    const height = h[0] ?? 0;
    const rowBytes = stride[0] ?? 0;
    if (p === null || height === 0) return { data: new Uint8Array(0), width, height, stride: 0 };
    const view = new Deno.UnsafePointerView(p);
    const data = new Uint8Array(view.getArrayBuffer(rowBytes * height));
    return { data, width, height, stride: rowBytes };
  }

  /**
   * Encodes the image, or an area of it, into a new byte array.
   *
   * @param format Encoding.
   * @param options `quality` (JPEG, 1-100, default 80) and `area` (default: all).
   */
  encode(
    format: NativeFormat,
    options: { quality?: number; area?: PixelRect } = {},
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#exclusive(async () => {
      const area = options.area ?? { x: 0, y: 0, width: 0, height: 0 };
      const code = NATIVE_FORMAT[format];
      const bound = new BigUint64Array(1);
      const { width, height } = this.#size();
      unwrap(
        this.#lib.symbols.od_encode_bound(code, area.width || width, area.height || height, bound),
        "size the encoder's buffer",
      );
      const need = Number(bound[0] ?? 0n);
      if (this.#out.length < need) this.#out = new Uint8Array(need);
      const len = new BigUint64Array(1);
      const status = await this.#lib.symbols.od_frame_encode(
        this.handle,
        code,
        options.quality ?? 80,
        area.x,
        area.y,
        area.width,
        area.height,
        this.#out,
        BigInt(this.#out.length),
        len,
      );
      unwrap(status, `encode the frame as ${format}`, () => this.#lastError());
      return this.#out.slice(0, Number(len[0] ?? 0n));
    });
  }

  /**
   * Encodes the whole image scaled down to `width` x `height` (area averaging)
   * without changing the frame. PNG scales inside the encoder's pieces, so the
   * scaled image is never stored; the same size as the image encodes it as is.
   *
   * @param format Encoding.
   * @param size The encoded image's size (at most the frame's).
   * @param options `quality` (JPEG, 1-100, default 80).
   */
  encodeScaled(
    format: NativeFormat,
    size: { width: number; height: number },
    options: { quality?: number } = {},
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#exclusive(async () => {
      const code = NATIVE_FORMAT[format];
      const bound = new BigUint64Array(1);
      unwrap(
        this.#lib.symbols.od_encode_bound(code, size.width, size.height, bound),
        "size the encoder's buffer",
      );
      const need = Number(bound[0] ?? 0n);
      if (this.#out.length < need) this.#out = new Uint8Array(need);
      const len = new BigUint64Array(1);
      const status = await this.#lib.symbols.od_frame_encode_scaled(
        this.handle,
        code,
        options.quality ?? 80,
        size.width,
        size.height,
        this.#out,
        BigInt(this.#out.length),
        len,
      );
      unwrap(status, `encode the frame as ${format}`, () => this.#lastError());
      return this.#out.slice(0, Number(len[0] ?? 0n));
    });
  }

  #size(): { width: number; height: number } {
    const { width, height } = this.pixels();
    return { width, height };
  }

  /** Frees the frame (and its shared memory). Idempotent. */
  destroy(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    frames.unregister(this);
    this.#lib.symbols.od_frame_destroy(handle);
    this.#out = new Uint8Array(0);
  }

  /** Same as {@linkcode destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }
}

/**
 * Tile comparison between consecutive frames (`od_diff`).
 *
 * @example Usage
 * ```ts ignore
 * using diff = new NativeDiff(display.lib, 64);
 * const changed = await diff.update(frame); // first call: the whole image
 * ```
 */
export class NativeDiff {
  #lib: NativeLibrary;
  #handle: Deno.PointerObject | null;
  #rects = new Uint32Array(4 * 64);

  /** Creates a diff with square tiles of `tileSize` pixels. */
  constructor(lib: NativeLibrary, tileSize: number) {
    this.#lib = lib;
    const out = new BigUint64Array(1);
    unwrap(lib.symbols.od_diff_create(tileSize, out), "create a tile diff");
    const handle = pointerFrom(out);
    if (handle === null) throw new InvalidStateError("The native shim returned no diff handle");
    this.#handle = handle;
    diffs.register(this, { lib, handle }, this);
  }

  /** Changed areas of `frame` since the previous call (all of it when `full`). */
  async update(frame: NativeFrame, full = false): Promise<PixelRect[]> {
    if (this.#handle === null) throw new InvalidStateError("The diff was destroyed");
    const count = new Uint32Array(1);
    const status = await this.#lib.symbols.od_diff_update(
      this.#handle,
      frame.handle,
      full ? NATIVE_FLAG.DIFF_FORCE_FULL : 0,
      this.#rects,
      this.#rects.length / 4,
      count,
    );
    unwrap(status, "compare frames");
    const out: PixelRect[] = [];
    for (let i = 0; i < (count[0] ?? 0); i++) {
      const r = this.#rects.subarray(4 * i, 4 * i + 4);
      out.push({ x: r[0] ?? 0, y: r[1] ?? 0, width: r[2] ?? 0, height: r[3] ?? 0 });
    }
    return out;
  }

  /** Frees the diff. Idempotent. */
  destroy(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    diffs.unregister(this);
    this.#lib.symbols.od_diff_destroy(handle);
  }

  /** Same as {@linkcode destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }
}
