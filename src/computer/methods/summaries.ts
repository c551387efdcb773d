/**
 * Summaries of calls for the approval prompt and the audit log
 * . Summaries describe, they never carry payloads.
 *
 * @module
 */

/** Formats a number like the reference (Python `str(float)`: `100.0`, `12.5`). */
export function pyFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return n.toFixed(1);
  return String(n);
}

/** `text` cut to `max` characters, with `…` when it was longer. */
export function preview(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}

/** Formats one parameter value for `<method> (k=v, …)` summaries. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `'${k}': ${formatValue(v)}`);
    return `{${parts.join(", ")}}`;
  }
  return String(value);
}

/** `<method> (k=v, …)` as used for `windows.*`. */
export function keyValueSummary(method: string, params: Record<string, unknown>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`);
  return `${method} (${parts.join(", ")})`;
}
