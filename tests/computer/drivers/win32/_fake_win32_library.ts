/**
 * The fake FFI seam of the Windows driver: an object shaped like `Deno.dlopen("opendesk.dll",
 * win32Symbols)` whose functions keep the C ABI's encodings — `int` status codes, results written
 * into the caller's typed arrays, `OD_ERR_BUFFER_TOO_SMALL` with the size needed, handles as
 * pointers, JSON for windows and UI trees, MIME-named clipboard entries packed as
 * `{u32 len, mime, u32 len, data}*` — over the scripted `FakeWin32Desktop`. Calls that run on a
 * worker thread in the real binding (`nonblocking`) return promises here too. Every call is
 * recorded (`calls`) with copies of its arguments.
 *
 * Deno cannot run under Wine, so this is where the TypeScript driver meets "the DLL" in tests;
 * the DLL itself is checked by the C test program under Wine (tests/native/win32/).
 */

import { NATIVE_MONITOR_SIZE } from "../../../../src/computer/drivers/x11/ffi.ts";
import {
  type Win32Library,
  win32Symbols,
} from "../../../../src/computer/drivers/win32/ffi_symbols.ts";
import { type FakeJob, FakeWin32Desktop } from "./_fake_win32_desktop.ts";
import { enc, fakePng, type Fn, S, snapshot, writeOut } from "./_fake_abi.ts";
import {
  fakeClipboardSymbols,
  fakeJobSymbols,
  fakeUiaSymbols,
  fakeWindowsSymbols,
} from "./_fake_win32_services.ts";

/** One recorded call. */
export interface FakeCall {
  name: string;
  args: unknown[];
}

/** A frame of the fake: its size, the area grabbed into it, its BGRX bytes once asked for. */
interface FakeFrame {
  width: number;
  height: number;
  area?: { x: number; y: number; width: number; height: number };
  bytes?: Uint8Array<ArrayBuffer>;
}

/** The fake DLL. */
export class FakeWin32Library {
  readonly desktop: FakeWin32Desktop;
  readonly calls: FakeCall[] = [];
  readonly symbols: Win32Library["symbols"];
  /** The calling thread's last error text (`od_last_error`). */
  lastError = "";
  #next = 0x1000n;
  /** Each frame's size and, once grabbed, the virtual-screen area it shows. */
  #frames = new Map<bigint, FakeFrame>();

  constructor(desktop = new FakeWin32Desktop()) {
    this.desktop = desktop;
    const impl = this.#implementation();
    const wrapped: Record<string, Fn> = {};
    for (const [name, def] of Object.entries(win32Symbols)) {
      const fn = impl[name];
      if (fn === undefined) throw new Error(`the fake DLL lacks ${name}`);
      const nonblocking = "nonblocking" in def && def.nonblocking === true;
      wrapped[name] = (...args: never[]) => {
        this.calls.push({ name, args: args.map(snapshot) });
        const result = fn(...args);
        return nonblocking ? Promise.resolve(result) : result;
      };
    }
    this.symbols = wrapped as unknown as Win32Library["symbols"];
  }

