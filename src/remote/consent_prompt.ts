/**
 * The words of a console approval prompt: the question (every untrusted
 * string escaped, long values cut with a marker, and what will actually run
 * spelled out on its own lines), the legend that explains `[y/a/t/N]`, and
 * how a typed answer is read.
 *
 * @module
 */

import { escapeForTerminal } from "../protocol/escape_for_terminal.ts";

/** The answers a console prompt accepts; `help` and `unknown` make the prompt ask again. */
export type ConsentAnswer = "once" | "session" | "timed" | "deny" | "help" | "unknown";

/** Longest summary shown on the question line, in characters. */
const SUMMARY_MAX = 300;
/** Longest detail value (a command line, text to type), in characters. */
const DETAIL_MAX = 2_000;

/**
 * Reads a typed answer: `y` once, `a` this session, `t` for the timed
 * period, `n` or an empty line (the default) no, `?` help; end of input is
 * no; anything else is unknown (asked again).
 */
export function parseConsentAnswer(line: string | null): ConsentAnswer {
  if (line === null) return "deny";
  switch (line.trim().toLowerCase()) {
    case "y":
    case "yes":
      return "once";
    case "a":
    case "always":
      return "session";
    case "t":
      return "timed";
    case "":
    case "n":
    case "no":
      return "deny";
    case "?":
    case "h":
    case "help":
      return "help";
    default:
      return "unknown";
  }
}

/** What the prompt needs to know about one call. */
export interface PromptSubject {
  /** Who asks (peer name); untrusted. */
  label: string;
  /** Canonical method name. */
  method: string;
  /** The call's summary; untrusted. */
  summary: string;
  /** The validated params, when known (details of what will run). */
  params?: Readonly<Record<string, unknown>> | undefined;
  /** Why this call is asked although it would otherwise be allowed (a protected path). */
  reason?: string | undefined;
}

/** `10 minutes`, `90 seconds`, `1 hour`. */
export function formatDuration(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (ms % 3_600_000 === 0) return unit(ms / 3_600_000, "hour");
  if (ms % 60_000 === 0) return unit(ms / 60_000, "minute");
  return unit(Math.round(ms / 1000), "second");
}

/** The one-line legend shown on the first prompt and on `?`. */
export function consentLegend(method: string, timedMs: number): string {
  return `[opendesk] answers: y = allow this once · a = allow ${method} for the rest of this ` +
    `session · t = allow ${method} for ${formatDuration(timedMs)} · n or Enter = deny · ` +
    "? = show this";
}

/**
 * The question: `\n[opendesk] LABEL wants to SUMMARY. Allow? [y/a/t/N] ` when
 * the summary says it all, else the summary, then one indented line per
 * detail (the full command line, argv, text), then `Allow? [y/a/t/N] `.
 */
export function consentQuestion(subject: PromptSubject): string {
  const label = escapeForTerminal(subject.label, { maxLength: 80 });
  const summary = escapeForTerminal(subject.summary, { maxLength: SUMMARY_MAX });
  const lines = promptDetails(subject.method, subject.params ?? {}, subject.summary);
  if (subject.reason) lines.unshift(`  why asked: ${subject.reason}`);
  if (lines.length === 0) return `\n[opendesk] ${label} wants to ${summary}. Allow? [y/a/t/N] `;
  return `\n[opendesk] ${label} wants to ${summary}.\n${lines.join("\n")}\nAllow? [y/a/t/N] `;
}

/**
 * The detail lines for calls whose summary does not show everything that
 * will run (a command line or text cut short, argv entries with spaces, the
 * clipboard's text); nothing when the summary already shows it whole.
 */
export function promptDetails(
  method: string,
  params: Readonly<Record<string, unknown>>,
  summary = "",
): string[] {
  const lines: string[] = [];
  const show = (name: string, value: unknown): void => {
    if (typeof value === "string") {
      if (!summary.endsWith(`'${value}'`)) lines.push(`  ${name}: ${quote(value)}`);
    } else if (Array.isArray(value)) {
      const plain = value.every((v) => typeof v === "string" && /^[^\s'"]+$/.test(v));
      if (plain && summary.endsWith(`'${value.join(" ")}'`)) return;
      lines.push(`  ${name}: [${value.map((v) => quote(String(v))).join(", ")}]`);
    }
  };
  const always = (name: string, value: unknown): void => {
    if (typeof value === "string") lines.push(`  ${name}: ${quote(value)}`);
  };
  switch (method) {
    case "process.shell":
      show("command (run by the shell)", params.command);
      if (params.cwd) always("in directory", params.cwd);
      break;
    case "process.exec":
      show("argv", params.argv);
      if (params.cwd) always("in directory", params.cwd);
      break;
    case "input.text": {
      const input = params.text_input as { text?: unknown } | undefined;
      show("text", input?.text);
      break;
    }
    case "ui.action":
    case "ui.perform":
      if (typeof params.text === "string") show("text", params.text);
      break;
    case "clipboard.write": {
      const contents = params.contents as { entries?: { mime_type?: unknown; data?: unknown }[] };
      for (const entry of contents?.entries ?? []) {
        const mime = String(entry.mime_type);
        if (mime.startsWith("text/") && entry.data instanceof Uint8Array) {
          always(`text (${mime})`, new TextDecoder().decode(entry.data));
        }
      }
      break;
    }
  }
  if (params.env && typeof params.env === "object") {
    const names = Object.keys(params.env as Record<string, unknown>);
    if (names.length > 0) lines.push(`  environment: ${names.map(quote).join(", ")}`);
  }
  return lines;
}

function quote(text: string): string {
  return `'${escapeForTerminal(text, { maxLength: DETAIL_MAX })}'`;
}
