/**
 * Short element references for the REPL: `ui.tree` numbers the elements it
 * shows (`@1`, `@2`, … in the order printed), and `click @14`,
 * and `settext @14 "text"` act on the element by the server's
 * ref (the `refs` extension of `ui.tree` / `ui.action`).
 *
 * @module
 */

import type { ParsedLine } from "./repl_args.ts";
import { type ReplCommand, type ReplContext, ReplUsageError } from "./repl_context.ts";

type Element = Record<string, unknown>;

/** One element the last `ui.tree` showed, by its short number. */
export interface UiRef {
  /** The server's ref (`ui.action`'s `ref`). */
  readonly ref: string;
  /** The element as the tree reported it. */
  readonly element: Element;
}

/** The server's ref of an element, if it has one. */
export function serverRef(element: Element): string | undefined {
  const metadata = element.metadata as Record<string, unknown> | undefined;
  const ref = element.ref ?? metadata?.ref;
  return typeof ref === "string" ? ref : undefined;
}

/** Numbers the elements of a tree that carry a ref, in preorder (the order they are printed). */
export function numberRefs(root: Element): Map<number, UiRef> {
  const refs = new Map<number, UiRef>();
  const walk = (element: Element): void => {
    const ref = serverRef(element);
    if (ref !== undefined) refs.set(refs.size + 1, { ref, element });
    const children = Array.isArray(element.children) ? element.children as Element[] : [];
    for (const child of children) walk(child);
  };
  walk(root);
  return refs;
}

/** Whether a word is a short ref (`@14`). */
export function isRefWord(word: string | undefined): boolean {
  return word !== undefined && /^@\d+$/.test(word);
}

/** Finds `@N` among the refs of the last tree. @throws {ReplUsageError} */
export function lookupRef(refs: ReadonlyMap<number, UiRef> | undefined, word: string): UiRef {
  if (!refs || refs.size === 0) {
    throw new ReplUsageError(`No element ${word}: run ui.tree first (it numbers the elements)`);
  }
  const found = refs.get(Number(word.slice(1)));
  if (!found) {
    throw new ReplUsageError(
      `No element ${word} in the last ui.tree (it numbered @1-@${refs.size}): run ui.tree again`,
    );
  }
  return found;
}

const PRESS_ACTIONS = ["click", "press", "activate", "toggle", "jump"];

/** The action that `click @N` performs on an element: the first press-like one it offers. */
export function pressAction(element: Element): string | undefined {
  const actions = Array.isArray(element.actions) ? element.actions.map(String) : [];
  return PRESS_ACTIONS.find((a) => actions.includes(a)) ?? actions[0];
}

/** `click @N`: the element's press action, or a pointer click at its centre when it has none. */
export async function clickRef(ctx: ReplContext, word: string): Promise<void> {
  const { ref, element } = lookupRef(ctx.state.uiRefs, word);
  const action = pressAction(element);
  const label = describeShort(element);
  if (action !== undefined) {
    await ctx.call("ui.action", { ref, action });
    ctx.out(`${action} on ${word} ${label}\n`);
    return;
  }
  const bounds = element.bounds as Record<string, unknown> | undefined;
  const [x, y, w, h] = [bounds?.x, bounds?.y, bounds?.width, bounds?.height].map(Number);
  if (![x, y, w, h].every(Number.isFinite) || w! <= 0 || h! <= 0) {
    throw new ReplUsageError(`${word} ${label} has no action and no position to click`);
  }
  const point = { x: Math.round(x! + w! / 2), y: Math.round(y! + h! / 2) };
  await ctx.call("input.pointer", { event: { action: "move", point } });
  await ctx.call("input.pointer", { event: { action: "down", point, button: "left" } });
  await ctx.call("input.pointer", { event: { action: "up", point, button: "left" } });
  ctx.out(`clicked ${word} ${label} at (${point.x}, ${point.y})\n`);
}

function describeShort(element: Element): string {
  const name = typeof element.name === "string" && element.name
    ? ` ${JSON.stringify(element.name)}`
    : "";
  return `(${String(element.role ?? "element")}${name})`;
}

function refArg(line: ParsedLine, usage: string): string {
  const word = line.positionals[0]?.text;
  if (!isRefWord(word)) throw new ReplUsageError(`Missing element: ${usage}`);
  return word!;
}

const settext: ReplCommand = {
  name: "settext",
  usage: '@N "TEXT"',
  summary: "Set the text of an editable element numbered by ui.tree",
  completes: "none",
  async run(ctx, line) {
    const word = refArg(line, 'settext @14 "new text"');
    const text = line.positionals.slice(1).map((w) => w.text).join(" ");
    const { ref, element } = lookupRef(ctx.state.uiRefs, word);
    await ctx.call("ui.action", { ref, action: "set_text", text });
    ctx.out(`set the text of ${word} ${describeShort(element)}\n`);
  },
};

/** `settext` (`click @N` is part of `click`). */
export const UI_REF_COMMANDS: readonly ReplCommand[] = [settext];
