/**
 * opendesk: see and operate a computer over the network.
 *
 * This module re-exports each layer's public API; every name here is a
 * deliberate API decision.
 *
 * @module
 */

// Protocol core (src/protocol).
export {
  AbortError,
  type CallOptions,
  CancelledError,
  CapabilityUnsupportedError,
  CodecError,
  type Connection,
  ConnectionClosedError,
  type ConnectionState,
  createLoopbackPair,
  decodeFrame,
  decodeMsgpack,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_LIMITS,
  encodeFrame,
  encodeMsgpack,
  type ErrorInfo,
  Float64,
  float64,
  type Frame,
  FrameTooLargeError,
  type HelloFrame,
  InvalidStateError,
  type Limits,
  Peer,
  type PeerOptions,
  PermissionDeniedError,
  PROTOCOL_VERSION,
  RemoteError,
  type RequestContext,
  type RequestHandler,
  type StreamOptions,
  StreamOverflowError,
  TimeoutError,
  WIRE_ERROR_CODES,
  type WireErrorCode,
  type WireMap,
} from "./src/protocol/mod.ts";
