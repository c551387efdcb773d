/**
 * Definitions of the file and process wire methods.
 * `methods.ts` assembles the table.
 *
 * @module
 */

import { z } from "zod";
import { RemoteError } from "../../protocol/errors.ts";
import { type Float64, float64 } from "../../protocol/float64.ts";
import { items, nilResult, noParams, pick } from "./_method_util.ts";
import { defineUnary } from "./method_def.ts";
import {
  ExecParamsSchema,
  type FilePartResult,
  MkdirParamsSchema,
  MoveParamsSchema,
  PathParamsSchema,
  ReadFileParamsSchema,
  ShellParamsSchema,
  WriteFileParamsSchema,
} from "./params.ts";
import { preview } from "./summaries.ts";
import { FileEntrySchema } from "../types/file_entry.ts";
import { CompletedCommandSchema, ProcessSchema } from "../types/process.ts";
import * as enc from "./wire_encode.ts";

const fOrNull = (n: number | null): Float64 | null => (n === null ? null : float64(n));
const pathDoc = { name: "path", type: "str", doc: "Path on the controlled machine (~ expands)" };

/** `fs.read`: a file's bytes, or a range of them. */
export const FsRead = defineUnary({
  name: "fs.read",
  kind: "observation",
  observation: true,
  capability: "fs.read",
  idempotent: true,
  help: "Read a file (use offset/length for files over the frame limit)",
  resultDoc: "{data: bin}",
  params: ReadFileParamsSchema,
  paramDocs: [
    pathDoc,
    { name: "offset", type: "int", doc: "First byte to read", extension: true },
    { name: "length", type: "int", doc: "Most bytes to read", extension: true },
  ],
  summary: (p) => `read file: ${p.path}`,
  encodeParams: (p) => ({ path: p.path, ...pick(p, ["offset", "length"]) }),
  invoke: (c, p, o) => c.readFile(p.path, pick(p, ["offset", "length"]), o),
  encodeResult: (r) => ({ data: r }),
  decodeResult: (r) => z.object({ data: z.instanceof(Uint8Array) }).parse(r).data as Uint8Array,
});

/** The name of the `fs.write` parts extension in `system.capabilities`' `extensions`. */
export const FS_WRITE_PARTS_EXTENSION = "fs.write.offset";

const PART_KEYS = ["offset", "size", "upload"];

/**
 * `fs.write`: write a whole file atomically; with the extension
 * `offset`/`size`/`upload`, one part of a file uploaded in parts.
 */
export const FsWrite = defineUnary({
  name: "fs.write",
  kind: "action",
  observation: false,
  capability: "fs.write",
  idempotent: false,
  help: "Write a whole file (atomically; parent directories are created)",
  params: WriteFileParamsSchema,
  paramDocs: [
    pathDoc,
    { name: "data", type: "bin", doc: "The file's new content (or one part of it)" },
    { name: "offset", type: "int", doc: "Where this part goes in the file", extension: true },
    { name: "size", type: "int", doc: "The whole file's size", extension: true },
    { name: "upload", type: "str", doc: "Names the upload the parts belong to", extension: true },
  ],
  summary: (p) => `write file: ${p.path}`,
  encodeParams: (p) => ({ path: p.path, data: p.data, ...pick(p, PART_KEYS) }),
  invoke: async (c, p, o): Promise<FilePartResult | undefined> => {
    if (p.offset === undefined || p.size === undefined || p.upload === undefined) {
      await c.writeFile(p.path, p.data, o);
      return undefined;
    }
    if (c.writeFilePart === undefined) {
      throw new RemoteError(
        "invalid_argument",
        "This machine cannot write files in parts; send the whole file without 'offset'",
        { path: p.path },
      );
    }
    return await c.writeFilePart(p.path, p.data, {
      offset: p.offset,
      size: p.size,
      upload: p.upload,
    }, o);
  },
  resultDoc: "nil, or {complete: bool} for a part",
  encodeResult: (r) => (r === undefined ? null : { complete: r.complete }),
  decodeResult: (r): FilePartResult | undefined =>
    r === null ? undefined : z.object({ complete: z.boolean() }).parse(r),
});

/** `fs.list`: a directory's entries. */
export const FsList = defineUnary({
  name: "fs.list",
  kind: "observation",
  observation: true,
  capability: "fs.read",
  idempotent: true,
  help: "List a directory",
  resultDoc: "{items: [FileEntry]}",
  params: PathParamsSchema,
  paramDocs: [pathDoc],
  summary: () => "fs.list",
  encodeParams: (p) => ({ path: p.path }),
  invoke: (c, p, o) => c.listDir(p.path, o),
  encodeResult: (r) => enc.encodeItems(r, enc.encodeFileEntry),
  decodeResult: (r) => items(FileEntrySchema).parse(r).items,
});

/** `fs.stat`: one path's metadata. */
export const FsStat = defineUnary({
  name: "fs.stat",
  kind: "observation",
  observation: true,
  capability: "fs.read",
  idempotent: true,
  help: "Metadata of a file or directory",
  resultDoc: "FileEntry",
  params: PathParamsSchema,
  paramDocs: [pathDoc],
  summary: (p) => `stat file: ${p.path}`,
  encodeParams: (p) => ({ path: p.path }),
  invoke: (c, p, o) => c.stat(p.path, o),
  encodeResult: enc.encodeFileEntry,
  decodeResult: (r) => FileEntrySchema.parse(r),
});

