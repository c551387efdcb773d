/**
 * `InputEventStream`: the user's real pointer and key events (XInput 2 raw
 * events read by the shim's reader thread into a bounded ring) as
 * `PointerEvent` / `KeyEvent` items with opendesk's key names (`keys.ts`).
 *
 * Backpressure: events are pulled only as fast as the consumer iterates; when
 * it falls behind, the shim drops the oldest events (counted in `dropped`)
 * and never blocks the X connection.
 *
 * @module
 */

import type { Modifier, PointerButton } from "../../types/enums.ts";
import type { InputEvent } from "../../types/input.ts";
import { loadNative, NATIVE_STATUS, type NativeLibrary } from "./ffi.ts";
import { cString, unwrap } from "./_native_util.ts";
import { openHandle } from "./_native_buffers.ts";
import { keyNameOf, keysymChar } from "./_x_key_names.ts";

/** Size of one `od_input_event` record. */
const RECORD_SIZE = 64;
/** Records fetched per wait. */
const BATCH = 256;
/** How long one wait blocks before the stream checks for cancellation, in ms. */
const POLL_MS = 200;

/** Options of {@linkcode InputEventStream.open}. */
export interface InputEventStreamOptions {
  /** X display (`""` = `$DISPLAY`). @default "" */
  display?: string;
  /** Events kept for a slow consumer before the oldest are dropped. @default 4096 */
  capacity?: number;
}

const BUTTONS: Record<number, PointerButton> = {
  1: "left",
  2: "middle",
  3: "right",
  8: "x1",
  9: "x2",
};
const ACTIONS = ["move", "down", "up", "scroll"] as const;

function modifiersOf(mask: number): Modifier[] {
  const out: Modifier[] = [];
  if (mask & 0x01) out.push("shift");
  if (mask & 0x04) out.push("ctrl");
  if (mask & 0x08) out.push("alt");
  if (mask & 0x40) out.push("meta");
  if (mask & 0x02) out.push("caps_lock");
  return out;
}

/** Decodes one `od_input_event` record. */
export function decodeInputRecord(view: DataView, offset: number): InputEvent {
  const kind = view.getUint8(offset);
  const action = view.getUint8(offset + 1);
  const modifiers = modifiersOf(view.getUint32(offset + 4, true));
  const timestamp = view.getFloat64(offset + 32, true);
  if (kind === 2) {
    const keysym = view.getUint32(offset + 24, true);
    const nameBytes = new Uint8Array(view.buffer, view.byteOffset + offset + 40, 24);
    const end = nameBytes.indexOf(0);
    const xName = new TextDecoder().decode(nameBytes.subarray(0, end < 0 ? 24 : end));
    return {
      action: action === 2 ? "up" : "down",
      keysym: keyNameOf(xName, keysym),
      char: keysymChar(keysym),
      scancode: view.getUint32(offset + 28, true),
      modifiers,
      is_repeat: view.getUint8(offset + 3) !== 0,
      timestamp,
    };
  }
  const button = view.getUint8(offset + 2);
  return {
    action: ACTIONS[action] ?? "move",
    point: { x: view.getInt32(offset + 8, true), y: view.getInt32(offset + 12, true) },
    button: action === 1 || action === 2 ? BUTTONS[button] ?? null : null,
    modifiers,
    dx: view.getInt32(offset + 16, true),
    dy: view.getInt32(offset + 20, true),
    pressure: null,
    tilt_x: null,
    tilt_y: null,
    timestamp,
  };
}

/**
 * A live stream of the user's input events.
 *
 * @example Usage
 * ```ts ignore
 * import { InputEventStream } from "./input_event_stream.ts";
 * const stream = await InputEventStream.open({ display: ":99" });
 * for await (const event of stream.events()) console.log(event);
 * ```
 */
export class InputEventStream {
  #lib: NativeLibrary;
  #handle: Deno.PointerObject | null;
  #dropped = 0;

  private constructor(lib: NativeLibrary, handle: Deno.PointerObject) {
    this.#lib = lib;
    this.#handle = handle;
  }

  /**
   * Starts reading the display's input.
   *
   * @throws {NativeError} When the display cannot be opened or lacks XInput 2.
   */
  static async open(options: InputEventStreamOptions = {}): Promise<InputEventStream> {
    const lib = loadNative();
    const handle = await openHandle(
      (out) =>
        lib.symbols.od_input_events_open(
          cString(options.display ?? ""),
          options.capacity ?? 4096,
          out,
        ),
      "observe input events (XInput 2)",
    );
    return new InputEventStream(lib, handle);
  }

  /** Events dropped so far because the consumer fell behind. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * The events, until `signal` aborts or the consumer stops; the stream is
   * closed when the iteration ends.
   *
   * @throws {NativeError} When the X server goes away.
   */
  async *events(signal?: AbortSignal): AsyncGenerator<InputEvent> {
    const buf = new Uint8Array(RECORD_SIZE * BATCH);
    const view = new DataView(buf.buffer);
    const count = new Uint32Array(1);
    const dropped = new BigUint64Array(1);
    try {
      while (!signal?.aborted && this.#handle !== null) {
        const status = await this.#lib.symbols.od_input_events_wait(
          this.#handle,
          POLL_MS,
          buf,
          BATCH,
          count,
          dropped,
        );
        if (status === NATIVE_STATUS.OD_ERR_STATE) return;
        unwrap(status, "read input events");
        this.#dropped = Number(dropped[0] ?? 0n);
        const n = count[0] ?? 0;
        const batch: InputEvent[] = [];
        for (let i = 0; i < n; i++) batch.push(decodeInputRecord(view, i * RECORD_SIZE));
        for (const event of batch) {
          if (signal?.aborted) return;
          yield event;
        }
      }
    } finally {
      await this.close();
    }
  }

  /** Stops the reader thread. Idempotent. */
  async close(): Promise<void> {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    await this.#lib.symbols.od_input_events_close(h);
  }
}
