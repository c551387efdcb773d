/**
 * The PUSH handlers of one peer: every handler sees every
 * topic in registration order; their exceptions never reach the session.
 *
 * @module
 */

import type { WireMap } from "./handler.ts";
import type { PushHandler } from "./peer_options.ts";

/** A set of PUSH handlers. */
export class PushHandlers {
  #handlers = new Set<PushHandler>();
  #report: (error: unknown, context: string) => void;

  constructor(report: (error: unknown, context: string) => void) {
    this.#report = report;
  }

  /** Registers `handler`; disposing the result unregisters it. */
  add(handler: PushHandler): Disposable {
    this.#handlers.add(handler);
    return { [Symbol.dispose]: () => void this.#handlers.delete(handler) };
  }

  /** Runs every handler with one PUSH; failures (sync or async) are reported and swallowed. */
  dispatch(topic: string, payload: WireMap): void {
    for (const handler of [...this.#handlers]) {
      try {
        const result = handler(topic, payload);
        if (result instanceof Promise) {
          result.catch((error) => this.#report(error, `PUSH handler for '${topic}'`));
        }
      } catch (error) {
        this.#report(error, `PUSH handler for '${topic}'`);
      }
    }
  }
}
