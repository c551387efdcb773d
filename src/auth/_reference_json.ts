/**
 * JSON text in the reference's layout (Python `json.dumps(value, indent=2,
 * sort_keys=True)`): one item per line with 2-space indentation, keys
 * sorted at every depth, `": "` after keys, non-ASCII escaped as `\u` plus 4 hex digits,
 * no trailing newline. Internal.
 *
 * @module
 */

/** Serialises `value` like the reference writes `trusted-peers.json`. */
export function dumpReferenceJson(value: unknown): string {
  return dump(value, "");
}

function dump(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + "  ";
    return `[\n${value.map((v) => inner + dump(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return "{}";
    const inner = indent + "  ";
    const record = value as Record<string, unknown>;
    const items = keys.map((k) => `${inner}${escapeString(k)}: ${dump(record[k], inner)}`);
    return `{\n${items.join(",\n")}\n${indent}}`;
  }
  if (typeof value === "string") return escapeString(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return JSON.stringify(value);
  }
  return "null";
}

function escapeString(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
