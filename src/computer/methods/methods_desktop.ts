/**
 * Definitions of the window, app, UI, clipboard, power and notification wire
 * methods. `methods.ts` assembles the table.
 *
 * @module
 */

import { z } from "zod";
import { defineUnary } from "./method_def.ts";
import {
  AppNameParamsSchema,
  ClipboardWriteParamsSchema,
  MoveWindowParamsSchema,
  UiActionParamsSchema,
  UiTreeParamsSchema,
  WindowIdParamsSchema,
} from "./params.ts";
import { keyValueSummary } from "./summaries.ts";
import { ClipboardContentsSchema } from "../types/clipboard.ts";
import { NotificationSchema } from "../types/notification.ts";
import { decodeUIElement } from "../types/ui_element_decode.ts";
import { WindowSchema } from "../types/window.ts";
import * as enc from "./wire_encode.ts";
import { items, nilResult, noParams, pick } from "./_method_util.ts";

/** `windows.list`: top-level windows. */
export const WindowsList = defineUnary({
  name: "windows.list",
  kind: "observation",
  observation: true,
  capability: "windows.list",
  idempotent: true,
  help: "List the top-level windows",
  resultDoc: "{items: [Window]}",
  ...noParams,
  summary: () => keyValueSummary("windows.list", {}),
  invoke: (c, _p, o) => c.windows(o),
  encodeResult: (r) => enc.encodeItems(r, enc.encodeWindow),
  decodeResult: (r) => items(WindowSchema).parse(r).items,
});

/** `windows.focused`: the focused window. */
export const WindowsFocused = defineUnary({
  name: "windows.focused",
  kind: "observation",
  observation: true,
  capability: "windows.list",
  idempotent: true,
  help: "The focused window, or nil",
  resultDoc: "{window: Window?}",
  ...noParams,
  summary: () => keyValueSummary("windows.focused", {}),
  invoke: (c, _p, o) => c.focusedWindow(o),
  encodeResult: (r) => ({ window: r === null ? null : enc.encodeWindow(r) }),
  decodeResult: (r) => z.object({ window: WindowSchema.nullable() }).parse(r).window,
});

const windowIdDoc = [{ name: "window_id", type: "str", doc: "Window id from windows.list" }];

/** `windows.focus`. */
export const WindowsFocus = defineUnary({
  name: "windows.focus",
  kind: "action",
  observation: false,
  capability: "windows.manipulate",
  idempotent: false,
  help: "Focus a window",
  params: WindowIdParamsSchema,
  paramDocs: windowIdDoc,
  summary: (p) => keyValueSummary("windows.focus", p),
  encodeParams: (p) => ({ window_id: p.window_id }),
  invoke: (c, p, o) => c.focusWindow(p.window_id, o),
  ...nilResult,
});

/** `windows.move`. */
export const WindowsMove = defineUnary({
  name: "windows.move",
  kind: "action",
  observation: false,
  capability: "windows.manipulate",
  idempotent: false,
  help: "Move and resize a window to logical bounds",
  params: MoveWindowParamsSchema,
  paramDocs: [...windowIdDoc, { name: "bounds", type: "Rect", doc: "New logical bounds" }],
  summary: (p) => keyValueSummary("windows.move", p),
  encodeParams: (p) => ({ window_id: p.window_id, bounds: enc.encodeRect(p.bounds) }),
  invoke: (c, p, o) => c.moveWindow(p.window_id, p.bounds, o),
  ...nilResult,
});

/** `windows.close`. */
export const WindowsClose = defineUnary({
  name: "windows.close",
  kind: "action",
  observation: false,
  capability: "windows.manipulate",
  idempotent: false,
  help: "Close a window",
  params: WindowIdParamsSchema,
  paramDocs: windowIdDoc,
  summary: (p) => keyValueSummary("windows.close", p),
  encodeParams: (p) => ({ window_id: p.window_id }),
  invoke: (c, p, o) => c.closeWindow(p.window_id, o),
  ...nilResult,
});

function appMethod(verb: "open" | "close" | "focus", help: string) {
  return defineUnary({
    name: `apps.${verb}`,
    kind: "action",
    observation: false,
    capability: "app.lifecycle",
    idempotent: false,
    help,
    params: AppNameParamsSchema,
    paramDocs: [{ name: "name", type: "str", doc: "App name" }],
    summary: (p) => `${verb} app: '${p.name}'`,
    encodeParams: (p) => ({ name: p.name }),
    invoke: (c, p, o) =>
      verb === "open"
        ? c.openApp(p.name, o)
        : verb === "close"
        ? c.closeApp(p.name, o)
        : c.focusApp(p.name, o),
    ...nilResult,
  });
}

/** `apps.open`. */
export const AppsOpen = appMethod("open", "Start an app by name");
/** `apps.close`. */
export const AppsClose = appMethod("close", "Quit an app");
/** `apps.focus`. */
export const AppsFocus = appMethod("focus", "Bring an app to the front");

/** `apps.list`. */
export const AppsList = defineUnary({
  name: "apps.list",
  kind: "observation",
  observation: true,
  capability: "app.lifecycle",
  idempotent: true,
  help: "Names of the running apps that have windows",
  resultDoc: "{items: [str]}",
  ...noParams,
  summary: () => "apps.list",
  invoke: (c, _p, o) => c.listApps(o),
  encodeResult: (r) => ({ items: [...r] }),
  decodeResult: (r) => items(z.string()).parse(r).items,
});

