/**
 * The REPL's `:` commands: `:help [NAME]`, `:caps`, `:timing`, `:raw`,
 * `:quit`.
 *
 * @module
 */

import { type FieldInfo, objectFields } from "./param_schema.ts";
import type { ReplMethod } from "./repl_call_params.ts";
import type { ReplCommand, ReplContext } from "./repl_context.ts";
import { ReplUsageError } from "./repl_context.ts";
import { formatManifest, formatRaw } from "../render/format_result.ts";
import { formatDuration, renderTable } from "../render/text_layout.ts";
import { KEY_HELP } from "./key_help.ts";

function fieldLines(fields: readonly FieldInfo[], indent: string): string[] {
  const lines: string[] = [];
  for (const field of fields) {
    const extra = field.required
      ? "required"
      : field.defaultValue !== undefined
      ? `default ${JSON.stringify(field.defaultValue)}`
      : "optional";
    lines.push(
      `${indent}${field.name}: ${field.type} (${extra})` +
        (field.description ? ` ${field.description}` : ""),
    );
    if (field.children.length > 0 && indent.length < 8) {
      lines.push(...fieldLines(field.children, indent + "  "));
    }
  }
  return lines;
}

/** Renders `:help METHOD`. */
export function methodHelp(method: ReplMethod): string {
  const lines = [`${method.name} (${method.kind})${method.alias ? `, also ${method.alias}` : ""}`];
  lines.push(`  ${method.summary}`);
  const fields = objectFields(method.params);
  if (fields.length === 0) lines.push("  no parameters");
  else {
    lines.push("parameters:");
    const docs = new Map((method.paramDocs ?? []).map((d) => [d.name, d]));
    for (const field of fields) {
      const doc = docs.get(field.name);
      const extra = field.required
        ? "required"
        : field.defaultValue !== undefined
        ? `default ${JSON.stringify(field.defaultValue)}`
        : "optional";
      lines.push(
        `  ${field.name}: ${field.type} (${extra})${doc ? ` ${doc.doc}` : ""}` +
          (doc?.extension ? " [extension]" : ""),
      );
      if (field.children.length > 0) lines.push(...fieldLines(field.children, "    "));
    }
  }
  lines.push("syntax: name=value, dotted names for nested maps (point.x=10), quotes for text,");
  lines.push("        or one JSON object; words without '=' fill the parameters in order");
  if (method.kind === "stream") {
    lines.push("stream flags: --frames N, --seconds S, --out DIR; Ctrl-C stops");
  }
  if (method.name === "display.capture") {
    lines.push("flags: --out FILE (default screenshot-<time>.png)");
  }
  return lines.join("\n") + "\n";
}

function overview(ctx: ReplContext, commands: readonly ReplCommand[]): string {
  const lines = ["commands:"];
  for (const command of commands) {
    lines.push(`  ${`${command.name} ${command.usage}`.trim().padEnd(34)} ${command.summary}`);
  }
  lines.push("", "methods (type a name and its params; :help NAME for details):");
  const seen = new Set<string>();
  for (const method of ctx.methods.values()) {
    if (seen.has(method.name)) continue;
    seen.add(method.name);
    const alias = method.alias ? ` (also ${method.alias})` : "";
    lines.push(`  ${method.name.padEnd(24)} ${method.summary}${alias}`);
  }
  return lines.join("\n") + "\n";
}

function timingTable(ctx: ReplContext): string {
  if (ctx.state.timings.size === 0) return "no calls timed yet\n";
  const rows = [...ctx.state.timings.entries()].map(([method, samples]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const p50 = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return [
      method,
      String(sorted.length),
      formatDuration(p50),
      formatDuration(mean),
      formatDuration(sorted[sorted.length - 1]!),
    ];
  });
  return renderTable(
    [{ header: "METHOD" }, { header: "CALLS", right: true }, { header: "P50", right: true }, {
      header: "MEAN",
      right: true,
    }, { header: "MAX", right: true }],
    rows,
    ctx.deps.stdout.columns,
  );
}

function onOff(value: string | undefined, name: string): boolean {
  if (value === "on") return true;
  if (value === "off") return false;
  throw new ReplUsageError(`${name} takes on, off or nothing, got '${value}'`);
}

/** Builds the `:` commands; `:help` lists `allCommands`. */
export function metaCommands(allCommands: () => readonly ReplCommand[]): ReplCommand[] {
  return [
    {
      name: ":help",
      usage: "[NAME]",
      summary: "This list, the parameters of a method, or the key names (:help keys)",
      completes: "method",
      run(ctx, line) {
        const name = line.positionals[0]?.text;
        if (!name) {
          ctx.out(overview(ctx, allCommands()));
          return Promise.resolve();
        }
        if (name === "keys") {
          ctx.out(KEY_HELP);
          return Promise.resolve();
        }
        const method = ctx.methods.get(name);
        if (method) {
          ctx.out(methodHelp(method));
          return Promise.resolve();
        }
        const command = allCommands().find((c) => c.name === name || c.name === `:${name}`);
        if (!command) {
          throw new ReplUsageError(`No method or command '${name}': type :help for the list`);
        }
        ctx.out(`${command.name} ${command.usage}\n  ${command.summary}\n`);
        return Promise.resolve();
      },
    },
    {
      name: ":caps",
      usage: "",
      summary: "What the controlled machine can do (its capability manifest), and why the " +
        "rest is absent",
      completes: "none",
      async run(ctx) {
        // Ask for the reasons (an opt-in extension); a server that cannot say keeps the HELLO's.
        const fresh = await ctx.session.call("system.capabilities", { absent: true })
          .catch(() => null);
        ctx.out(formatManifest(fresh ?? ctx.session.manifest));
      },
    },
    {
      name: ":timing",
      usage: "[on|off|reset]",
      summary: "Per-call latency: a table, or print it after every call",
      completes: "none",
      run(ctx, line) {
        const arg = line.positionals[0]?.text;
        if (arg === undefined) ctx.out(timingTable(ctx));
        else if (arg === "reset") {
          ctx.state.timings.clear();
          ctx.out("timings cleared\n");
        } else {
          ctx.state.timing = onOff(arg, ":timing");
          ctx.out(`timing ${ctx.state.timing ? "on" : "off"}\n`);
        }
        return Promise.resolve();
      },
    },
    {
      name: ":raw",
      usage: "[on|off|last]",
      summary: "Toggle exact (JSON) results, or show the last result exactly",
      completes: "none",
      run(ctx, line) {
        const arg = line.positionals[0]?.text;
        if (arg === "last") {
          ctx.out(formatRaw(ctx.state.lastResult, true));
          return Promise.resolve();
        }
        ctx.state.raw = arg === undefined ? !ctx.state.raw : onOff(arg, ":raw");
        ctx.out(`raw ${ctx.state.raw ? "on" : "off"}\n`);
        return Promise.resolve();
      },
    },
    {
      name: ":clear",
      usage: "",
      summary: "Clear the screen (also clear, Ctrl-L)",
      completes: "none",
      run(ctx) {
        if (ctx.deps.stdout.isTTY) ctx.out("\x1b[H\x1b[2J\x1b[3J");
        return Promise.resolve();
      },
    },
    {
      name: ":quit",
      usage: "",
      summary: "Leave the REPL (also Ctrl-D)",
      completes: "none",
      run(ctx) {
        ctx.state.quit = true;
        return Promise.resolve();
      },
    },
  ];
}
