/**
 * Hard limits on what the protocol layer accepts, checked before msgpack
 * decoding allocates anything.
 *
 * @module
 */

/** Size and shape limits applied to every frame and handshake message. */
export interface Limits {
  /**
   * Largest frame (one transport message) in bytes. Larger frames close the session, checked before decoding.
   * The default carries a 256 MiB file in one `fs.read` result or `fs.write` request.
   * @default {268500992} (256 MiB + 64 KiB)
   */
  readonly maxFrameBytes: number;
  /**
   * Longest msgpack str in UTF-8 bytes.
   * @default {16777216} (16 MiB)
   */
  readonly maxStringBytes: number;
  /**
   * Longest msgpack bin in bytes.
   * @default {268500992} (256 MiB + 64 KiB)
   */
  readonly maxBinaryBytes: number;
  /**
   * Most elements in one msgpack array.
   * @default {1000000}
   */
  readonly maxArrayLength: number;
  /**
   * Most entries in one msgpack map.
   * @default {100000}
   */
  readonly maxMapLength: number;
  /**
   * Deepest nesting of maps and arrays; the top-level map is depth 1. An
   * accessibility tree costs two levels per element (the node map and its
   * `children` array), so 128 leaves room for trees about 60 levels deep.
   * @default {128}
   */
  readonly maxDepth: number;
}

/** The limits opendesk uses unless told otherwise. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: 256 * 1024 * 1024 + 64 * 1024,
  maxStringBytes: 16 * 1024 * 1024,
  maxBinaryBytes: 256 * 1024 * 1024 + 64 * 1024,
  maxArrayLength: 1_000_000,
  maxMapLength: 100_000,
  maxDepth: 128,
});

/**
 * Fills the missing fields of `partial` from {@linkcode DEFAULT_LIMITS} and checks every value.
 *
 * @param partial Overrides; may be omitted.
 * @returns A complete, frozen limits object (`DEFAULT_LIMITS` itself when nothing is overridden).
 * @throws {RangeError} when a limit is not a positive integer
 *
 * @example Usage
 * ```ts
 * import { resolveLimits } from "./limits.ts";
 * const limits = resolveLimits({ maxFrameBytes: 1024 * 1024 });
 * console.log(limits.maxDepth); // 128
 * ```
 */
export function resolveLimits(partial?: Partial<Limits>): Readonly<Limits> {
  if (partial === undefined || partial === DEFAULT_LIMITS) return DEFAULT_LIMITS;
  const merged: Limits = { ...DEFAULT_LIMITS, ...partial };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`Invalid limit '${name}': expected a positive integer, got ${value}`);
    }
  }
  return Object.freeze(merged);
}
