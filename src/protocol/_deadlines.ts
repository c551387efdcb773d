/**
 * Many call deadlines on one timer. A `setTimeout` + `clearTimeout` pair per
 * call costs more than the rest of a small call; a peer instead keeps its
 * deadlines in a min-heap and arms a single timer for the earliest one.
 * When no deadline is pending the timer stays armed but unreferenced (it
 * keeps no process alive and fires once with nothing to do), so a run of
 * sequential calls re-arms nothing. `clear()` (on close) stops it.
 *
 * @module
 */

type Timer = ReturnType<typeof setTimeout>;

/** Marks a timer as keeping the process alive or not (Node-style timer objects or Deno ids). */
function setRef(timer: Timer | undefined, ref: boolean): void {
  if (timer === undefined) return;
  if (typeof timer === "number") {
    if (ref) Deno.refTimer(timer);
    else Deno.unrefTimer(timer);
  } else if (ref) timer.ref();
  else timer.unref();
}

/** A scheduled deadline; pass it to {@linkcode Deadlines.cancel}. */
export interface Deadline {
  readonly at: number;
  readonly fire: () => void;
  active: boolean;
}

/** A set of deadlines sharing one timer. */
export class Deadlines {
  #heap: Deadline[] = [];
  #live = 0;
  #timer: Timer | undefined;
  #armedAt = Infinity;

  /** Calls `fire` once, `ms` milliseconds from now, unless cancelled first. */
  add(ms: number, fire: () => void): Deadline {
    const entry: Deadline = { at: performance.now() + ms, fire, active: true };
    this.#push(entry);
    if (++this.#live === 1) setRef(this.#timer, true);
    if (entry.at < this.#armedAt) this.#arm(entry.at);
    return entry;
  }

  /** Cancels a deadline (no effect once it fired). */
  cancel(entry: Deadline): void {
    if (!entry.active) return;
    entry.active = false;
    this.#live--;
    if (this.#live === 0) {
      this.#heap = [];
      setRef(this.#timer, false);
    } else if (this.#heap.length > 64 && this.#heap.length > this.#live * 4) {
      this.#compact();
    }
  }

  /** Cancels everything and stops the timer. */
  clear(): void {
    for (const entry of this.#heap) entry.active = false;
    this.#heap = [];
    this.#live = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = Infinity;
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - performance.now()));
    if (this.#live === 0) setRef(this.#timer, false);
  }

  #expire(): void {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const now = performance.now();
    while (this.#heap.length > 0 && this.#heap[0]!.at <= now) {
      const entry = this.#pop();
      if (!entry.active) continue;
      entry.active = false;
      this.#live--;
      entry.fire();
    }
    while (this.#heap.length > 0 && !this.#heap[0]!.active) this.#pop();
    if (this.#live === 0) this.#heap = [];
    else this.#arm(this.#heap[0]!.at);
  }

  #compact(): void {
    const live = this.#heap.filter((entry) => entry.active);
    this.#heap = [];
    for (const entry of live) this.#push(entry);
  }

  #push(entry: Deadline): void {
    const heap = this.#heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): Deadline {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && heap[right]!.at < heap[left]!.at ? right : left;
        if (heap[child]!.at >= last.at) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
