/**
 * The REPL's clipboard helpers: `copy "TEXT"` puts text on the controlled
 * machine's clipboard, `paste` prints the text there (or says what else the
 * clipboard holds).
 *
 * @module
 */

import type { ParsedLine } from "./repl_args.ts";
import { type ReplCommand, ReplUsageError } from "./repl_context.ts";
import { asText, describeBinary } from "../render/format_result.ts";

/** The MIME type `copy` writes (the one text-reading apps ask for first). */
const TEXT_MIME = "text/plain;charset=utf-8";

function text(line: ParsedLine): string {
  return line.positionals.map((w) => w.text).join(" ");
}

const copy: ReplCommand = {
  name: "copy",
  usage: '"TEXT"',
  summary: "Put text on the controlled machine's clipboard",
  completes: "none",
  async run(ctx, line) {
    const value = text(line);
    if (value.length === 0) throw new ReplUsageError('Missing text: copy "hello world"');
    const data = new TextEncoder().encode(value);
    await ctx.call("clipboard.write", { contents: { entries: [{ mime_type: TEXT_MIME, data }] } });
    ctx.out(`copied ${[...value].length} characters\n`);
  },
};

const paste: ReplCommand = {
  name: "paste",
  usage: "",
  summary: "Print the text on the controlled machine's clipboard",
  completes: "none",
  async run(ctx) {
    const result = await ctx.call("clipboard.read", {});
    const entries = Array.isArray(result?.entries) ? result.entries : [];
    const maps = entries.filter((e): e is Record<string, unknown> =>
      typeof e === "object" && e !== null
    );
    const textEntry =
      maps.find((e) =>
        typeof e.mime_type === "string" && e.mime_type.startsWith("text/plain") &&
        e.data instanceof Uint8Array
      ) ?? maps.find((e) =>
        typeof e.mime_type === "string" && e.mime_type.startsWith("text/") &&
        e.data instanceof Uint8Array
      );
    const decoded = textEntry ? asText(textEntry.data as Uint8Array) : undefined;
    if (decoded !== undefined) {
      ctx.out(decoded.endsWith("\n") || decoded.length === 0 ? decoded : `${decoded}\n`);
      return;
    }
    if (maps.length === 0) {
      ctx.err("the clipboard is empty\n");
      return;
    }
    const kinds = maps.map((e) =>
      `${String(e.mime_type)} (${
        e.data instanceof Uint8Array ? describeBinary(e.data) : "no data"
      })`
    );
    ctx.err(
      `the clipboard holds no text: ${kinds.join(", ")}; ` +
        "use clipboard.read with :raw on to see it\n",
    );
  },
};

/** `copy` and `paste`. */
export const CLIPBOARD_COMMANDS: readonly ReplCommand[] = [copy, paste];
