/**
 * JSON exactly as Python's `json.dumps(value, sort_keys=True)` writes it:
 * keys sorted at every level, separators `", "` and `": "`, non-ASCII escaped
 * as `\u` escapes of four hex digits, floats in Python's `repr` form. The reference's audit log is
 * written this way and opendesk's must read identically.
 *
 * @module
 */

/** Marks a number that Python would hold as a float (so `3` is written `3.0`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Serialises `value` the way Python's `json.dumps(value, sort_keys=True)` does. */
export function toPythonJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (value instanceof PyFloat) return pythonFloat(value.value);
  if (typeof value === "number") {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 53
      ? String(value)
      : pythonFloat(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return "[" + value.map(toPythonJson).join(", ") + "]";
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    // UTF-16 order equals code point order unless a key holds a surrogate pair.
    if (keys.some((k) => SURROGATE.test(k))) keys.sort(compareCodePoints);
    else keys.sort();
    return "{" + keys.map((k) => `${pythonString(k)}: ${toPythonJson(value[k])}`).join(", ") + "}";
  }
  return pythonString(String(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function compareCodePoints(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

const SURROGATE = /[\ud800-\udfff]/;
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string with `ensure_ascii=True` escaping (lowercase hex, surrogate pairs). */
export function pythonString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (unit < 0x20 || unit > 0x7e) out += "\\u" + unit.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // Both languages print the shortest round-trip digits in fixed notation here.
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const sign = value < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const e = decpt - 1;
  const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${body}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}
