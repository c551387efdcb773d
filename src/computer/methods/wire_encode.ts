/**
 * Encoders from computer types to wire maps: exactly the reference's keys, in
 * the reference's order, every optional key present (nil
 * when unset), and float-typed fields wrapped in `Float64` so they go out as
 * msgpack float64 like the reference's. Extension fields appear only when the
 * request asked for them (opendesk extensions, which a reference peer does not send).
 *
 * @module
 */

import { type Float64, float64 } from "../../protocol/float64.ts";
import type { WireMap } from "../../protocol/handler.ts";
import type { CapabilityManifest } from "../types/capability.ts";
import type { ClipboardContents } from "../types/clipboard.ts";
import type { Display, DisplayFrame, Pixmap } from "../types/display.ts";
import type { Environment } from "../types/environment.ts";
import type { FileEntry } from "../types/file_entry.ts";
import type { Point, Rect } from "../types/geometry.ts";
import {
  type InputEvent,
  isKeyEvent,
  type KeyEvent,
  type PointerEvent,
  type TextInput,
} from "../types/input.ts";
import type { Notification } from "../types/notification.ts";
import type { CompletedCommand, Process } from "../types/process.ts";
import type { UIElement } from "../types/ui_element.ts";
import type { Window } from "../types/window.ts";

function f(value: number): Float64 {
  return float64(value);
}

function fOrNull(value: number | null): Float64 | null {
  return value === null ? null : float64(value);
}

/** Encodes a Point. */
export function encodePoint(p: Point): WireMap {
  return { x: f(p.x), y: f(p.y) };
}

/** Encodes a Rect. */
export function encodeRect(r: Rect): WireMap {
  return { x: f(r.x), y: f(r.y), width: f(r.width), height: f(r.height) };
}

function rectOrNull(r: Rect | null): WireMap | null {
  return r === null ? null : encodeRect(r);
}

/** Encodes a Pixmap. */
export function encodePixmap(p: Pixmap): WireMap {
  return {
    data: p.data,
    format: p.format,
    width: p.width,
    height: p.height,
    logical_width: p.logical_width,
    logical_height: p.logical_height,
    display_id: p.display_id,
    captured_at: f(p.captured_at),
  };
}

/** Encodes a Display. */
export function encodeDisplay(d: Display): WireMap {
  return {
    id: d.id,
    bounds: encodeRect(d.bounds),
    scale_factor: f(d.scale_factor),
    primary: d.primary,
    name: d.name,
  };
}

/** Options of {@linkcode encodeDisplayFrame}. */
export interface EncodeDisplayFrameOptions {
  /** The stream was started with `delta: true`, so `patch` may be sent. @default false */
  delta?: boolean;
}

/** Encodes a DisplayFrame; `patch` only for delta streams. */
export function encodeDisplayFrame(
  frame: DisplayFrame,
  options: EncodeDisplayFrameOptions = {},
): WireMap {
  const out: WireMap = {
    pixmap: encodePixmap(frame.pixmap),
    frame_number: frame.frame_number,
    keyframe: frame.keyframe,
  };
  if (options.delta && frame.patch !== undefined) out.patch = { ...frame.patch };
  return out;
}

/** Encodes a Window. */
export function encodeWindow(w: Window): WireMap {
  return {
    id: w.id,
    title: w.title,
    app_name: w.app_name,
    pid: w.pid,
    bounds: rectOrNull(w.bounds),
    focused: w.focused,
    minimized: w.minimized,
    workspace: w.workspace,
  };
}

/** Encodes a Process. */
export function encodeProcess(p: Process): WireMap {
  return { pid: p.pid, name: p.name, ppid: p.ppid, cmdline: [...p.cmdline] };
}

/** Options of {@linkcode encodeUIElement}. */
export interface EncodeUIElementOptions {
  /** The tree was requested with `refs: true`, so `ref` may be sent. @default false */
  refs?: boolean;
}

/** Encodes a UIElement tree; `ref` only when refs were requested. */
export function encodeUIElement(e: UIElement, options: EncodeUIElementOptions = {}): WireMap {
  const out: WireMap = {
    role: e.role,
    name: e.name,
    value: e.value,
    bounds: rectOrNull(e.bounds),
    focused: e.focused,
    enabled: e.enabled,
    actions: [...e.actions],
    children: e.children.map((c) => encodeUIElement(c, options)),
    metadata: e.metadata,
  };
  if (options.refs && e.ref !== undefined) out.ref = e.ref;
  return out;
}

/** Encodes a PointerEvent. */
export function encodePointerEvent(e: PointerEvent): WireMap {
  return {
    action: e.action,
    point: encodePoint(e.point),
    button: e.button,
    modifiers: [...e.modifiers],
    dx: f(e.dx),
    dy: f(e.dy),
    pressure: fOrNull(e.pressure),
    tilt_x: fOrNull(e.tilt_x),
    tilt_y: fOrNull(e.tilt_y),
    timestamp: f(e.timestamp),
  };
}

/** Encodes a KeyEvent. */
export function encodeKeyEvent(e: KeyEvent): WireMap {
  return {
    action: e.action,
    keysym: e.keysym,
    char: e.char,
    scancode: e.scancode,
    modifiers: [...e.modifiers],
    is_repeat: e.is_repeat,
    timestamp: f(e.timestamp),
  };
}

/** Encodes a pointer or key event. */
export function encodeInputEvent(e: InputEvent): WireMap {
  return isKeyEvent(e) ? encodeKeyEvent(e) : encodePointerEvent(e);
}

/** Encodes a TextInput. */
export function encodeTextInput(t: TextInput): WireMap {
  return { text: t.text, interval_ms: t.interval_ms };
}

/** Encodes ClipboardContents. */
export function encodeClipboardContents(c: ClipboardContents): WireMap {
  return { entries: c.entries.map((e) => ({ mime_type: e.mime_type, data: e.data })) };
}

/** Encodes a FileEntry. */
export function encodeFileEntry(e: FileEntry): WireMap {
  return {
    path: e.path,
    name: e.name,
    is_dir: e.is_dir,
    size: e.size,
    mtime: fOrNull(e.mtime),
    mode: e.mode,
  };
}

/** Encodes a CompletedCommand. */
export function encodeCompletedCommand(c: CompletedCommand): WireMap {
  return { returncode: c.returncode, stdout: c.stdout, stderr: c.stderr, duration: f(c.duration) };
}

/** Encodes an Environment. */
export function encodeEnvironment(e: Environment): WireMap {
  return {
    os: e.os,
    os_version: e.os_version,
    hostname: e.hostname,
    locale: e.locale,
    timezone: e.timezone,
    displays: e.displays.map(encodeDisplay),
  };
}

/** Encodes a Notification. */
export function encodeNotification(n: Notification): WireMap {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    app: n.app,
    timestamp: f(n.timestamp),
  };
}

/** Encodes a CapabilityManifest: exactly its five keys. */
export function encodeManifest(m: CapabilityManifest): WireMap {
  return {
    capabilities: [...m.capabilities],
    limits: m.limits,
    protocol_version: m.protocol_version,
    backend: m.backend,
    description: m.description,
  };
}

/** Wraps a list result as `{items: [...]}`. */
export function encodeItems<T>(items: readonly T[], encode: (item: T) => unknown): WireMap {
  return { items: items.map(encode) };
}