  /** Calls of one function, in order. */
  callsOf(name: string): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  /** BGRX bytes of a frame: the desktop's colours over the grabbed area, scaled to the size. */
  #render(frame: FakeFrame): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(frame.width * frame.height * 4);
    const area = frame.area ?? { x: 0, y: 0, width: frame.width, height: frame.height };
    for (let row = 0; row < frame.height; row++) {
      for (let col = 0; col < frame.width; col++) {
        const x = area.x + Math.floor((col * area.width) / frame.width);
        const y = area.y + Math.floor((row * area.height) / frame.height);
        const rgb = this.desktop.colourAt(x, y);
        out.set([rgb & 0xff, (rgb >> 8) & 0xff, rgb >> 16, 0xff], (row * frame.width + col) * 4);
      }
    }
    return out;
  }

  #handle(): bigint {
    this.#next += 0x10n;
    return this.#next;
  }

  #fail(status: number, text: string): number {
    this.lastError = text;
    return status;
  }

  #job(p: Deno.PointerValue): FakeJob | undefined {
    const job = this.desktop.jobs.get(Deno.UnsafePointer.value(p) as bigint);
    return job?.destroyed ? undefined : job;
  }

  #implementation(): Record<string, Fn> {
    const d = this.desktop;
    const open = (out: BigUint64Array) => {
      out[0] = this.#handle();
      return S.OD_OK;
    };
    const ok = () => S.OD_OK;
    const ctx = {
      desktop: d,
      fail: (status: number, text: string) => this.#fail(status, text),
      open,
      handle: () => this.#handle(),
      job: (p: Deno.PointerValue) => this.#job(p),
    };
    const impl: Record<string, (...args: never[]) => unknown> = {
      od_status_name: (_s: number, buf: Uint8Array, cap: number, len: Uint32Array) =>
        writeOut(enc.encode("OD_OK"), buf, cap, len),
      od_abi_version: (out: Uint32Array) => (out[0] = 1, S.OD_OK),
      od_last_error: (buf: Uint8Array, cap: number, len: Uint32Array) =>
        writeOut(enc.encode(this.lastError), buf, cap, len),
      od_library_drivers: (buf: Uint8Array, cap: number, len: Uint32Array) =>
        writeOut(enc.encode("win32\n"), buf, cap, len),
      // ---- frames and encoders ----
      od_frame_create: (out: BigUint64Array) => {
        out[0] = this.#handle();
        this.#frames.set(out[0], { width: 0, height: 0 });
        return S.OD_OK;
      },
      od_frame_destroy: ok,
      od_frame_pixels: (
        f: Deno.PointerValue,
        ptr: BigUint64Array,
        w: Uint32Array,
        h: Uint32Array,
        stride: Uint32Array,
      ) => {
        const frame = this.#frames.get(Deno.UnsafePointer.value(f) as bigint)!;
        frame.bytes ??= this.#render(frame);
        ptr[0] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(frame.bytes)));
        w[0] = frame.width;
        h[0] = frame.height;
        stride[0] = frame.width * 4;
        return S.OD_OK;
      },
      od_frame_scale: (f: Deno.PointerValue, width: number, height: number) => {
        const frame = this.#frames.get(Deno.UnsafePointer.value(f) as bigint)!;
        this.#frames.set(Deno.UnsafePointer.value(f) as bigint, { ...frame, width, height });
        return S.OD_OK;
      },
      od_frame_last_error: (_f: unknown, buf: Uint8Array, cap: number, len: Uint32Array) =>
        writeOut(enc.encode(this.lastError), buf, cap, len),
      od_encode_bound: (_fmt: number, w: number, h: number, out: BigUint64Array) => {
        out[0] = BigInt(w * h * 4 + 1024);
        return S.OD_OK;
      },
      od_frame_encode: (
        f: Deno.PointerValue,
        _fmt: number,
        _q: number,
        _x: number,
        _y: number,
        w: number,
        h: number,
        out: Uint8Array,
        cap: bigint,
        len: BigUint64Array,
      ) => {
        const frame = this.#frames.get(Deno.UnsafePointer.value(f) as bigint)!;
        const png = fakePng(w || frame.width, h || frame.height);
        len[0] = BigInt(png.length);
        if (png.length > Number(cap)) return S.OD_ERR_BUFFER_TOO_SMALL;
        out.set(png);
        return S.OD_OK;
      },
      od_frame_encode_scaled: (
        _f: unknown,
        _fmt: number,
        _q: number,
        w: number,
        h: number,
        out: Uint8Array,
        cap: bigint,
        len: BigUint64Array,
      ) => {
        const png = fakePng(w, h);
        len[0] = BigInt(png.length);
        if (png.length > Number(cap)) return S.OD_ERR_BUFFER_TOO_SMALL;
        out.set(png);
        return S.OD_OK;
      },
      od_diff_create: (_tile: number, out: BigUint64Array) => open(out),
      od_diff_destroy: ok,
      od_diff_update: (
        _d: unknown,
        f: Deno.PointerValue,
        _flags: number,
        rects: Uint32Array,
        _cap: number,
        count: Uint32Array,
      ) => {
        const frame = this.#frames.get(Deno.UnsafePointer.value(f) as bigint)!;
        rects.set([0, 0, frame.width, frame.height]);
        count[0] = 1;
        return S.OD_OK;
      },
      // ---- the desktop ----
      od_display_open: (_name: Uint8Array, out: BigUint64Array) => open(out),
      od_display_close: ok,
      od_display_features: (_d: unknown, flags: Uint32Array) => (flags[0] = 1 << 17, S.OD_OK),
      od_display_size: (_d: unknown, w: Uint32Array, h: Uint32Array) => {
        const vs = d.virtualScreen();
        w[0] = vs.width;
        h[0] = vs.height;
        return S.OD_OK;
      },
      od_display_origin: (_d: unknown, x: Int32Array, y: Int32Array) => {
        const vs = d.virtualScreen();
        x[0] = vs.x;
        y[0] = vs.y;
        return S.OD_OK;
      },
      od_display_monitors: (_d: unknown, out: Uint8Array, cap: number, count: Uint32Array) => {
        count[0] = d.monitors.length;
        if (d.monitors.length > cap) return S.OD_ERR_BUFFER_TOO_SMALL;
        const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
        d.monitors.forEach((m, i) => {
          const at = i * NATIVE_MONITOR_SIZE;
          view.setInt32(at, m.x, true);
          view.setInt32(at + 4, m.y, true);
          view.setUint32(at + 8, m.width, true);
          view.setUint32(at + 12, m.height, true);
          view.setUint32(at + 24, m.primary ? 1 : 0, true);
          out.set(enc.encode(m.name).subarray(0, 23), at + 32);
        });
        return S.OD_OK;
      },
      od_display_last_error: (_d: unknown, buf: Uint8Array, cap: number, len: Uint32Array) =>
        writeOut(enc.encode(this.lastError), buf, cap, len),
      od_capture_grab: (
        _d: unknown,
        f: Deno.PointerValue,
        x: number,
        y: number,
        width: number,
        height: number,
        flags: number,
      ) => {
        if (!d.contains(x, y) || !d.contains(x + width - 1, y + height - 1)) {
          return this.#fail(S.OD_ERR_INVALID_ARGUMENT, `The area ${x},${y} is outside the desktop`);
        }
        d.grabs.push({ x, y, width, height, flags });
        const area = { x, y, width, height };
        this.#frames.set(Deno.UnsafePointer.value(f) as bigint, { width, height, area });
        return S.OD_OK;
      },
      od_display_pixel: (_d: unknown, x: number, y: number, rgb: Uint32Array) => {
        if (!d.contains(x, y)) {
          return this.#fail(S.OD_ERR_INVALID_ARGUMENT, `Point (${x}, ${y}) is outside the desktop`);
        }
        rgb[0] = d.colourAt(x, y);
        return S.OD_OK;
      },
      od_cursor_position: (_d: unknown, x: Int32Array, y: Int32Array) => {
        x[0] = d.cursor.x;
        y[0] = d.cursor.y;
        return S.OD_OK;
      },
      // ---- input ----
      od_input_pointer_move: (_d: unknown, x: number, y: number) => {
        if (!d.contains(x, y)) {
          return this.#fail(
            S.OD_ERR_INVALID_ARGUMENT,
            `The point ${x},${y} is outside the desktop`,
          );
        }
        d.moves.push([x, y]);
        d.cursor = { x, y };
        return S.OD_OK;
      },
      od_input_pointer_button: (_d: unknown, button: number, down: number) => {
        d.buttons.push([button, down === 1]);
        return S.OD_OK;
      },
      od_input_key: (_d: unknown, keysym: number, down: number) => {
        d.keys.push([keysym, down === 1]);
        return S.OD_OK;
      },
      od_input_text: (
        _d: unknown,
        cps: Uint32Array,
        count: number,
        _interval: number,
        typed: Uint32Array,
      ) => {
        d.typed.push(...cps.subarray(0, count));
        typed[0] = count;
        return S.OD_OK;
      },
      od_input_keymap_restore: ok,
      od_input_release_all: ok,
      od_input_modifier_state: (_d: unknown, mods: Uint32Array, locked: Uint32Array) => {
        mods[0] = 0;
        locked[0] = 0;
        return S.OD_OK;
      },
      ...fakeWindowsSymbols(ctx),
      ...fakeClipboardSymbols(ctx),
      ...fakeUiaSymbols(ctx),
      ...fakeJobSymbols(ctx),
      od_notifications_open: () =>
        this.#fail(S.OD_ERR_UNSUPPORTED, "no public API reads other applications' toasts"),
      od_notifications_list: () => S.OD_ERR_UNSUPPORTED,
      od_notifications_close: ok,
      od_session_lock: () => (d.locked = true, S.OD_OK),
    };
    return impl as Record<string, Fn>;
  }
}
