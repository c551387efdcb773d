/**
 * The REPL's short helpers over the wire methods: `click`, `type`, `key`,
 * `screenshot`, `ls`, `cat` and `sh`.
 *
 * @module
 */

import { DisplayCapture } from "../../computer/methods/methods_system.ts";
import { typedResult } from "./typed_result.ts";
import type { ParsedLine } from "./repl_args.ts";
import { numberArg, printCommandResult, type ReplCommand, ReplUsageError } from "./repl_context.ts";
import { parseKeyChord } from "./key_chord.ts";
import { saveCapture } from "./screenshot_output.ts";
import { asText, describeBinary, formatResult } from "../render/format_result.ts";
import { buildCallParams } from "./repl_call_params.ts";
import { clickRef, isRefWord } from "./repl_ui_refs.ts";

const BUTTONS = ["left", "right", "middle", "x1", "x2"];

function words(line: ParsedLine): string[] {
  return line.positionals.map((t) => t.text);
}

const click: ReplCommand = {
  name: "click",
  usage: "X Y [left|right|middle] [--double] | @N",
  summary: "Click at logical coordinates (move, press, release), or an element ui.tree numbered",
  completes: "none",
  async run(ctx, line) {
    const usage = "click X Y [left|right|middle] [--double]";
    const [xs, ys, buttonArg] = words(line);
    if (isRefWord(xs)) {
      if (ys !== undefined) throw new ReplUsageError(`Too many arguments: click ${xs}`);
      await clickRef(ctx, xs!);
      return;
    }
    const x = numberArg(xs, "X", usage);
    const y = numberArg(ys, "Y", usage);
    const button = buttonArg ?? "left";
    if (!BUTTONS.includes(button)) {
      throw new ReplUsageError(`Unknown button '${button}': use ${BUTTONS.join(", ")}`);
    }
    const count = line.flags.double ? 2 : 1;
    const point = { x, y };
    await ctx.call("input.pointer", { event: { action: "move", point } });
    for (let i = 0; i < count; i++) {
      await ctx.call("input.pointer", { event: { action: "down", point, button } });
      await ctx.call("input.pointer", { event: { action: "up", point, button } });
    }
    ctx.out(`clicked ${button}${count > 1 ? " twice" : ""} at (${x}, ${y})\n`);
  },
};

const type: ReplCommand = {
  name: "type",
  usage: '"TEXT"',
  summary: "Type text on the controlled machine",
  completes: "none",
  async run(ctx, line) {
    const text = words(line).join(" ");
    if (text.length === 0) throw new ReplUsageError('Missing text: type "hello world"');
    await ctx.call("input.text", { text_input: { text } });
    ctx.out(`typed ${[...text].length} characters\n`);
  },
};

const key: ReplCommand = {
  name: "key",
  usage: "CHORD...",
  summary: "Press keys or chords, e.g. key ctrl+s, key alt+tab return",
  completes: "key",
  async run(ctx, line) {
    const chords = words(line);
    if (chords.length === 0) throw new ReplUsageError("Missing key: key ctrl+s");
    const parsed = chords.map((c) => {
      try {
        return parseKeyChord(c);
      } catch (error) {
        throw new ReplUsageError((error as Error).message);
      }
    });
    for (const chord of parsed) {
      const pressed: string[] = [];
      try {
        for (const modifier of chord.modifiers) {
          await ctx.call("input.key", { event: { action: "down", keysym: modifier } });
          pressed.push(modifier);
        }
        const event = { keysym: chord.keysym, modifiers: [...chord.modifiers] };
        await ctx.call("input.key", { event: { action: "down", ...event } });
        await ctx.call("input.key", { event: { action: "up", ...event } });
      } finally {
        // Release held modifiers even when the key failed, so none stays stuck.
        for (const modifier of pressed.reverse()) {
          await ctx.session.call("input.key", { event: { action: "up", keysym: modifier } })
            .catch(() => {});
        }
      }
    }
    ctx.out(`pressed ${chords.join(" ")}\n`);
  },
};

const screenshot: ReplCommand = {
  name: "screenshot",
  usage: "[FILE] [display_id=ID] [region.x=… region.y=… region.width=… region.height=…]",
  summary: "Save a screenshot as PNG (and show it inline where the terminal can)",
  completes: "local-path",
  async run(ctx, line) {
    const [file, extra] = words(line);
    if (extra !== undefined) throw new ReplUsageError(`Unexpected argument '${extra}'`);
    const method = ctx.methods.get("display.capture");
    const params = method ? buildCallParams(method, { ...line, positionals: [] }) : {};
    const result = await ctx.call("display.capture", params);
    await saveCapture(ctx, typedResult(DisplayCapture, result), file);
  },
};

const ls: ReplCommand = {
  name: "ls",
  usage: "[PATH]",
  summary: "List a remote directory (default: the home directory)",
  completes: "remote-path",
  async run(ctx, line) {
    const path = words(line)[0] ?? "~";
    const result = await ctx.call("fs.list", { path });
    ctx.out(formatResult("fs.list", result, { width: ctx.deps.stdout.columns }));
  },
};

const cat: ReplCommand = {
  name: "cat",
  usage: "PATH",
  summary: "Print a remote text file",
  completes: "remote-path",
  async run(ctx, line) {
    const path = words(line)[0];
    if (!path) throw new ReplUsageError("Missing path: cat PATH");
    const result = await ctx.call("fs.read", { path });
    const data = result?.data;
    if (!(data instanceof Uint8Array)) throw new ReplUsageError("fs.read returned no data");
    const text = asText(data);
    if (text === undefined) {
      ctx.out(`${path}: ${describeBinary(data)}; use get ${path} LOCAL to save it\n`);
      return;
    }
    ctx.out(text.endsWith("\n") || text.length === 0 ? text : `${text}\n`);
  },
};

const sh: ReplCommand = {
  name: "sh",
  usage: "COMMAND...",
  summary: "Run a shell command remotely and print its output and exit code",
  completes: "none",
  async run(ctx) {
    // The rest of the line goes to the shell as typed, quotes included.
    const command = ctx.rawArgs;
    if (command.trim().length === 0) throw new ReplUsageError("Missing command: sh ls -l");
    const result = await ctx.call("process.shell", { command });
    if (result === null) throw new ReplUsageError("process.shell returned no result");
    printCommandResult(ctx, result);
  },
};

/** The helper commands, by name. */
export const HELPER_COMMANDS: readonly ReplCommand[] = [click, type, key, screenshot, ls, cat, sh];
