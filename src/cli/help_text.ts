/**
 * Renders `--help` texts from {@linkcode CommandSpec}s, and the overview of
 * all commands shown by `opendesk help`.
 *
 * @module
 */

import type { CommandSpec, OptionSpec } from "./command_spec.ts";

/** Width the help text is wrapped to. */
const WIDTH = 88;

/** The generated usage line(s) of a command. */
export function usageLines(spec: CommandSpec): string[] {
  if (spec.usage && spec.usage.length > 0) {
    return spec.usage.map((form) => `opendesk ${spec.name}${form ? ` ${form}` : ""}`);
  }
  const parts = [`opendesk ${spec.name}`];
  for (const positional of spec.positionals) {
    const name = positional.variadic ? `${positional.name}...` : positional.name;
    parts.push(positional.optional ? `[${name}]` : name);
  }
  if (spec.options.length > 0) parts.push("[options]");
  return [parts.join(" ")];
}

function optionLabel(option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : "    ";
  const value = option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : "";
  return `${short}--${option.name}${value}`;
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      if (line.length > 0 && line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else {
        line = line.length > 0 ? `${line} ${word}` : word;
      }
    }
    lines.push(indent + line);
  }
  return lines;
}

function twoColumns(rows: Array<[string, string]>, fixedLeft?: number): string[] {
  const left = fixedLeft ?? Math.min(30, Math.max(...rows.map(([label]) => label.length)) + 2);
  const out: string[] = [];
  for (const [label, text] of rows) {
    const body = wrap(text, WIDTH - left - 2, "");
    const first = body.shift() ?? "";
    if (label.length + 2 > left) {
      out.push(`  ${label}`);
      out.push(`  ${" ".repeat(left)}${first}`);
    } else {
      out.push(`  ${label.padEnd(left)}${first}`);
    }
    for (const more of body) out.push(`  ${" ".repeat(left)}${more}`);
  }
  return out;
}

/**
 * Renders the `--help` text of one command.
 *
 * @param spec The command's description.
 * @returns The text, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { renderHelp } from "./help_text.ts";
 * console.log(renderHelp({ name: "version", summary: "Print the version", positionals: [], options: [] }));
 * ```
 */
export function renderHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  const usage = usageLines(spec);
  lines.push(`Usage: ${usage[0]}`);
  for (const more of usage.slice(1)) lines.push(`       ${more}`);
  lines.push("");
  lines.push(...wrap(spec.summary, WIDTH, ""));
  if (spec.description) {
    lines.push("");
    lines.push(...wrap(spec.description, WIDTH, ""));
  }
  if (spec.positionals.length > 0) {
    lines.push("", "Arguments:");
    lines.push(...twoColumns(spec.positionals.map((p) => [p.name, p.description])));
  }
  const options: Array<[string, string]> = spec.options.map((option) => [
    optionLabel(option),
    option.defaultText
      ? `${option.description} (default: ${option.defaultText})`
      : option.description,
  ]);
  options.push(["-h, --help", "Show this help"]);
  lines.push("", "Options:");
  lines.push(...twoColumns(options));
  if (spec.examples && spec.examples.length > 0) {
    lines.push("", "Examples:");
    for (const example of spec.examples) lines.push(`  opendesk ${example}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Renders the overview of every command (`opendesk help`).
 *
 * @param groups Titled groups of commands.
 * @param version The program version.
 * @returns The text, ending with a newline.
 */
export function renderOverview(
  groups: ReadonlyArray<{ title: string; commands: readonly CommandSpec[] }>,
  version: string,
): string {
  const lines = [
    `opendesk ${version}: see and operate a computer over the network, securely`,
    "",
    "Usage: opendesk COMMAND [options]",
  ];
  const left = Math.max(...groups.flatMap((g) => g.commands.map((c) => c.name.length))) + 2;
  for (const group of groups) {
    lines.push("", `${group.title}:`);
    lines.push(...twoColumns(group.commands.map((c) => [c.name, c.summary]), left));
  }
  lines.push(
    "",
    "Run `opendesk COMMAND --help` for the options of a command.",
    "Environment: OPENDESK_HOME (instead of --home), OPENDESK_IMAGES=kitty|iterm|sixel|none",
  );
  return lines.join("\n") + "\n";
}
