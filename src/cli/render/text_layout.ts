/**
 * Small text layout helpers for terminal output: byte sizes, durations,
 * dimensions, tables that fit the terminal width, and string display width.
 *
 * @module
 */

/**
 * Formats a byte count for people: `512 B`, `12.3 KiB`, `4.0 MiB`.
 *
 * @example Usage
 * ```ts
 * import { formatBytes } from "./text_layout.ts";
 * formatBytes(1536); // "1.5 KiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "? B";
  if (Math.abs(bytes) < 1024) return `${Math.round(bytes)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = "B";
  for (const next of units) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

/** Formats milliseconds: `850 µs`, `12.4 ms`, `3.20 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Formats an age or a remaining time in whole units: `5 s`, `2 min 5 s`, `3 h 4 min`, `2 d 1 h`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Formats a width and height: `1920×1080`. */
export function formatSize(width: unknown, height: unknown): string {
  return `${formatNumber(width)}×${formatNumber(height)}`;
}

/** Formats a number without needless decimals (`10`, `10.5`). */
export function formatNumber(value: unknown): string {
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** Formats a Rect-like map as `x,y w×h`. */
export function formatRect(rect: unknown): string {
  if (!rect || typeof rect !== "object") return "";
  const r = rect as Record<string, unknown>;
  return `${formatNumber(r.x)},${formatNumber(r.y)} ${formatSize(r.width, r.height)}`;
}

/** Formats epoch seconds as local `YYYY-MM-DD HH:MM:SS`. */
export function formatTimestamp(seconds: unknown): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "";
  const d = new Date(seconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Number of terminal columns `text` takes (wide East Asian characters count 2). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 32 || (code >= 0x300 && code < 0x370)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
}

/** Cuts `text` to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? "…" : "";
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + "…";
}

function pad(text: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

/** A column of {@linkcode renderTable}. */
export interface Column {
  /** Header text. */
  readonly header: string;
  /** Right-align (numbers). */
  readonly right?: boolean;
}

/**
 * Renders rows as an aligned table that fits `maxWidth` columns: the widest
 * columns are cut (with `…`) until it fits. Control characters in cells are
 * shown as spaces so a cell never breaks the layout.
 *
 * @param columns Column headers and alignment.
 * @param rows Cell texts, one array per row.
 * @param maxWidth Terminal width.
 * @returns The table, one line per row plus the header, ending with a newline.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  maxWidth: number,
): string {
  // deno-lint-ignore no-control-regex
  const control = /[\x00-\x1f\x7f]/g;
  const clean = rows.map((row) => columns.map((_, i) => (row[i] ?? "").replace(control, " ")));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...clean.map((row) => displayWidth(row[i]!)))
  );
  const gap = 2;
  const total = (): number => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
    if (widths[widest]! <= 6) break;
    widths[widest] = widths[widest]! - 1;
  }
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => pad(truncate(cell, widths[i]!), widths[i]!, columns[i]!.right === true))
      .join(" ".repeat(gap)).trimEnd();
  return [line(columns.map((c) => c.header)), ...clean.map(line)].join("\n") + "\n";
}
