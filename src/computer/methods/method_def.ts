/**
 * The shape of one wire method's definition, shared by the server's
 * dispatcher, the client's `RemoteComputer` and the REPL's help and
 * completion: each method is defined once (see `methods.ts`).
 *
 * @module
 */

import type { z } from "zod";
import type { WireMap } from "../../protocol/handler.ts";
import type { CallOptions, Computer } from "../computer.ts";
import type { Capability } from "../types/capability.ts";

/**
 * How a method is classified: `observation` (one-shot query, allowed without
 * prompting by the console policy), `action` (one-shot change, gated), or
 * `stream` (a subscription; the policy runs once at its start).
 */
export type MethodKind = "observation" | "action" | "stream";

/** One parameter, documented for `:help` and completion. */
export interface ParamDoc {
  /** Wire name. */
  readonly name: string;
  /** Type in the catalogue's notation (`str`, `float?`, `Rect?`, `[str]`, …). */
  readonly type: string;
  /** Default in wire terms (`nil`, `true`, `30`); absent = required. */
  readonly default?: string;
  /** One-line description. */
  readonly doc: string;
  /** An opendesk extension that a reference peer does not know. */
  readonly extension?: boolean;
}

/** What every method definition has. */
interface MethodDefBase<P> {
  /** Canonical wire name (the one opendesk clients send). */
  readonly name: string;
  /** Other accepted names (`ui.perform` for `ui.action`, `system.lock` for `power.lock`). */
  readonly aliases: readonly string[];
  /** Policy class. */
  readonly kind: MethodKind;
  /** True for observation methods, which read and change nothing (includes both streams). */
  readonly observation: boolean;
  /** Capability that gates the method; null = always available. */
  readonly capability: Capability | null;
  /** A client may replay it once after a reconnect. */
  readonly idempotent: boolean;
  /** Params schema: validates, applies defaults, ignores unknown keys. */
  readonly params: z.ZodType<P, z.ZodTypeDef, unknown>;
  /** Parameter documentation, in wire order. */
  readonly paramDocs: readonly ParamDoc[];
  /** One-line help. */
  readonly help: string;
  /** Result in the catalogue's notation (`Pixmap`, `{items: [Display]}`, `nil`). */
  readonly resultDoc: string;
  /** The one-line summary shown in approval prompts and the audit log. */
  summary(params: P): string;
  /** Builds REQ params in the reference's order (extensions only when set). */
  encodeParams(params: P): WireMap;
}

/** A unary method. */
export interface UnaryMethodDef<P, R> extends MethodDefBase<P> {
  readonly stream: false;
  /** Runs the method on a backend. */
  invoke(computer: Computer, params: P, options: CallOptions): Promise<R>;
  /** Encodes the result for the RES (`null` = no result). */
  encodeResult(result: R, params: P): WireMap | null;
  /** Decodes a received result. @throws {z.ZodError} when it does not match */
  decodeResult(result: WireMap | null): R;
}

/** A streaming method. */
export interface StreamMethodDef<P, I> extends MethodDefBase<P> {
  readonly stream: true;
  /** Opens the stream on a backend. */
  open(computer: Computer, params: P, options: CallOptions): AsyncIterable<I>;
  /** Encodes one item for a RES data frame. */
  encodeItem(item: I, params: P): WireMap;
  /** Decodes a received item. @throws {z.ZodError} when it does not match */
  decodeItem(item: WireMap): I;
}

/** Any method definition (the table's element type). */
// deno-lint-ignore no-explicit-any
export type AnyMethodDef = UnaryMethodDef<any, any> | StreamMethodDef<any, any>;

/** Defines a unary method (identity; keeps the types inferred). */
export function defineUnary<P, R>(
  def: Omit<UnaryMethodDef<P, R>, "stream" | "aliases"> & { aliases?: readonly string[] },
): UnaryMethodDef<P, R> {
  return { aliases: [], ...def, stream: false };
}

/** Defines a streaming method (identity; keeps the types inferred). */
export function defineStream<P, I>(
  def: Omit<StreamMethodDef<P, I>, "stream" | "aliases" | "kind"> & {
    aliases?: readonly string[];
  },
): StreamMethodDef<P, I> {
  return { aliases: [], ...def, kind: "stream", stream: true };
}
