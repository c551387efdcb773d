/**
 * The protocol core: frames, the msgpack codec with hard limits, the
 * `Connection` contract with an in-memory loopback pair, and `Peer`, one
 * protocol session (docs/protocol.md, "Frames" to "Codec limits").
 *
 * @example Usage
 * ```ts
 * import { createLoopbackPair, Peer } from "./mod.ts";
 * const [a, b] = createLoopbackPair();
 * const client = new Peer(a, { role: "client" });
 * const server = new Peer(b, {
 *   role: "server",
 *   handler: { call: () => Promise.resolve({ ok: true }), stream: async function* () {} },
 * });
 * await Promise.all([client.hello(), server.hello()]);
 * client.start();
 * server.start();
 * console.log(await client.call("system.capabilities")); // { ok: true }
 * client.close();
 * ```
 *
 * @module
 */

export { type Connection, type ConnectionState } from "./connection.ts";
export {
  CANCEL_REASON,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_DROP_OLDEST_QUEUE_SIZE,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STREAM_QUEUE_SIZE,
} from "./constants.ts";
export {
  decodeMsgpack,
  type DecodeMsgpackOptions,
  encodeMsgpack,
  type EncodeMsgpackOptions,
} from "./codec.ts";
export {
  AbortError,
  CancelledError,
  CapabilityUnsupportedError,
  CodecError,
  ConnectionClosedError,
  type ErrorInfoLike,
  FrameTooLargeError,
  InvalidStateError,
  isWireErrorCode,
  LocalErrorCode,
  PermissionDeniedError,
  RemoteError,
  StreamOverflowError,
  TimeoutError,
  WIRE_ERROR_CODES,
  type WireErrorCode,
} from "./errors.ts";
export { allocBytes, copyBytes } from "./byte_slab.ts";
export { Float64, float64, toNumber } from "./float64.ts";
export { allocateFramePayload } from "./frame_payload.ts";
export {
  type CancelFrame,
  CancelFrameSchema,
  type ErrorInfo,
  ErrorInfoSchema,
  type Frame,
  FRAME_TYPES,
  FrameSchema,
  type FrameType,
  type HelloFrame,
  HelloFrameSchema,
  isWireMap,
  PROTOCOL_VERSION,
  type PushFrame,
  PushFrameSchema,
  type ReqFrame,
  ReqFrameSchema,
  type ResFrame,
  ResFrameSchema,
  WireMapSchema,
} from "./frame.ts";
export {
  type CancelInit,
  decodeFrame,
  type DecodeFrameOptions,
  encodeCancel,
  encodeFrame,
  type EncodeFrameOptions,
  encodeHello,
  encodePush,
  encodeReq,
  encodeRes,
  type ErrorInfoInit,
  type HelloInit,
  type PushInit,
  type ReqInit,
  type ResInit,
} from "./frame_codec.ts";
export { type RequestContext, type RequestHandler, type WireMap } from "./handler.ts";
export {
  DEFAULT_ESCAPE_MAX_LENGTH,
  escapeForTerminal,
  type EscapeForTerminalOptions,
} from "./escape_for_terminal.ts";
export { DEFAULT_LIMITS, type Limits, resolveLimits } from "./limits.ts";
export { createLoopbackPair } from "./loopback.ts";
export { Peer } from "./peer.ts";
export {
  type CallOptions,
  type HelloOptions,
  type PeerOptions,
  type PeerStream,
  type PushHandler,
  type ReceiveHelloOptions,
  type SendHelloOptions,
  type StreamOptions,
  type StreamOverflow,
} from "./peer_options.ts";
