/**
 * Counts the connections that have not authenticated yet, in total and per
 * source address, so that a flood from one host (or from many) is refused
 * at accept time, before it costs more than a file descriptor for a moment.
 *
 * @module
 */

/** Limits of {@linkcode PreAuthGate}. */
export interface PreAuthLimits {
  /** Most unauthenticated connections at once. */
  total: number;
  /** Most unauthenticated connections at once from one source address. */
  perSource: number;
}

/** Why a connection was refused at the gate. */
export type GateRefusal = "too_many_unauthenticated" | "too_many_from_source";

/** The counters. */
export class PreAuthGate {
  #limits: PreAuthLimits;
  #total = 0;
  #bySource = new Map<string, number>();

  constructor(limits: PreAuthLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new RangeError(
          `Cannot limit unauthenticated connections: '${name}' must be a positive integer, ` +
            `received ${value}`,
        );
      }
    }
    this.#limits = limits;
  }

  /** Unauthenticated connections now. */
  get total(): number {
    return this.#total;
  }

  /**
   * Takes a slot for a new connection from `source`.
   * @returns null when admitted (call `leave(source)` exactly once later), otherwise why not
   */
  enter(source: string): GateRefusal | null {
    if (this.#total >= this.#limits.total) return "too_many_unauthenticated";
    const count = this.#bySource.get(source) ?? 0;
    if (count >= this.#limits.perSource) return "too_many_from_source";
    this.#bySource.set(source, count + 1);
    this.#total++;
    return null;
  }

  /** Gives back a slot taken by `enter(source)`. */
  leave(source: string): void {
    const count = this.#bySource.get(source) ?? 0;
    if (count <= 0) return;
    if (count === 1) this.#bySource.delete(source);
    else this.#bySource.set(source, count - 1);
    this.#total--;
  }
}