/** `fs.delete`: delete a file or directory tree. */
export const FsDelete = defineUnary({
  name: "fs.delete",
  kind: "action",
  observation: false,
  capability: "fs.write",
  idempotent: false,
  help: "Delete a file, or a directory with its content (a missing path is fine)",
  params: PathParamsSchema,
  paramDocs: [pathDoc],
  summary: (p) => `delete file: ${p.path}`,
  encodeParams: (p) => ({ path: p.path }),
  invoke: (c, p, o) => c.delete(p.path, o),
  ...nilResult,
});

/** `fs.move`: move or rename. */
export const FsMove = defineUnary({
  name: "fs.move",
  kind: "action",
  observation: false,
  capability: "fs.write",
  idempotent: false,
  help: "Move or rename a file or directory (into dst when dst is a directory)",
  params: MoveParamsSchema,
  paramDocs: [
    { name: "src", type: "str", doc: "Existing path" },
    { name: "dst", type: "str", doc: "New path, or a directory to move into" },
  ],
  summary: (p) => `move ${p.src} → ${p.dst}`,
  encodeParams: (p) => ({ src: p.src, dst: p.dst }),
  invoke: (c, p, o) => c.move(p.src, p.dst, o),
  ...nilResult,
});

/** `fs.mkdir`: create a directory. */
export const FsMkdir = defineUnary({
  name: "fs.mkdir",
  kind: "action",
  observation: false,
  capability: "fs.write",
  idempotent: false,
  help: "Create a directory",
  params: MkdirParamsSchema,
  paramDocs: [pathDoc, {
    name: "parents",
    type: "bool",
    default: "true",
    doc: "Create missing parents too",
  }],
  summary: (p) => `mkdir file: ${p.path}`,
  encodeParams: (p) => ({ path: p.path, parents: p.parents }),
  invoke: (c, p, o) => c.mkdir(p.path, { parents: p.parents }, o),
  ...nilResult,
});

/** `process.list`: running processes. */
export const ProcessList = defineUnary({
  name: "process.list",
  kind: "observation",
  observation: true,
  capability: "process.list",
  idempotent: true,
  help: "List the running processes",
  resultDoc: "{items: [Process]}",
  ...noParams,
  summary: () => "process.list",
  invoke: (c, _p, o) => c.processes(o),
  encodeResult: (r) => enc.encodeItems(r, enc.encodeProcess),
  decodeResult: (r) => items(ProcessSchema).parse(r).items,
});

const commandDocs = [
  { name: "timeout", type: "float?", default: "nil", doc: "Seconds before the command is killed" },
  { name: "cwd", type: "str?", default: "nil", doc: "Working directory" },
  { name: "env", type: "{str: str}?", default: "nil", doc: "Variables merged over the server's" },
];

/** `process.shell`: run a command through the platform shell. */
export const ProcessShell = defineUnary({
  name: "process.shell",
  kind: "action",
  observation: false,
  capability: "process.shell",
  idempotent: false,
  help: "Run a command through the platform shell (/bin/sh -c, cmd.exe /c)",
  resultDoc: "CompletedCommand",
  params: ShellParamsSchema,
  paramDocs: [{ name: "command", type: "str", doc: "Shell command line" }, ...commandDocs],
  summary: (p) => `run shell: '${preview(p.command, 80)}'`,
  encodeParams: (p) => ({
    command: p.command,
    timeout: fOrNull(p.timeout),
    cwd: p.cwd,
    env: p.env,
  }),
  invoke: (c, p, o) => c.shell(p.command, { timeout: p.timeout, cwd: p.cwd, env: p.env }, o),
  encodeResult: enc.encodeCompletedCommand,
  decodeResult: (r) => CompletedCommandSchema.parse(r),
});

/** `process.exec`: run a program directly. */
export const ProcessExec = defineUnary({
  name: "process.exec",
  kind: "action",
  observation: false,
  capability: "process.spawn",
  idempotent: false,
  help: "Run a program directly (no shell), optionally feeding stdin",
  resultDoc: "CompletedCommand",
  params: ExecParamsSchema,
  paramDocs: [
    { name: "argv", type: "[str]", doc: "Program and arguments" },
    ...commandDocs,
    { name: "stdin", type: "bin?", default: "nil", doc: "Bytes written to the program's stdin" },
  ],
  summary: (p) => `exec: '${preview(p.argv.join(" "), 80)}'`,
  encodeParams: (p) => ({
    argv: [...p.argv],
    timeout: fOrNull(p.timeout),
    cwd: p.cwd,
    env: p.env,
    stdin: p.stdin,
  }),
  invoke: (c, p, o) =>
    c.exec(p.argv, { timeout: p.timeout, cwd: p.cwd, env: p.env, stdin: p.stdin }, o),
  encodeResult: enc.encodeCompletedCommand,
  decodeResult: (r) => CompletedCommandSchema.parse(r),
});
