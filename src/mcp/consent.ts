/**
 * Consent for the local target. The MCP channel occupies stdin/stdout, so
 * there is no console to ask on: `--approve elicit` asks the person through
 * the MCP client (`elicitation/create`) with the same choices as the
 * console (once — the whole tool call —, this session, ten minutes, deny); `auto` allows every
 * action; `observe` allows only observation. Without an explicit mode,
 * `elicit` is chosen when the client declares elicitation, else `observe`.
 *
 * @module
 */

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { ApproveMode, Prompter } from "./_target.ts";

/** The `--approve` values of `opendesk mcp`. */
export type McpApproveMode = "elicit" | "auto" | "observe";

/** The answers offered, in order, and the console letter each stands for. */
const CHOICES: ReadonlyArray<readonly [string, string]> = [
  ["allow once", "y"],
  ["allow for this session", "a"],
  ["allow for 10 minutes", "t"],
  ["deny", "n"],
];

/** The effective mode: the requested one, else `elicit` when the client can, else `observe`. */
export function effectiveApprove(
  requested: McpApproveMode | undefined,
  clientCanElicit: boolean,
): McpApproveMode {
  if (requested === "elicit" && !clientCanElicit) return "observe";
  return requested ?? (clientCanElicit ? "elicit" : "observe");
}

/**
 * The tool call being run on the local target. A tool call is one action
 * for the person (a click is a pointer move, press and release on the
 * wire), so "allow once" covers the rest of the tool call; with elicitation
 * the local target runs one tool call at a time so that "the current call"
 * is well defined.
 */
export class ToolCallScope {
  #tail: Promise<void> = Promise.resolve();
  /** The running call: its description and whether it was allowed once. */
  current: { description: string; allowedOnce: boolean } | null = null;

  /** Runs `work` as the current call, after the calls before it. */
  async run<T>(description: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise((r) => (release = r));
    await previous;
    this.current = { description, allowedOnce: false };
    try {
      return await work();
    } finally {
      this.current = null;
      release();
    }
  }
}

/** A prompter that asks through the MCP client. */
export function elicitationPrompter(server: Server, scope: ToolCallScope): Prompter {
  return {
    interactive: true,
    async ask(question: string, signal: AbortSignal): Promise<string | null> {
      const call = scope.current;
      if (call?.allowedOnce) return "y";
      const step = question.replace(/^\s*\[opendesk\]\s*/, "")
        .replace(/\s*\[y\/a\/t\/N\]\s*$/, "").trim();
      const message = call ? `The agent calls ${call.description}. ${step}` : step;
      try {
        const result = await server.elicitInput({
          message: `opendesk: ${message}`,
          requestedSchema: {
            type: "object",
            properties: {
              answer: {
                type: "string",
                title: "Allow this action on this computer?",
                enum: CHOICES.map((c) => c[0]),
              },
            },
            required: ["answer"],
          },
        }, { signal });
        if (result.action !== "accept") return null;
        const answer = result.content?.answer;
        const letter = CHOICES.find((c) => c[0] === answer)?.[1] ?? null;
        if (letter === "y" && call) call.allowedOnce = true;
        return letter;
      } catch {
        return null;
      }
    },
    notify(): void {
      // The client shows the outcome as the tool result; nothing else to tell.
    },
  };
}

/** The consent-policy mode and prompter for an MCP approve mode. */
export function policyFor(
  mode: McpApproveMode,
  server: Server,
  scope: ToolCallScope,
): { approve: ApproveMode; prompter?: Prompter } {
  if (mode === "elicit") {
    return { approve: "console", prompter: elicitationPrompter(server, scope) };
  }
  return { approve: mode };
}
