/**
 * `outputSchema`s of the multi-action tools. MCP wants one object schema
 * per tool, and the SDK checks every successful result against it, so each
 * schema has the `action` that ran and, optional, the fields of each
 * action's result (documented per action); every action of these tools
 * returns `structuredContent`.
 *
 * @module
 */

import { z } from "zod";

const RectOut = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});

/** A window as the `windows` tool reports it. */
export const WindowOut = z.object({
  id: z.string(),
  title: z.string(),
  app: z.string(),
  bounds: RectOut,
  focused: z.boolean(),
  minimized: z.boolean(),
});

/** A file entry as the `files` tool reports it. */
export const FileEntryOut = z.object({
  path: z.string(),
  name: z.string(),
  is_dir: z.boolean(),
  size: z.number(),
  mtime: z.number().nullable(),
});

/** `windows`: list → windows; focus / move / close → window_id. */
export const WINDOWS_OUTPUT: z.ZodRawShape = {
  action: z.enum(["list", "focus", "move", "close"]),
  windows: z.array(WindowOut).optional().describe("list: the top-level windows"),
  window_id: z.string().optional().describe("focus / move / close: the window acted on"),
};

/** `apps`: list → apps; open / focus / close → name. */
export const APPS_OUTPUT: z.ZodRawShape = {
  action: z.enum(["list", "open", "focus", "close"]),
  apps: z.array(z.string()).optional().describe("list: the running apps with windows"),
  name: z.string().optional().describe("open / focus / close: the app acted on"),
};

/** `clipboard`: read → text (null: no text), truncated, length; write → length. */
export const CLIPBOARD_OUTPUT: z.ZodRawShape = {
  action: z.enum(["read", "write"]),
  text: z.string().nullable().optional().describe(
    "read: the clipboard's text (cut when truncated), null when it holds no text",
  ),
  truncated: z.boolean().optional().describe("read: the text was cut"),
  length: z.number().int().describe("read: the full text's length; write: the length written"),
};

/**
 * `files`: read → the range read (the bytes are in the text block), write →
 * bytes, list → entries and total, stat → entry.
 */
export const FILES_OUTPUT: z.ZodRawShape = {
  action: z.enum(["read", "write", "list", "stat"]),
  path: z.string(),
  offset: z.number().int().optional().describe("read: the first byte read"),
  bytes: z.number().int().optional().describe("read / write: the bytes read or written"),
  size: z.number().int().optional().describe("read: the file's size"),
  more: z.boolean().optional().describe("read: bytes remain after this range"),
  encoding: z.enum(["text", "base64"]).optional().describe("read: how the text block holds them"),
  entries: z.array(FileEntryOut).optional().describe("list: the entries (at most 1000)"),
  total: z.number().int().optional().describe("list: the number of entries"),
  entry: FileEntryOut.optional().describe("stat: the entry"),
};
