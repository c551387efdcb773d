/**
 * Consent for the local target. The MCP channel occupies stdin/stdout, so
 * there is no console to ask on: `--approve elicit` asks the person through
 * the MCP client (`elicitation/create`) with the same choices as the
 * console (once, this session, ten minutes, deny); `auto` allows every
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

/** A prompter that asks through the MCP client. */
export function elicitationPrompter(server: Server): Prompter {
  return {
    interactive: true,
    async ask(question: string, signal: AbortSignal): Promise<string | null> {
      const message = question.replace(/^\s*\[opendesk\]\s*/, "").replace(
        /\s*\[y\/a\/t\/N\]\s*$/,
        "",
      )
        .trim();
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
        return CHOICES.find((c) => c[0] === answer)?.[1] ?? null;
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
): { approve: ApproveMode; prompter?: Prompter } {
  if (mode === "elicit") return { approve: "console", prompter: elicitationPrompter(server) };
  return { approve: mode };
}
