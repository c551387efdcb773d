/**
 * Error classes of the protocol layer.
 *
 * Two families: local errors never cross the wire (`ConnectionClosedError`,
 * `TimeoutError`, `CodecError`, …) and carry a stable string `code` from
 * {@linkcode LocalErrorCode}; wire errors are {@linkcode RemoteError}s whose
 * `code` is one of the closed set of protocol error codes
 * ({@linkcode WIRE_ERROR_CODES}).
 *
 * @module
 */

/** The closed set of error codes that may appear in an ErrorInfo on the wire (docs/protocol.md, "Error codes"). */
export const WIRE_ERROR_CODES = [
  "capability_unsupported",
  "permission_denied",
  "invalid_argument",
  "not_found",
  "timeout",
  "cancelled",
  "internal",
  "protocol",
  "busy",
] as const;

/** One wire error code. */
export type WireErrorCode = typeof WIRE_ERROR_CODES[number];

/** Returns true when `code` is one of the wire error codes. */
export function isWireErrorCode(code: unknown): code is WireErrorCode {
  return typeof code === "string" && (WIRE_ERROR_CODES as readonly string[]).includes(code);
}

/** Stable codes of local (never sent) errors. */
export const LocalErrorCode = {
  CONNECTION_CLOSED: "CONNECTION_CLOSED",
  TIMEOUT: "TIMEOUT",
  CODEC: "CODEC",
  INVALID_STATE: "INVALID_STATE",
  HANDSHAKE: "HANDSHAKE",
  NATIVE: "NATIVE",
  ABORTED: "ABORTED",
  STREAM_OVERFLOW: "STREAM_OVERFLOW",
} as const;

/** One local error code. */
export type LocalErrorCode = typeof LocalErrorCode[keyof typeof LocalErrorCode];

/** The connection (or the peer on top of it) is closed; pending work fails with this. */
export class ConnectionClosedError extends Error {
  readonly code: LocalErrorCode = LocalErrorCode.CONNECTION_CLOSED;
  constructor(message = "Connection closed", options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectionClosedError";
  }
}

/** A local deadline expired (a call, a handshake step, the HELLO exchange). */
export class TimeoutError extends Error {
  readonly code: LocalErrorCode = LocalErrorCode.TIMEOUT;
  constructor(message = "Operation timed out", options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/** Bytes that cannot be decoded as a frame, or a value that cannot be encoded. */
export class CodecError extends Error {
  readonly code: LocalErrorCode = LocalErrorCode.CODEC;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CodecError";
  }
}

/** A message is larger than the frame limit (`Limits.maxFrameBytes`). */
export class FrameTooLargeError extends CodecError {
  /** The message's size in bytes. */
  readonly size: number;
  /** The limit in bytes. */
  readonly limit: number;
  constructor(message: string, size: number, limit: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "FrameTooLargeError";
    this.size = size;
    this.limit = limit;
  }
}

/** An object was used in a state that does not allow the operation. */
export class InvalidStateError extends Error {
  readonly code: LocalErrorCode = LocalErrorCode.INVALID_STATE;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidStateError";
  }
}

/** The caller aborted an operation through its `AbortSignal`. */
export class AbortError extends Error {
  readonly code: LocalErrorCode = LocalErrorCode.ABORTED;
  constructor(message = "Operation aborted", options?: ErrorOptions) {
    super(message, options);
    this.name = "AbortError";
  }
}

/**
 * A stream's consumer fell behind by more than the stream's buffer; only that
 * stream fails (and is cancelled), the session goes on.
 */
export class StreamOverflowError extends Error {
  readonly code: LocalErrorCode = LocalErrorCode.STREAM_OVERFLOW;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StreamOverflowError";
  }
}

/** Shape of an ErrorInfo on the wire. */
export interface ErrorInfoLike {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * An error that crossed (or will cross) the wire as an ErrorInfo.
 *
 * Handlers throw it to answer with a specific code; clients receive it from
 * {@linkcode RemoteError.fromWire}, which rebuilds the most specific subclass.
 */
export class RemoteError extends Error {
  readonly code: WireErrorCode;
  readonly details: Record<string, unknown>;
  constructor(
    code: WireErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "RemoteError";
    this.code = code;
    this.details = details;
  }

  /** Rebuilds the right subclass from a received ErrorInfo. Unknown codes become `internal`. */
  static fromWire(info: ErrorInfoLike): RemoteError {
    const code: WireErrorCode = isWireErrorCode(info.code) ? info.code : "internal";
    const details = info.details ?? {};
    switch (code) {
      case "permission_denied":
        return new PermissionDeniedError(info.message, details);
      case "capability_unsupported":
        return new CapabilityUnsupportedError(
          typeof details.capability === "string" ? details.capability : "display.capture",
          typeof details.backend === "string" ? details.backend : "",
          info.message,
          details,
        );
      case "cancelled":
        return new CancelledError(info.message || "cancelled", details);
      default:
        return new RemoteError(code, info.message, details);
    }
  }

  /** The ErrorInfo for this error, keys in wire order. */
  toWire(): ErrorInfoLike {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** The server's policy refused the call (`permission_denied`). */
export class PermissionDeniedError extends RemoteError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("permission_denied", message, details);
    this.name = "PermissionDeniedError";
  }
}

/** The backend cannot do this (`capability_unsupported`). */
export class CapabilityUnsupportedError extends RemoteError {
  readonly capability: string;
  readonly backend: string;
  constructor(
    capability: string,
    backend: string,
    message?: string,
    details: Record<string, unknown> = {},
  ) {
    super(
      "capability_unsupported",
      message ?? `Capability '${capability}' is not supported by backend '${backend}'`,
      { capability, backend, ...details },
    );
    this.name = "CapabilityUnsupportedError";
    this.capability = capability;
    this.backend = backend;
  }
}

/** The remote handler was cancelled (`cancelled`). */
export class CancelledError extends RemoteError {
  constructor(message = "cancelled", details: Record<string, unknown> = {}) {
    super("cancelled", message, details);
    this.name = "CancelledError";
  }
}
