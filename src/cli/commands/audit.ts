/**
 * `opendesk audit`: prints this machine's audit log (what controllers did),
 * one day at a time, optionally filtered by peer and following new records.
 *
 * @module
 */

import { followAudit, formatAuditRecord, readAudit } from "../../remote/audit_reader.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  integerFlag,
  parseCommandArgs,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";

/** `opendesk audit`. */
export const AUDIT_SPEC: CommandSpec = {
  name: "audit",
  summary: "Show the audit log of this machine: sessions, calls and streams",
  positionals: [],
  options: [
    {
      name: "date",
      type: "string",
      valueName: "YYYY-MM-DD",
      description: "Day to show",
      defaultText: "today",
    },
    {
      name: "peer",
      type: "string",
      valueName: "TEXT",
      description: "Only records whose peer name or fingerprint contains TEXT",
    },
    { name: "limit", type: "string", valueName: "N", description: "Only the last N records" },
    {
      name: "follow",
      type: "boolean",
      short: "f",
      description: "Keep printing new records until Ctrl-C",
    },
    { name: "json", type: "boolean", description: "Print the records as JSON lines" },
    HOME_OPTION,
  ],
  examples: ["audit", "audit --date 2026-01-20 --peer laptop", "audit -f"],
};

/**
 * Runs `opendesk audit`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runAudit(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(AUDIT_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(AUDIT_SPEC));
    return 0;
  }
  const home = resolveHome(parsed, deps);
  const date = stringFlag(parsed, "date");
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new UsageError(`Option '--date' must look like 2026-01-31, got '${date}'`, "audit");
  }
  const follow = booleanFlag(parsed, "follow");
  if (follow && date !== undefined) {
    throw new UsageError("Option '--follow' shows today's records: leave out --date", "audit");
  }
  const peer = stringFlag(parsed, "peer");
  const limit = integerFlag(parsed, "audit", "limit", { min: 0, max: 1_000_000 });
  const json = booleanFlag(parsed, "json");
  const print = (record: Record<string, unknown>): void =>
    deps.stdout.write(`${json ? JSON.stringify(record) : formatAuditRecord(record as never)}\n`);
  const records = await readAudit(home, {
    ...(date !== undefined ? { date } : {}),
    ...(peer !== undefined ? { peer } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  for (const record of records) print(record);
  if (!follow) {
    if (records.length === 0 && !json) {
      deps.stderr.write(
        `No audit records for ${date ?? "today"}${peer ? ` matching '${peer}'` : ""}\n`,
      );
    }
    return 0;
  }
  const stop = new AbortController();
  using _interrupt = deps.onInterrupt(() => stop.abort());
  deps.stderr.write("Following the audit log (Ctrl-C stops)\n");
  for await (
    const record of followAudit(home, {
      signal: stop.signal,
      ...(peer !== undefined ? { peer } : {}),
    })
  ) {
    print(record);
  }
  return 0;
}
