/**
 * Keeps what unauthenticated connections write to the console and the
 * audit log bounded: the first few refusals from each source address in a
 * window are reported one by one, the rest are counted and reported as one
 * line per address when the window ends ("412 refused connections from
 * 10.0.0.7 in the last minute"), with at most a fixed number of addresses
 * named per window.
 *
 * @module
 */

/** Options of {@linkcode RefusalDigest}. */
export interface RefusalDigestOptions {
  /**
   * Length of a window.
   * @default {60000}
   */
  windowMs?: number;
  /**
   * Refusals per source address per window that are reported one by one.
   * @default {3}
   */
  detailedPerSource?: number;
  /**
   * Refusals per window reported one by one, over all sources.
   * @default {20}
   */
  detailedTotal?: number;
  /**
   * Source addresses named in the summary of one window; the rest are counted together.
   * @default {10}
   */
  summarizedSources?: number;
  /** Receives the summary of a window (only when something was held back). */
  onSummary(summary: RefusalSummary): void;
}

/** What one window held back. */
export interface RefusalSummary {
  /** One entry per named source: how many refusals were not reported one by one, and why. */
  sources: { source: string; count: number; reasons: Record<string, number> }[];
  /** Refusals from sources beyond `summarizedSources`. */
  otherCount: number;
  /** How many such sources. */
  otherSources: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/** The counter. */
export class RefusalDigest {
  #windowMs: number;
  #perSource: number;
  #total: number;
  #named: number;
  #onSummary: (summary: RefusalSummary) => void;
  #detailedBySource = new Map<string, number>();
  #detailed = 0;
  #held = new Map<string, Map<string, number>>();
  #timer: ReturnType<typeof setInterval>;

  constructor(options: RefusalDigestOptions) {
    this.#windowMs = options.windowMs ?? 60_000;
    this.#perSource = options.detailedPerSource ?? 3;
    this.#total = options.detailedTotal ?? 20;
    this.#named = options.summarizedSources ?? 10;
    this.#onSummary = options.onSummary;
    this.#timer = setInterval(() => this.flush(), this.#windowMs);
    Deno.unrefTimer(this.#timer);
  }

  /**
   * Counts one refusal.
   * @returns true when the caller should report it in full, false when it was held back
   */
  record(source: string, reason: string): boolean {
    const seen = this.#detailedBySource.get(source) ?? 0;
    if (seen < this.#perSource && this.#detailed < this.#total) {
      this.#detailedBySource.set(source, seen + 1);
      this.#detailed++;
      return true;
    }
    let reasons = this.#held.get(source);
    if (reasons === undefined) {
      reasons = new Map();
      this.#held.set(source, reasons);
    }
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    return false;
  }

  /** Ends the window: reports what was held back and starts counting afresh. */
  flush(): void {
    const held = [...this.#held].map(([source, reasons]) => ({
      source,
      count: [...reasons.values()].reduce((a, b) => a + b, 0),
      reasons: Object.fromEntries(reasons),
    })).sort((a, b) => b.count - a.count);
    this.#held.clear();
    this.#detailedBySource.clear();
    this.#detailed = 0;
    if (held.length === 0) return;
    const others = held.slice(this.#named);
    this.#onSummary({
      sources: held.slice(0, this.#named),
      otherCount: others.reduce((a, b) => a + b.count, 0),
      otherSources: others.length,
      windowMs: this.#windowMs,
    });
  }

  /** Reports what is held back and stops the window timer. */
  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}

/** The summary as console lines, one per named source and one for the rest. */
export function summaryLines(summary: RefusalSummary): string[] {
  const span = summary.windowMs === 60_000
    ? "the last minute"
    : `the last ${Math.round(summary.windowMs / 1000)} s`;
  const lines = summary.sources.map(({ source, count, reasons }) => {
    const why = Object.entries(reasons).map(([r, n]) => `${r}: ${n}`).join(", ");
    return `${count} refused connections from ${source} in ${span} (${why})`;
  });
  if (summary.otherCount > 0) {
    lines.push(
      `${summary.otherCount} refused connections from ${summary.otherSources} other addresses ` +
        `in ${span}`,
    );
  }
  return lines;
}
