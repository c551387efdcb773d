/**
 * The desktop tools besides screen and input: `windows`, `apps`,
 * `clipboard` and `notifications`.
 *
 * @module
 */

import { z } from "zod";
import { clipboardTextOf, textClipboard, type Window } from "./_target.ts";
import { APPS_OUTPUT, CLIPBOARD_OUTPUT, WINDOWS_OUTPUT } from "./_output_schemas.ts";
import { dataResult, type OpendeskTool, requireCapability, structuredResult } from "./tool_def.ts";
import { ToolError } from "./targets.ts";

const CLIPBOARD_MAX_CHARS = 100_000;

function windowData(w: Window): Record<string, unknown> {
  return {
    id: w.id,
    title: w.title,
    app: w.app_name,
    bounds: w.bounds,
    focused: w.focused,
    minimized: w.minimized,
  };
}

function needString(args: Record<string, unknown>, name: string, action: string): string {
  const value = args[name];
  if (typeof value !== "string" || value === "") {
    throw new ToolError(`Action '${action}' needs '${name}'`);
  }
  return value;
}

/** The `windows` tool. */
export const WINDOWS_TOOL: OpendeskTool = {
  name: "windows",
  title: "Windows",
  description: "List the top-level windows (id, title, app, bounds in screen pixels, focus), or " +
    "focus, move/resize or close one by id.",
  input: {
    action: z.enum(["list", "focus", "move", "close"]),
    window_id: z.string().optional().describe("focus / move / close: the id from list"),
    bounds: z.object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    }).strict().optional().describe("move: the new bounds in screen pixels"),
  },
  output: WINDOWS_OUTPUT,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  capabilities: ["windows.list", "windows.manipulate"],
  async run(args, call) {
    const opts = { signal: call.signal };
    const action = args.action as string;
    if (action === "list") {
      requireCapability(call, "windows.list", "list windows");
      const windows = (await call.computer.windows(opts)).map(windowData);
      return dataResult(`${windows.length} windows`, { action, windows });
    }
    requireCapability(call, "windows.manipulate", `${action} windows`);
    const id = needString(args, "window_id", action);
    if (action === "focus") await call.computer.focusWindow(id, opts);
    else if (action === "close") await call.computer.closeWindow(id, opts);
    else {
      const bounds = args.bounds as
        | { x: number; y: number; width: number; height: number }
        | undefined;
      if (!bounds) throw new ToolError("Action 'move' needs 'bounds'");
      await call.computer.moveWindow(id, bounds, opts);
    }
    return structuredResult(
      `${action === "close" ? "Closed" : action === "focus" ? "Focused" : "Moved"} window ${id}`,
      { action, window_id: id },
    );
  },
};

/** The `apps` tool. */
export const APPS_TOOL: OpendeskTool = {
  name: "apps",
  title: "Applications",
  description: "List the running apps with windows, or open, focus or close an app by name.",
  input: {
    action: z.enum(["list", "open", "focus", "close"]),
    name: z.string().optional().describe("open / focus / close: the app's name"),
  },
  output: APPS_OUTPUT,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  capabilities: ["app.lifecycle"],
  async run(args, call) {
    const opts = { signal: call.signal };
    const action = args.action as string;
    requireCapability(call, "app.lifecycle", `${action} apps`);
    if (action === "list") {
      const apps = await call.computer.listApps(opts);
      return dataResult(`${apps.length} apps`, { action, apps });
    }
    const name = needString(args, "name", action);
    if (action === "open") await call.computer.openApp(name, opts);
    else if (action === "focus") await call.computer.focusApp(name, opts);
    else await call.computer.closeApp(name, opts);
    return structuredResult(
      `${action === "open" ? "Opened" : action === "focus" ? "Focused" : "Closed"} ${name}`,
      { action, name },
    );
  },
};

/** The `clipboard` tool. */
export const CLIPBOARD_TOOL: OpendeskTool = {
  name: "clipboard",
  title: "Clipboard",
  description: "Read the clipboard's text, or replace it with text.",
  input: {
    action: z.enum(["read", "write"]),
    text: z.string().max(10_000_000).optional().describe("write: the new text"),
  },
  output: CLIPBOARD_OUTPUT,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  capabilities: ["clipboard.read", "clipboard.write"],
  async run(args, call) {
    const opts = { signal: call.signal };
    if (args.action === "read") {
      requireCapability(call, "clipboard.read", "read the clipboard");
      const text = clipboardTextOf(await call.computer.clipboardRead(opts));
      if (text === null) {
        return structuredResult("The clipboard holds no text", {
          action: "read",
          text: null,
          truncated: false,
          length: 0,
        });
      }
      if (text.length > CLIPBOARD_MAX_CHARS) {
        const cut = text.slice(0, CLIPBOARD_MAX_CHARS);
        return structuredResult(
          `${cut}\n[clipboard text cut at ${CLIPBOARD_MAX_CHARS} of ${text.length} characters]`,
          { action: "read", text: cut, truncated: true, length: text.length },
        );
      }
      return structuredResult(text, {
        action: "read",
        text,
        truncated: false,
        length: text.length,
      });
    }
    requireCapability(call, "clipboard.write", "write the clipboard");
    const text = args.text;
    if (typeof text !== "string") throw new ToolError("Action 'write' needs 'text'");
    await call.computer.clipboardWrite(textClipboard(text), opts);
    return structuredResult(`The clipboard now holds ${text.length} characters`, {
      action: "write",
      length: text.length,
    });
  },
};

const NotificationOut = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  app: z.string().nullable(),
  timestamp: z.number(),
});

/** The `notifications` tool. */
export const NOTIFICATIONS_TOOL: OpendeskTool = {
  name: "notifications",
  title: "Notifications",
  description: "The desktop notifications shown recently (newest last).",
  input: {
    limit: z.number().int().min(1).max(500).optional().describe(
      "At most this many, newest (default 50)",
    ),
  },
  output: { notifications: z.array(NotificationOut) },
  annotations: { readOnlyHint: true, openWorldHint: false },
  capabilities: ["notifications.list"],
  async run(args, call) {
    requireCapability(call, "notifications.list", "read notifications");
    const all = await call.computer.notifications({ signal: call.signal });
    const limit = (args.limit as number | undefined) ?? 50;
    const notifications = all.slice(-limit).map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      app: n.app,
      timestamp: n.timestamp,
    }));
    return dataResult(`${notifications.length} of ${all.length} notifications`, { notifications });
  },
};
