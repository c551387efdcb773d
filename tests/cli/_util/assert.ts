/** Minimal assertions for the CLI tests (no jsr: imports available). */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  deepStrictEqual(actual, expected, message);
}

export function assertStrictEquals<T>(actual: T, expected: T, message?: string): void {
  strictEqual(actual, expected, message);
}

export function assert(condition: unknown, message?: string): asserts condition {
  ok(condition, message);
}

export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(text)) {
    throw new Error(message ?? `Expected text to match ${pattern}:\n${text}`);
  }
}

export function assertNotMatch(text: string, pattern: RegExp, message?: string): void {
  if (pattern.test(text)) {
    throw new Error(message ?? `Expected text not to match ${pattern}:\n${text}`);
  }
}

export function assertThrows(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  errorClass?: new (...args: any[]) => Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (error) {
    if (errorClass && !(error instanceof errorClass)) {
      throw new Error(`Expected ${errorClass.name}, got ${String(error)}`);
    }
    if (includes && !(error as Error).message.includes(includes)) {
      throw new Error(
        `Expected message to include '${includes}', got '${(error as Error).message}'`,
      );
    }
    return error as Error;
  }
  throw new Error("Expected function to throw");
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  errorClass?: new (...args: any[]) => Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (errorClass && !(error instanceof errorClass)) {
      throw new Error(`Expected ${errorClass.name}, got ${String(error)}`);
    }
    if (includes && !(error as Error).message.includes(includes)) {
      throw new Error(
        `Expected message to include '${includes}', got '${(error as Error).message}'`,
      );
    }
    return error as Error;
  }
  throw new Error("Expected promise to reject");
}
