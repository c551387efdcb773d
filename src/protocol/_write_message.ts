/**
 * The entry point of message encoding: one shared {@linkcode MsgpackWriter}
 * (encoding is synchronous, so one per process suffices), error messages that
 * name what was encoded, and the frame size limit.
 *
 * @module
 */

import { CodecError, FrameTooLargeError } from "./errors.ts";
import type { Limits } from "./limits.ts";
import { MsgpackWriter } from "./_msgpack_writer.ts";

let shared: MsgpackWriter | undefined;

/**
 * Runs `write` on the shared writer and returns the bytes, checked against
 * `limits.maxFrameBytes`. Error messages name `label`.
 */
export function writeMessage(
  write: (writer: MsgpackWriter) => void,
  limits: Readonly<Limits>,
  label: string,
): Uint8Array {
  const writer = shared ??= new MsgpackWriter(limits.maxDepth);
  writer.reset(limits.maxDepth);
  let bytes: Uint8Array;
  try {
    write(writer);
    bytes = writer.finish();
  } catch (error) {
    writer.finish();
    if (error instanceof CodecError) {
      throw new CodecError(error.message.replace("Cannot encode frame", `Cannot encode ${label}`));
    }
    if (error instanceof RangeError) {
      throw new CodecError(`Cannot encode ${label}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (bytes.length > limits.maxFrameBytes) {
    throw new FrameTooLargeError(
      `Cannot encode ${label}: ${bytes.length} bytes exceed the limit of ${limits.maxFrameBytes}`,
      bytes.length,
      limits.maxFrameBytes,
    );
  }
  return bytes;
}
