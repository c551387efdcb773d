/**
 * Turns a failure into a tool result with `isError: true` whose text says
 * what went wrong and what the model should do next. Protocol-level
 * problems (an unknown tool, arguments that do not match the schema) are
 * answered by the SDK itself.
 *
 * @module
 */

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  ConnectionClosedError,
  RemoteError,
  SessionEvictedError,
  TargetError,
  TimeoutError,
} from "./_target.ts";
import { OutsideImageError } from "./image_space.ts";
import { MissingCapabilityError } from "./tool_def.ts";
import { ToolError } from "./targets.ts";

/** How the error text is worded for the target. */
export interface ErrorContext {
  /** The target's name. */
  readonly target: string;
  /** The local target's approval mode (for the hint on how to allow actions). */
  readonly localApprove?: string | undefined;
}

/** The `isError` result for `error`. */
export function errorResult(error: unknown, context: ErrorContext): CallToolResult {
  return { content: [{ type: "text", text: errorText(error, context) }], isError: true };
}

/** The sentence(s) for `error`. */
export function errorText(error: unknown, context: ErrorContext): string {
  const target = context.target;
  if (error instanceof ToolError || error instanceof MissingCapabilityError) return error.message;
  if (error instanceof OutsideImageError) {
    return `${error.message}. Use coordinates read off the last screenshot, or take a new one`;
  }
  if (error instanceof SessionEvictedError) {
    return `The person at '${target}' ended this session (${error.message}); ` +
      "the next call connects again, which they may have to approve";
  }
  if (error instanceof ConnectionClosedError) {
    return `Lost the connection to '${target}': ${error.message}. opendesk reconnects by itself: ` +
      "call the tool again in a few seconds; if it keeps failing, check that `opendesk serve` " +
      `runs on '${target}'`;
  }
  if (error instanceof TimeoutError) {
    return `'${target}' did not answer in time: ${error.message}. Call the tool again; ` +
      "if it keeps timing out, the machine or the network is overloaded";
  }
  if (error instanceof TargetError) return error.message;
  if (error instanceof RemoteError) return remoteText(error, context);
  if (error instanceof TypeError || error instanceof RangeError) {
    return `Invalid arguments: ${error.message}`;
  }
  return `The call failed on '${target}': ${(error as Error)?.message ?? String(error)}`;
}

function remoteText(error: RemoteError, context: ErrorContext): string {
  const target = context.target;
  switch (error.code) {
    case "permission_denied":
      if (context.localApprove === "observe") {
        return `Denied on this machine: ${error.message}. This MCP server only observes ` +
          "(--approve observe, the default when the client cannot ask the user). To allow " +
          "actions, add `--approve auto` (or `--approve elicit` with a client that supports " +
          "elicitation) to the opendesk server's args in the MCP client's config";
      }
      return `Denied on the controlled machine '${target}': ${error.message}. ` +
        "Do not retry the same action unless the user asks you to";
    case "capability_unsupported":
      return `'${target}' cannot do this: ${error.message}. opendesk_capabilities lists what it can do`;
    case "not_found":
      return `Not found on '${target}': ${error.message}. List again (ui, windows, apps, files) ` +
        "and use a current name, id or ref";
    case "invalid_argument":
      return `Invalid arguments for '${target}': ${error.message}`;
    case "cancelled":
      return "The call was cancelled before it finished";
    case "timeout":
      return `'${target}' timed out: ${error.message}`;
    case "busy":
      return `'${target}' is busy: ${error.message}. Try again shortly`;
    default:
      return `The call failed on '${target}' (${error.code}): ${error.message}`;
  }
}
