/**
 * The `files` tool: read (text or base64, with offset and length, in
 * chunks with progress), write, list and stat on the target.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { z } from "zod";
import type { FileEntry } from "./_target.ts";
import { FILES_OUTPUT } from "./_output_schemas.ts";
import {
  dataResult,
  type OpendeskTool,
  requireCapability,
  structuredResult,
  type ToolCall,
} from "./tool_def.ts";
import { ToolError } from "./targets.ts";

/** Bytes fetched per read call (progress is reported after each). */
export const READ_CHUNK_BYTES = 1 << 20;
/** Default and largest number of bytes one read returns. */
const DEFAULT_READ_BYTES = 256 * 1024;
const MAX_READ_BYTES = 8 * 1024 * 1024;
const LIST_MAX = 1000;

function entryData(e: FileEntry): Record<string, unknown> {
  return { path: e.path, name: e.name, is_dir: e.is_dir, size: e.size, mtime: e.mtime };
}

async function read(args: Record<string, unknown>, call: ToolCall) {
  requireCapability(call, "fs.read", "read files");
  const path = args.path as string;
  const offset = (args.offset as number | undefined) ?? 0;
  const wanted = (args.length as number | undefined) ?? DEFAULT_READ_BYTES;
  const entry = await call.computer.stat(path, { signal: call.signal });
  if (entry.is_dir) throw new ToolError(`'${path}' is a directory: use action 'list'`);
  const end = Math.min(entry.size, offset + wanted);
  const parts: Uint8Array[] = [];
  let at = offset;
  const total = Math.max(0, end - offset);
  // A file whose size is not known in advance (a FIFO, /proc) reads as one chunk of `wanted`.
  const unsized = entry.size === 0;
  while (unsized ? at === offset : at < end) {
    const length = unsized ? wanted : Math.min(READ_CHUNK_BYTES, end - at);
    const chunk = await call.computer.readFile(path, { offset: at, length }, {
      signal: call.signal,
    });
    parts.push(chunk);
    at += chunk.byteLength;
    if (chunk.byteLength === 0) break;
    if (!unsized) await call.progress(at - offset, total, `read ${at - offset} of ${total} bytes`);
  }
  const data = Buffer.concat(parts);
  const size = unsized ? Math.max(entry.size, offset + data.byteLength) : entry.size;
  const range = `bytes ${offset}-${offset + data.byteLength} of ${size}`;
  const more = offset + data.byteLength < size
    ? `; more remains: read again with offset ${offset + data.byteLength}`
    : "";
  const facts = {
    action: "read",
    path,
    offset,
    bytes: data.byteLength,
    size,
    more: more !== "",
    encoding: args.encoding === "base64" ? "base64" : "text",
  };
  if (args.encoding === "base64") {
    return structuredResult(
      `${path} (${range}${more}), base64:\n${data.toString("base64")}`,
      facts,
    );
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(data);
  return structuredResult(`${path} (${range}${more}):\n${text}`, facts);
}

/** The `files` tool. */
export const FILES_TOOL: OpendeskTool = {
  name: "files",
  title: "Files",
  description: "Files on the target: read text (or base64 for binary) with offset and length " +
    `(at most ${MAX_READ_BYTES} bytes per call, default ${DEFAULT_READ_BYTES}), write a whole ` +
    "file (creating parent directories), list a directory, or stat a path.",
  input: {
    action: z.enum(["read", "write", "list", "stat"]),
    path: z.string().min(1).describe("Absolute path on the target"),
    offset: z.number().int().min(0).optional().describe("read: first byte (default 0)"),
    length: z.number().int().min(1).max(MAX_READ_BYTES).optional().describe("read: most bytes"),
    encoding: z.enum(["text", "base64"]).optional().describe(
      "read: how to return the bytes; write: how 'content' is encoded (default text)",
    ),
    content: z.string().max(16_000_000).optional().describe("write: the file's new contents"),
  },
  output: FILES_OUTPUT,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  capabilities: ["fs.read", "fs.write"],
  async run(args, call) {
    const path = args.path as string;
    const opts = { signal: call.signal };
    switch (args.action) {
      case "read":
        return await read(args, call);
      case "write": {
        requireCapability(call, "fs.write", "write files");
        const content = args.content;
        if (typeof content !== "string") throw new ToolError("Action 'write' needs 'content'");
        const bytes = args.encoding === "base64"
          ? new Uint8Array(Buffer.from(content, "base64"))
          : new TextEncoder().encode(content);
        await call.computer.writeFile(path, bytes, opts);
        return structuredResult(`Wrote ${bytes.byteLength} bytes to ${path}`, {
          action: "write",
          path,
          bytes: bytes.byteLength,
        });
      }
      case "list": {
        requireCapability(call, "fs.read", "list directories");
        const entries = await call.computer.listDir(path, opts);
        const shown = entries.slice(0, LIST_MAX).map(entryData);
        const note = entries.length > LIST_MAX ? ` (first ${LIST_MAX} shown)` : "";
        return dataResult(`${entries.length} entries in ${path}${note}`, {
          action: "list",
          path,
          entries: shown,
          total: entries.length,
        });
      }
      default: {
        requireCapability(call, "fs.read", "stat files");
        const entry = await call.computer.stat(path, opts);
        return dataResult(`${path}`, { action: "stat", path, entry: entryData(entry) });
      }
    }
  },
};
