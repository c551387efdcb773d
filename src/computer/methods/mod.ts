/**
 * The method table: every wire method defined once (params schema, wire
 * encoding, result decoding, capability, policy class, help), and the
 * server-side `Dispatcher` that runs it on a `Computer`.
 *
 * @module
 */

export type {
  AnyMethodDef,
  MethodKind,
  ParamDoc,
  StreamMethodDef,
  UnaryMethodDef,
} from "./method_def.ts";
export {
  findMethod,
  isIdempotentMethod,
  isObservationMethod,
  methodNames,
  METHODS,
} from "./methods.ts";
export {
  type CallRecord,
  Dispatcher,
  type DispatcherOptions,
  type PolicyRequest,
} from "./dispatcher.ts";
export {
  type CaptureParams,
  type CaptureParamsInit,
  type ExecOptions,
  FOCUS_ACTION,
  type MkdirOptions,
  type ReadFileRange,
  SET_TEXT_ACTION,
  type ShellOptions,
  type SubscribeDisplayParams,
  type SubscribeDisplayParamsInit,
  type UiActionParams,
  type UiActionParamsInit,
  type UiTreeParams,
  type UiTreeParamsInit,
} from "./params.ts";
export {
  encodeDisplayFrame,
  encodeManifest,
  encodePixmap,
  encodeUIElement,
} from "./wire_encode.ts";
