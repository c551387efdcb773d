/**
 * Minimal assertions for the remote-layer tests (`jsr:@std/assert` cannot be fetched here).
 *
 * @module
 */

import { inspect, isDeepStrictEqual } from "node:util";

/** Thrown by a failed assertion. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/** Fails unless `condition` is truthy. */
export function assert(condition: unknown, message = "Expected a truthy value"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Fails unless `actual` deeply equals `expected`. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  throw new AssertionError(
    `${message ? message + ": " : ""}values differ\n  actual:   ${show(actual)}\n  expected: ${
      show(expected)
    }`,
  );
}

/** Fails if `actual` deeply equals `expected`. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  if (!isDeepStrictEqual(actual, expected)) return;
  throw new AssertionError(`${message ? message + ": " : ""}values are equal: ${show(actual)}`);
}

/** Fails unless `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  if (pattern.test(text)) return;
  throw new AssertionError(
    `${message ? message + ": " : ""}${show(text)} does not match ${pattern}`,
  );
}

/** Fails unless `fn` rejects with an instance of `ErrorClass` whose message includes `includes`. */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  includes?: string,
): Promise<E> {
  let result: unknown;
  try {
    result = await fn();
  } catch (error) {
    if (!(error instanceof ErrorClass)) {
      throw new AssertionError(`Expected ${ErrorClass.name}, received ${show(error)}`);
    }
    if (includes !== undefined && !error.message.includes(includes)) {
      throw new AssertionError(
        `Expected the message to include ${show(includes)}: ${show(error.message)}`,
      );
    }
    return error;
  }
  throw new AssertionError(
    `Expected a rejection with ${ErrorClass.name}, resolved with ${show(result)}`,
  );
}

/** Fails unless `fn` throws an instance of `ErrorClass`. */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ErrorClass)) {
      throw new AssertionError(`Expected ${ErrorClass.name}, received ${show(error)}`);
    }
    if (includes !== undefined && !error.message.includes(includes)) {
      throw new AssertionError(
        `Expected the message to include ${show(includes)}: ${show(error.message)}`,
      );
    }
    return error;
  }
  throw new AssertionError(`Expected ${ErrorClass.name} to be thrown`);
}

function show(value: unknown): string {
  return inspect(value, { depth: 6, breakLength: 120 });
}
