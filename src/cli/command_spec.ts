/**
 * Declarative description of a command's arguments, from which both the
 * parser ({@linkcode parseCommandArgs}) and the `--help` text
 * (`renderHelp` in `help_text.ts`) are derived, so the two never disagree.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

/** One flag of a command. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `"port"` or `"no-mdns"`. */
  readonly name: string;
  /** `"string"` takes a value, `"boolean"` is a switch. */
  readonly type: "string" | "boolean";
  /** One-letter alias, e.g. `"f"`. */
  readonly short?: string;
  /** Name of the value in the help text, e.g. `"PORT"`. */
  readonly valueName?: string;
  /** One line of help. */
  readonly description: string;
  /** Default shown in the help text. */
  readonly defaultText?: string;
  /** May be given more than once. */
  readonly multiple?: boolean;
}

/** One positional argument of a command. */
export interface PositionalSpec {
  /** Upper-case name shown in usage, e.g. `"HOST"`. */
  readonly name: string;
  /** One line of help. */
  readonly description: string;
  /** May be left out. */
  readonly optional?: boolean;
  /** Takes every remaining argument (only the last positional). */
  readonly variadic?: boolean;
}

/** Everything the parser and the help text need to know about a command. */
export interface CommandSpec {
  /** The subcommand, e.g. `"pair-with"`. */
  readonly name: string;
  /** One line shown in `opendesk help`. */
  readonly summary: string;
  /** Paragraphs shown under the usage line. */
  readonly description?: string;
  /** Extra usage forms (for commands with subcommands), shown instead of the generated one. */
  readonly usage?: readonly string[];
  /** Positional arguments, in order. */
  readonly positionals: readonly PositionalSpec[];
  /** Flags (`--help` is added automatically). */
  readonly options: readonly OptionSpec[];
  /** Example invocations, without the leading `opendesk `. */
  readonly examples?: readonly string[];
}

/** The parsed command line. */
export interface ParsedArgs {
  /** True when `--help`/`-h` was given; nothing else is checked then. */
  readonly help: boolean;
  /** Flag values by long name (strings, booleans, or string arrays for `multiple`). */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Positional arguments in order. */
  readonly positionals: readonly string[];
}

/**
 * Parses `args` against `spec`.
 *
 * @param spec The command's description.
 * @param args The arguments after the subcommand name.
 * @returns The flags and positionals.
 * @throws {UsageError} for unknown flags, missing values, too few or too many positionals
 *
 * @example Usage
 * ```ts
 * import { parseCommandArgs } from "./command_spec.ts";
 * const parsed = parseCommandArgs(
 *   { name: "x", summary: "", positionals: [], options: [{ name: "port", type: "string", description: "" }] },
 *   ["--port", "1"],
 * );
 * ```
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  if (args.includes("--help") || args.includes("-h")) {
    return { help: true, values: {}, positionals: [] };
  }
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const option of spec.options) {
    options[option.name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error), spec.name, { cause: error });
  }
  const positionals = parsed.positionals;
  const required = spec.positionals.filter((p) => !p.optional).length;
  const variadic = spec.positionals.some((p) => p.variadic);
  if (positionals.length < required) {
    const missing = spec.positionals.filter((p) => !p.optional)[positionals.length];
    throw new UsageError(`Missing argument ${missing?.name ?? "?"}`, spec.name);
  }
  if (!variadic && positionals.length > spec.positionals.length) {
    const extra = positionals[spec.positionals.length];
    throw new UsageError(`Unexpected argument '${extra}'`, spec.name);
  }
  const values = { ...parsed.values } as ParsedArgs["values"];
  return { help: false, values, positionals };
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `Unknown option '${quoted ?? message}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/ambiguous/.test(message)) {
        const name = (quoted ?? "").split(" ")[0];
        return `Option '${name}' needs a value: write ${name}=VALUE for a value starting with '-'`;
      }
      if (/argument missing/.test(message)) {
        return `Option '${(quoted ?? "").split(" ")[0]}' needs a value`;
      }
      return `Option '${(quoted ?? "").split(" ")[0]}' does not take a value`;
    default:
      return message.replace(/\.$/, "");
  }
}

/** Reads a string flag, or `undefined`. */
export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value[value.length - 1];
  return typeof value === "string" ? value : undefined;
}

/** Reads a boolean flag (false when absent). */
export function booleanFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}

/**
 * Reads an integer flag within bounds.
 *
 * @throws {UsageError} when the value is not an integer in `[min, max]`
 */
export function integerFlag(
  parsed: ParsedArgs,
  command: string,
  name: string,
  bounds: { min: number; max: number },
): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < bounds.min || value > bounds.max) {
    throw new UsageError(
      `Option '--${name}' must be a whole number from ${bounds.min} to ${bounds.max}, got '${text}'`,
      command,
    );
  }
  return value;
}

/**
 * Reads a number-of-seconds flag.
 *
 * @throws {UsageError} when the value is not a non-negative number
 */
export function secondsFlag(parsed: ParsedArgs, command: string, name: string): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(
      `Option '--${name}' must be a number of seconds, got '${text}'`,
      command,
    );
  }
  return value;
}

/** Common `--json` flag: one JSON document per result (docs/scripting.md). */
export const JSON_OPTION: OptionSpec = {
  name: "json",
  type: "boolean",
  description: "Print one JSON document per result, one per line (see docs/scripting.md)",
};

/** Common `--home DIR` flag. */
export const HOME_OPTION: OptionSpec = {
  name: "home",
  type: "string",
  valueName: "DIR",
  description: "Directory holding the identity, trusted peers and audit log",
  defaultText: "$OPENDESK_HOME or ~/.opendesk",
};