/** `ui.tree`: the accessibility tree. */
export const UiTree = defineUnary({
  name: "ui.tree",
  kind: "observation",
  observation: true,
  capability: "ui.tree",
  idempotent: true,
  help: "Accessibility tree of a window or app (the focused window when both are nil)",
  resultDoc: "UIElement",
  params: UiTreeParamsSchema,
  paramDocs: [
    { name: "window_id", type: "str?", default: "nil", doc: "Window from windows.list" },
    { name: "app", type: "str?", default: "nil", doc: "App name (substring, case-insensitive)" },
    { name: "max_depth", type: "int", default: "8", doc: "Deepest level to walk" },
    { name: "max_nodes", type: "int", doc: "Stop after this many elements", extension: true },
    { name: "deadline_ms", type: "int", doc: "Stop walking after this long", extension: true },
    {
      name: "interactive_only",
      type: "bool",
      doc: "Keep interactive elements and their ancestors",
      extension: true,
    },
    { name: "refs", type: "bool", doc: "Give elements a ref for ui.action", extension: true },
  ],
  summary: () => "ui.tree",
  encodeParams: (p) => ({
    window_id: p.window_id,
    app: p.app,
    max_depth: p.max_depth,
    ...pick(p, ["max_nodes", "deadline_ms", "interactive_only", "refs"]),
  }),
  invoke: (c, p, o) => c.uiTree(p, o),
  encodeResult: (r, p) => enc.encodeUIElement(r, { refs: p.refs === true }),
  decodeResult: decodeUIElement,
});

/** `ui.action` (alias `ui.perform`): an accessibility action on an element. */
export const UiAction = defineUnary({
  name: "ui.action",
  aliases: ["ui.perform"],
  kind: "action",
  observation: false,
  capability: "ui.actions",
  idempotent: false,
  help: "Perform an accessibility action (click, press, toggle, …) on an element",
  params: UiActionParamsSchema,
  paramDocs: [
    { name: "element", type: "UIElement", doc: "Element from ui.tree (role, name, bounds)" },
    {
      name: "action",
      type: "str",
      default: "'click'",
      doc: "Action name; extensions: 'set_text', 'focus' (move the keyboard focus to it)",
    },
    { name: "app", type: "str?", default: "nil", doc: "App the element belongs to" },
    { name: "ref", type: "str", doc: "Element ref from ui.tree with refs", extension: true },
    {
      name: "text",
      type: "str",
      doc: "New text of an editable element, with action 'set_text'",
      extension: true,
    },
  ],
  summary: (p) => {
    const target = p.element
      ? (p.element.name !== "" ? p.element.name : p.element.role)
      : `ref ${p.ref}`;
    return `ui action '${p.action}' on ${target}`;
  },
  encodeParams: (p) => ({
    ...(p.element ? { element: enc.encodeUIElement(p.element, { refs: true }) } : {}),
    action: p.action,
    app: p.app,
    ...pick(p, ["ref", "text"]),
  }),
  invoke: (c, p, o) => c.performUiAction(p, o),
  ...nilResult,
});

/** `clipboard.read`. */
export const ClipboardRead = defineUnary({
  name: "clipboard.read",
  kind: "observation",
  observation: true,
  capability: "clipboard.read",
  idempotent: true,
  help: "Read the clipboard",
  resultDoc: "ClipboardContents",
  ...noParams,
  summary: () => "clipboard.read",
  invoke: (c, _p, o) => c.clipboardRead(o),
  encodeResult: enc.encodeClipboardContents,
  decodeResult: (r) => ClipboardContentsSchema.parse(r),
});

/** `clipboard.write`. */
export const ClipboardWrite = defineUnary({
  name: "clipboard.write",
  kind: "action",
  observation: false,
  capability: "clipboard.write",
  idempotent: false,
  help: "Replace the clipboard",
  params: ClipboardWriteParamsSchema,
  paramDocs: [{
    name: "contents",
    type: "ClipboardContents",
    doc: "{entries: [{mime_type, data}]}",
  }],
  summary: () => "write to the clipboard",
  encodeParams: (p) => ({ contents: enc.encodeClipboardContents(p.contents) }),
  invoke: (c, p, o) => c.clipboardWrite(p.contents, o),
  ...nilResult,
});

/** `power.lock` (alias `system.lock`). */
export const PowerLock = defineUnary({
  name: "power.lock",
  aliases: ["system.lock"],
  kind: "action",
  observation: false,
  capability: "power.lock",
  idempotent: false,
  help: "Lock the screen",
  ...noParams,
  summary: () => "lock the screen",
  invoke: (c, _p, o) => c.lockScreen(o),
  ...nilResult,
});

/** `notifications.list`. */
export const NotificationsList = defineUnary({
  name: "notifications.list",
  kind: "observation",
  observation: true,
  capability: "notifications.list",
  idempotent: true,
  help: "Recent desktop notifications",
  resultDoc: "{items: [Notification]}",
  ...noParams,
  summary: () => "notifications.list",
  invoke: (c, _p, o) => c.notifications(o),
  encodeResult: (r) => enc.encodeItems(r, enc.encodeNotification),
  decodeResult: (r) => items(NotificationSchema).parse(r).items,
});
