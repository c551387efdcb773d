/**
 * Turns call results into readable text: tables for lists (windows,
 * processes, files, displays, notifications), a tree for `ui.tree`, sizes
 * and dimensions for binary data instead of dumps, command output as text.
 * The raw form (`:raw`) is JSON with binary data as base64.
 *
 * @module
 */

import { absenceLines } from "./absence_lines.ts";
import {
  formatBytes,
  formatNumber,
  formatRect,
  formatSize,
  formatTimestamp,
  renderTable,
  truncate,
} from "./text_layout.ts";
import { renderUiTree } from "./ui_tree_view.ts";

type AnyMap = Record<string, unknown>;

/** Options of {@linkcode formatResult}. */
export interface FormatResultOptions {
  /**
   * Terminal width.
   * @default {100}
   */
  width?: number;
  /** For `ui.tree`: the short numbers of the elements (shown as `@N`). */
  uiRefs?: ReadonlyMap<number, { readonly ref: string }>;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 text, or returns `undefined` for binary data. */
export function asText(data: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(data);
    // deno-lint-ignore no-control-regex
    return /[\x00-\x08\x0e-\x1f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function isMap(value: unknown): value is AnyMap {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

/** Describes binary data in one phrase: `PNG image 800×600, 12.0 KiB` or `4.0 KiB of binary data`. */
export function describeBinary(data: Uint8Array): string {
  if (data.length >= 24 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    return `PNG image ${view.getUint32(16)}×${view.getUint32(20)}, ${formatBytes(data.length)}`;
  }
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8) {
    return `JPEG image, ${formatBytes(data.length)}`;
  }
  return `${formatBytes(data.length)} of binary data`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Uint8Array) return `<${formatBytes(value.length)}>`;
  if (typeof value === "boolean") return value ? "yes" : "";
  if (typeof value === "number") return formatNumber(value);
  if (Array.isArray(value)) return value.map(cell).join(" ");
  if (isMap(value)) {
    if ("width" in value && "height" in value && "x" in value) return formatRect(value);
    return JSON.stringify(toJsonable(value, false));
  }
  return String(value);
}

function itemsTable(method: string, items: unknown[], width: number): string {
  if (items.length === 0) return "(none)\n";
  if (items.every((i) => typeof i === "string")) return (items as string[]).join("\n") + "\n";
  const maps = items.filter(isMap);
  switch (method) {
    case "fs.list": {
      const sorted = [...maps].sort((a, b) =>
        Number(b.is_dir) - Number(a.is_dir) || String(a.name).localeCompare(String(b.name))
      );
      return renderTable(
        [{ header: "NAME" }, { header: "SIZE", right: true }, { header: "MODIFIED" }, {
          header: "MODE",
        }],
        sorted.map((f) => [
          `${String(f.name)}${f.is_dir ? "/" : ""}`,
          f.is_dir ? "" : formatBytes(Number(f.size ?? 0)),
          formatTimestamp(f.mtime),
          typeof f.mode === "number" ? (f.mode & 0o7777).toString(8).padStart(4, "0") : "",
        ]),
        width,
      ) + `${maps.length} entries\n`;
    }
    case "process.list":
      return renderTable(
        [{ header: "PID", right: true }, { header: "PPID", right: true }, { header: "NAME" }, {
          header: "COMMAND",
        }],
        maps.map((
          p,
        ) => [cell(p.pid), cell(p.ppid), cell(p.name), (p.cmdline as string[] ?? []).join(" ")]),
        width,
      ) + `${maps.length} processes\n`;
    case "windows.list":
      return renderTable(
        [{ header: "ID" }, { header: "TITLE" }, { header: "APP" }, { header: "PID", right: true }, {
          header: "BOUNDS",
        }, { header: "STATE" }],
        maps.map((w) => [
          cell(w.id),
          cell(w.title),
          cell(w.app_name),
          cell(w.pid),
          formatRect(w.bounds),
          [w.focused ? "focused" : "", w.minimized ? "minimized" : ""].filter(Boolean).join(","),
        ]),
        width,
      );
    case "display.displays":
      return renderTable(
        [{ header: "ID" }, { header: "NAME" }, { header: "BOUNDS" }, { header: "SCALE" }, {
          header: "PRIMARY",
        }],
        maps.map((
          d,
        ) => [
          cell(d.id),
          cell(d.name),
          formatRect(d.bounds),
          cell(d.scale_factor),
          cell(d.primary),
        ]),
        width,
      );
    case "notifications.list":
      return renderTable(
        [{ header: "TIME" }, { header: "APP" }, { header: "TITLE" }, { header: "BODY" }],
        maps.map((n) => [formatTimestamp(n.timestamp), cell(n.app), cell(n.title), cell(n.body)]),
        width,
      );
    default: {
      const keys = [...new Set(maps.flatMap((m) => Object.keys(m)))];
      return renderTable(
        keys.map((k) => ({ header: k.toUpperCase() })),
        maps.map((m) => keys.map((k) => cell(m[k]))),
        width,
      );
    }
  }
}

function formatCommand(result: AnyMap): string {
  const streams = formatCommandStreams(result);
  return streams.stdout + (streams.stderr.length > 0 ? `[stderr]\n${streams.stderr}` : "") +
    streams.status;
}

/** A command's result split the way a shell shows it: output, errors, and the status line. */
export interface CommandStreams {
  /** The command's standard output as text (or a note when it is binary). */
  readonly stdout: string;
  /** The command's standard error as text (or a note when it is binary). */
  readonly stderr: string;
  /** `[exit N in T ms]` and a newline. */
  readonly status: string;
  /** The exit status (-1 when the result carries none). */
  readonly returncode: number;
}

/**
 * Splits a `process.shell` / `process.exec` result into what belongs on
 * standard output (the command's output) and on standard error (its errors and
 * the status line), so scripts can pipe the output alone.
 *
 * @param result The result map (`stdout`, `stderr`, `returncode`, `duration`).
 * @returns The three parts; each text part ends with a newline when non-empty.
 */
export function formatCommandStreams(result: Readonly<Record<string, unknown>>): CommandStreams {
  const part = (value: unknown): string => {
    if (!(value instanceof Uint8Array) || value.length === 0) return "";
    const text = asText(value);
    if (text === undefined) return `(${describeBinary(value)})\n`;
    return text.endsWith("\n") ? text : `${text}\n`;
  };
  const duration = typeof result.duration === "number"
    ? ` in ${(result.duration * 1000).toFixed(0)} ms`
    : "";
  return {
    stdout: part(result.stdout),
    stderr: part(result.stderr),
    status: `[exit ${String(result.returncode)}${duration}]\n`,
    returncode: typeof result.returncode === "number" ? result.returncode : -1,
  };
}

/** True for a `process.shell` / `process.exec` result. */
export function isCommandResult(result: unknown): result is Record<string, unknown> {
  return isMap(result) && "returncode" in result && result.stdout instanceof Uint8Array;
}

const TIME_KEYS = new Set(["mtime", "timestamp", "captured_at", "started_at", "paired_at"]);

/** A scalar in `key: value` form: times as dates, modes in octal, sizes in bytes and units. */
function mapValue(key: string, value: unknown): string {
  if (value instanceof Uint8Array) return describeBinary(value);
  if (typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "-";
  if (typeof value === "number" && TIME_KEYS.has(key)) return formatTimestamp(value);
  if (typeof value === "number" && key === "mode") return `0${(value & 0o7777).toString(8)}`;
  if (typeof value === "number" && key === "size" && value >= 1024) {
    return `${value} (${formatBytes(value)})`;
  }
  return cell(value);
}

function formatMap(map: AnyMap, indent: string, width: number): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (isMap(value) && !("x" in value && "width" in value)) {
      lines.push(`${indent}${key}:`);
      lines.push(formatMap(value, indent + "  ", width).trimEnd());
    } else if (Array.isArray(value) && value.some(isMap)) {
      lines.push(`${indent}${key}: ${value.length} item(s)`);
      for (const item of value) {
        lines.push(`${indent}  - ${truncate(cell(item), width - indent.length - 4)}`);
      }
    } else {
      const text = mapValue(key, value);
      lines.push(
        `${indent}${key}: ${truncate(text, Math.max(20, width - indent.length - key.length - 2))}`,
      );
    }
  }
  return lines.filter((l) => l.length > 0).join("\n") + "\n";
}

/**
 * Renders the result of `method` for people.
 *
 * @param method The method that produced the result.
 * @param result The decoded result map (or null for action methods).
 * @param options See {@linkcode FormatResultOptions}.
 * @returns Text ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { formatResult } from "./format_result.ts";
 * formatResult("apps.list", { items: ["Firefox", "Terminal"] });
 * ```
 */
export function formatResult(
  method: string,
  result: unknown,
  options: FormatResultOptions = {},
): string {
  const width = options.width ?? 100;
  if (result === null || result === undefined) return "ok\n";
  if (!isMap(result)) return `${cell(result)}\n`;
  if (Array.isArray(result.items)) return itemsTable(method, result.items, width);
  if (result.data instanceof Uint8Array && "width" in result && "height" in result) {
    const logical = formatSize(result.logical_width, result.logical_height);
    const display = result.display_id ? `, display ${String(result.display_id)}` : "";
    return `${String(result.format ?? "image")} ${formatSize(result.width, result.height)} ` +
      `(logical ${logical}${display}), ${formatBytes(result.data.length)}\n`;
  }
  if (typeof result.role === "string" && Array.isArray(result.children)) {
    return renderUiTree(result, { width, ...(options.uiRefs ? { refs: options.uiRefs } : {}) });
  }
  if ("returncode" in result && result.stdout instanceof Uint8Array) return formatCommand(result);
  if (method === "fs.read" && result.data instanceof Uint8Array) {
    const text = asText(result.data);
    if (text === undefined) return `${describeBinary(result.data)} (use get to save it)\n`;
    return text.endsWith("\n") || text.length === 0 ? text : text + "\n";
  }
  if (Array.isArray(result.entries)) {
    if (result.entries.length === 0) return "(clipboard empty)\n";
    return result.entries.filter(isMap).map((e) => {
      const data = e.data instanceof Uint8Array ? e.data : new Uint8Array();
      const text = String(e.mime_type).startsWith("text/") ? asText(data) : undefined;
      return `${String(e.mime_type)} (${formatBytes(data.length)})` +
        (text !== undefined ? `:\n${text}\n` : "\n");
    }).join("");
  }
  if ("window" in result && Object.keys(result).length === 1) {
    return result.window === null
      ? "(no focused window)\n"
      : formatMap(result.window as AnyMap, "", width);
  }
  if (Array.isArray(result.capabilities) && "backend" in result) {
    return formatManifest(result);
  }
  return formatMap(result, "", width);
}

/** Renders a capability manifest (`:caps`). */
export function formatManifest(manifest: AnyMap): string {
  const lines = [
    `backend: ${String(manifest.backend)}  protocol ${String(manifest.protocol_version)}`,
  ];
  if (typeof manifest.description === "string" && manifest.description.length > 0) {
    lines.push(`description: ${manifest.description}`);
  }
  const caps = (manifest.capabilities as string[]).slice().sort();
  const groups = new Map<string, string[]>();
  for (const cap of caps) {
    const group = cap.split(".")[0]!;
    groups.set(group, [...groups.get(group) ?? [], cap]);
  }
  lines.push(`capabilities (${caps.length}):`);
  for (const [group, members] of groups) lines.push(`  ${group.padEnd(14)}${members.join("  ")}`);
  if (isMap(manifest.limits) && Object.keys(manifest.limits).length > 0) {
    lines.push(`limits: ${JSON.stringify(manifest.limits)}`);
  }
  if (isMap(manifest.absent) && Object.keys(manifest.absent).length > 0) {
    lines.push("absent (why, and what to install or run):");
    for (const line of absenceLines(manifest.absent)) lines.push(`  ${line}`);
  }
  return lines.join("\n") + "\n";
}

function toJsonable(value: unknown, full: boolean): unknown {
  if (value instanceof Uint8Array) {
    if (!full && value.length > 48) {
      return { $bin_bytes: value.length, $head_base64: base64(value.subarray(0, 48)) };
    }
    return { $base64: base64(value) };
  }
  if (Array.isArray(value)) return value.map((v) => toJsonable(v, full));
  if (isMap(value)) {
    const out: AnyMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonable(v, full);
    return out;
  }
  if (typeof value === "object" && value !== null && "value" in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

function base64(data: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < data.length; i += 0x8000) {
    binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * A result as a JSON-compatible value: byte strings become `{"$base64": …}`,
 * wrapped numbers their plain value (the form of `--json` output).
 */
export function toJson(result: unknown): unknown {
  return toJsonable(result ?? null, true);
}

/**
 * Renders a result exactly, as indented JSON; binary values become
 * `{"$base64": …}` (or, with `full = false`, their size and first bytes).
 */
export function formatRaw(result: unknown, full = false): string {
  return JSON.stringify(toJsonable(result ?? null, full), null, 2) + "\n";
}
