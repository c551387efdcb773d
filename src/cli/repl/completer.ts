/**
 * Tab completion for the REPL: command and method names, parameter names
 * per method (dotted paths for nested maps), enum and boolean values,
 * key names for `key`, and remote or local paths for the file helpers.
 *
 * @module
 */

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fieldAtPath, type FieldInfo, objectFields } from "./param_schema.ts";
import type { ReplMethod } from "./repl_call_params.ts";
import { userFields } from "./repl_call_params.ts";
import type { ReplCommand } from "./repl_context.ts";
import { knownKeyNames, MODIFIERS } from "./key_chord.ts";
import { tokenize } from "./repl_tokenizer.ts";
import { STREAM_VALUE_FLAGS } from "./stream_view.ts";

/** One directory entry for path completion. */
export interface PathEntry {
  readonly name: string;
  readonly isDir: boolean;
}

/** Where completion finds its words. */
export interface CompletionSources {
  /** Methods by every accepted name. */
  readonly methods: ReadonlyMap<string, ReplMethod>;
  /** Helpers and `:` commands. */
  readonly commands: readonly ReplCommand[];
  /** Lists a remote directory (for `ls`, `cat`, `get`); absent = no remote path completion. */
  readonly listRemote?: (dir: string) => Promise<readonly PathEntry[]>;
  /** Working directory for local paths. */
  readonly cwd: string;
}

/** Candidates and the text they replace (readline's completer result). */
export type Completion = [string[], string];

function byPrefix(words: Iterable<string>, prefix: string): string[] {
  return [...new Set(words)].filter((w) => w.startsWith(prefix)).sort();
}

function paramCandidates(method: ReplMethod, word: string, given: Set<string>): string[] {
  const { fields: inner } = userFields(method);
  const top = objectFields(method.params);
  const dot = word.lastIndexOf(".");
  let level: readonly FieldInfo[];
  let prefix = "";
  if (dot >= 0) {
    prefix = word.slice(0, dot + 1);
    const path = word.slice(0, dot).split(".");
    level = fieldAtPath(inner, path)?.children ?? fieldAtPath(top, path)?.children ?? [];
  } else {
    level = inner === top ? top : [...inner, ...top];
  }
  const words = level
    .filter((f) => !given.has(prefix + f.name))
    .map((f) => f.children.length > 0 ? `${prefix}${f.name}.` : `${prefix}${f.name}=`);
  const flags = method.kind === "stream"
    ? STREAM_VALUE_FLAGS.map((f) => `--${f}`)
    : method.name === "display.capture"
    ? ["--out"]
    : [];
  return byPrefix([...words, ...flags], word);
}

function valueCandidates(method: ReplMethod, word: string): string[] {
  const eq = word.indexOf("=");
  const name = word.slice(0, eq);
  const path = name.split(".");
  const field = fieldAtPath(userFields(method).fields, path) ??
    fieldAtPath(objectFields(method.params), path);
  if (!field) return [];
  const values = field.enumValues.length > 0
    ? [...field.enumValues]
    : field.type.startsWith("boolean")
    ? ["true", "false"]
    : [];
  if (field.type.endsWith("?")) values.push("null");
  return byPrefix(values.map((v) => `${name}=${v}`), word);
}

async function pathCandidates(
  word: string,
  list: (dir: string) => Promise<readonly PathEntry[]>,
): Promise<string[]> {
  const slash = word.lastIndexOf("/");
  const dir = slash >= 0 ? word.slice(0, slash + 1) : "";
  try {
    const entries = await list(dir === "" ? "." : dir);
    return byPrefix(entries.map((e) => `${dir}${e.name}${e.isDir ? "/" : ""}`), word);
  } catch {
    return [];
  }
}

/** Lists a local directory for completion. */
export async function listLocal(cwd: string, dir: string): Promise<PathEntry[]> {
  const entries = await readdir(dir.startsWith("/") ? dir : join(cwd, dir), {
    withFileTypes: true,
  });
  return entries.map((e) => ({ name: e.name, isDir: e.isDirectory() }));
}

function keyCandidates(word: string): string[] {
  const plus = word.lastIndexOf("+");
  const head = plus >= 0 ? word.slice(0, plus + 1) : "";
  const names = [...MODIFIERS.map((m) => `${m}+`), ...knownKeyNames()];
  return byPrefix(names.map((n) => head + n), word);
}

/**
 * Completes the text before the cursor.
 *
 * @param line The line up to the cursor.
 * @param sources Where the words come from.
 * @returns Candidates and the part of the line they replace.
 *
 * @example Usage
 * ```ts ignore
 * const [hits, part] = await complete("display.cap", sources); // [["display.capture"], "display.cap"]
 * ```
 */
export async function complete(line: string, sources: CompletionSources): Promise<Completion> {
  const tokens = tokenize(line, { lenient: true });
  const atNewWord = line.length === 0 || /\s$/.test(line);
  const current = atNewWord ? "" : tokens[tokens.length - 1]!.text;
  const rawCurrent = atNewWord ? "" : line.slice(tokens[tokens.length - 1]!.start);
  const isFirst = tokens.length === 0 || (tokens.length === 1 && !atNewWord);
  if (isFirst) {
    const names = [...sources.commands.map((c) => c.name), ...sources.methods.keys()];
    return [byPrefix(names, current), rawCurrent];
  }
  const commandName = tokens[0]!.text;
  const method = sources.methods.get(commandName);
  if (method) {
    const given = new Set(
      tokens.slice(1, atNewWord ? undefined : -1).map((t) => t.text.split("=")[0]!),
    );
    const hits = current.includes("=")
      ? valueCandidates(method, current)
      : paramCandidates(method, current, given);
    return [hits, rawCurrent];
  }
  const command = sources.commands.find((c) => c.name === commandName);
  switch (command?.completes) {
    case "method":
      return [
        byPrefix([...sources.methods.keys(), ...sources.commands.map((c) => c.name)], current),
        rawCurrent,
      ];
    case "key":
      return [keyCandidates(current), rawCurrent];
    case "remote-path":
      if (!sources.listRemote) return [[], rawCurrent];
      return [await pathCandidates(current, sources.listRemote), rawCurrent];
    case "local-path":
      return [await pathCandidates(current, (dir) => listLocal(sources.cwd, dir)), rawCurrent];
    default:
      return [[], rawCurrent];
  }
}
