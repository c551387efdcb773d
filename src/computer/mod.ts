/**
 * The computer layer: the `Computer` interface and its types (computer-v1
 * §2–§4), the wire method table (§5), the server-side `Dispatcher`, the
 * client-side `RemoteComputer`, the base `HostComputer` (real files,
 * processes and environment), the `FakeComputer` for tests and the
 * convenience helpers.
 *
 * @example Usage
 * ```ts
 * import { click, FakeComputer } from "./mod.ts";
 * const fake = new FakeComputer();
 * await click(fake, { x: 20, y: 30 });
 * console.log(fake.actions.length); // 3 (move, down, up)
 * ```
 *
 * @module
 */

export type { CallOptions, Computer } from "./computer.ts";
export { HostComputer, type HostComputerOptions } from "./host_computer.ts";
export { type FakeAction, FakeComputer, type FakeComputerOptions } from "./drivers/fake/mod.ts";
export { FakeDriver, FakeScreen, type Rgba } from "./drivers/fake/mod.ts";
export {
  DESKTOP_METHODS,
  type DesktopDriver,
  DRIVER_FACTORIES,
  type DriverAvailability,
  type DriverFactory,
  selectDriver,
  startVirtualDesktop,
  type VirtualDesktop,
} from "./drivers/mod.ts";
export {
  type ComputerSelection,
  selectComputer,
  type SelectComputerOptions,
} from "./select_computer.ts";
export { RemoteComputer, type RemoteComputerOptions } from "./remote_computer.ts";
export { SessionEvictedError } from "./session_evicted_error.ts";
export {
  type CallRecord,
  Dispatcher,
  type DispatcherOptions,
  type PolicyRequest,
} from "./dispatcher.ts";
export { toWireError, unknownMethodError } from "./wire_errors.ts";
export {
  findMethod,
  isIdempotentMethod,
  isObservationMethod,
  methodNames,
  METHODS,
} from "./methods.ts";
export type {
  AnyMethodDef,
  MethodKind,
  ParamDoc,
  StreamMethodDef,
  UnaryMethodDef,
} from "./method_def.ts";
export {
  click,
  type ClickOptions,
  clipboardText,
  doubleClick,
  drag,
  type DragOptions,
  hotkey,
  press,
  type PressOptions,
  scroll,
  type ScrollOptions,
  setClipboardText,
  typeText,
  type TypeTextOptions,
} from "./helpers.ts";
export { canonicalKeysym, type Chord, modifierOf, parseChord } from "./keys.ts";
export { encodePng, type EncodePngOptions } from "./png_encoder.ts";
export { DEFAULT_MAX_PAYLOAD_BYTES } from "./limits.ts";
export {
  type CaptureParams,
  type CaptureParamsInit,
  type ExecOptions,
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
export {
  CAPABILITIES,
  type Capability,
  type CapabilityManifest,
  CapabilityManifestSchema,
  CapabilitySchema,
  isCapability,
  parseManifestLenient,
} from "./types/capability.ts";
export {
  type ClipboardContents,
  ClipboardContentsSchema,
  type ClipboardEntry,
  ClipboardEntrySchema,
  clipboardTextOf,
  TEXT_MIME_TYPE,
  textClipboard,
} from "./types/clipboard.ts";
export {
  type Display,
  type DisplayFrame,
  DisplayFrameSchema,
  DisplaySchema,
  type FramePatch,
  type Pixmap,
  PixmapSchema,
} from "./types/display.ts";
export {
  type KeyAction,
  type Modifier,
  ModifierSchema,
  type PixmapFormat,
  type PointerAction,
  type PointerButton,
} from "./types/enums.ts";
export { type Environment, EnvironmentSchema } from "./types/environment.ts";
export { type FileEntry, FileEntrySchema } from "./types/file_entry.ts";
export {
  type Point,
  PointSchema,
  type Rect,
  rectCenter,
  rectContains,
  RectSchema,
} from "./types/geometry.ts";
export {
  type InputEvent,
  isKeyEvent,
  type KeyEvent,
  type KeyEventInit,
  KeyEventSchema,
  type PointerEvent,
  type PointerEventInit,
  PointerEventSchema,
  type TextInput,
  TextInputSchema,
} from "./types/input.ts";
export { type Notification, NotificationSchema } from "./types/notification.ts";
export {
  type CompletedCommand,
  CompletedCommandSchema,
  type Process,
  ProcessSchema,
} from "./types/process.ts";
export { type UIElement, type UIElementInit, UIElementSchema } from "./types/ui_element.ts";
export { type Window, WindowSchema } from "./types/window.ts";
