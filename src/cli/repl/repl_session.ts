/**
 * What the REPL needs from a connection to a controlled machine. The remote
 * layer's client session is adapted to it in `connect.ts`; keeping the REPL
 * on this small interface lets it run over any transport.
 *
 * @module
 */

/** A params or result map. */
export type ReplMap = Record<string, unknown>;

/** Options of one call. */
export interface ReplCallOptions {
  /** Cancels the call (Ctrl-C). */
  signal?: AbortSignal;
  /** Deadline in milliseconds. */
  timeoutMs?: number;
}

/** A live connection as the REPL uses it. */
export interface ReplSession {
  /** Name of the controlled machine for the prompt and messages. */
  readonly label: string;
  /** The capability manifest from the server's HELLO. */
  readonly manifest: ReplMap;
  /** Calls a unary method; resolves with its result map (or null). */
  call(method: string, params: ReplMap, options?: ReplCallOptions): Promise<ReplMap | null>;
  /** Opens a stream; leaving the loop or aborting the signal cancels it on the server. */
  stream(method: string, params: ReplMap, options?: ReplCallOptions): AsyncIterable<ReplMap>;
  /** Registers a handler for server pushes (`session.evicted`, …). */
  onPush(handler: (topic: string, payload: ReplMap) => void): Disposable;
  /** Settles with a sentence saying why the connection ended, once it has ended for good. */
  readonly closed: Promise<string>;
  /** Closes the connection. */
  close(): Promise<void>;
}
