/**
 * The shape of one MCP tool of opendesk and the call context its handler
 * gets: the target's computer, the session state (the last screenshot's
 * image space), cancellation and progress.
 *
 * @module
 */

import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { CapabilityManifest, Computer } from "./_target.ts";
import type { ImageSpace } from "./image_space.ts";

/** What a handler gets for one call. */
export interface ToolCall {
  /** The target's computer. */
  readonly computer: Computer;
  /** The target's manifest. */
  readonly manifest: CapabilityManifest;
  /** The target's name (`local` or a peer name). */
  readonly target: string;
  /** Aborted when the client cancels the call. */
  readonly signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** The image space of the target's last screenshot, or null. */
  lastImage(): ImageSpace | null;
  /** Remembers the image space of a screenshot just taken. */
  setLastImage(space: ImageSpace): void;
}

/** One opendesk tool. */
export interface OpendeskTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Input parameters (the JSON Schema of `tools/list` is generated from these). */
  readonly input: z.ZodRawShape;
  /** Output schema of `structuredContent`, for tools that return data. */
  readonly output?: z.ZodRawShape;
  readonly annotations: ToolAnnotations;
  /**
   * The capabilities the tool needs; it is listed when the target has at
   * least one of them (each action checks its own), always when empty.
   */
  readonly capabilities: readonly string[];
  /** Runs one call (arguments already validated, `peer` removed). */
  run(args: Record<string, unknown>, call: ToolCall): Promise<CallToolResult>;
}

/** A text result. */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }] };
}

/** A data result: the JSON as text (for clients without structured content) and as structure. */
export function dataResult(
  summary: string,
  data: Record<string, unknown>,
): CallToolResult {
  return {
    content: [{ type: "text", text: `${summary}\n${JSON.stringify(data)}` }],
    structuredContent: data,
  };
}

/** A result stated in words, with the same facts as structure (no JSON in the text). */
export function structuredResult(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/** Fails when the target lacks every one of `capabilities`, naming them. */
export function requireCapability(
  call: ToolCall,
  capability: string,
  what: string,
): void {
  if (call.manifest.capabilities.includes(capability as never)) return;
  throw new MissingCapabilityError(capability, call.target, call.manifest.backend, what);
}

/** The target lacks a capability a tool action needs. */
export class MissingCapabilityError extends Error {
  readonly capability: string;
  constructor(capability: string, target: string, backend: string, what: string) {
    super(
      `'${target}' cannot ${what}: its backend '${backend}' does not have the capability ` +
        `'${capability}'. opendesk_capabilities lists what it can do; use another tool or target`,
    );
    this.name = "MissingCapabilityError";
    this.capability = capability;
  }
}
