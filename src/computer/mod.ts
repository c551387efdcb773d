/**
 * The computer layer: the `Computer` interface and its types, and its parts,
 * each a folder with its own `mod.ts`: `methods/` (the wire method table and
 * the server-side `Dispatcher`), `client/` (the typed client and helpers),
 * `host/` (`HostComputer`: files, processes, system) and `drivers/` (the
 * desktop driver contract, the registry, and the x11 and fake drivers).
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
export {
  type ComputerSelection,
  HostComputer,
  type HostComputerOptions,
  selectComputer,
  type SelectComputerOptions,
} from "./host/mod.ts";
export { type FakeAction, FakeComputer, type FakeComputerOptions } from "./drivers/fake/mod.ts";
export { FakeDriver, FakeScreen, type Rgba } from "./drivers/fake/mod.ts";
export {
  APP_LOG_DIR_ENV,
  DESKTOP_METHODS,
  type DesktopDriver,
  DRIVER_FACTORIES,
  type DriverAvailability,
  type DriverFactory,
  selectDriver,
  startVirtualDesktop,
  type VirtualDesktop,
  type VirtualDesktopOptions,
} from "./drivers/mod.ts";
export {
  click,
  type ClickOptions,
  clipboardText,
  doubleClick,
  drag,
  type DragOptions,
  hotkey,
  MethodClient,
  press,
  type PressOptions,
  RemoteComputer,
  type RemoteComputerOptions,
  scroll,
  type ScrollOptions,
  SessionEvictedError,
  setClipboardText,
  typeText,
  type TypeTextOptions,
} from "./client/mod.ts";
export {
  type AnyMethodDef,
  type CallRecord,
  type CaptureParams,
  type CaptureParamsInit,
  Dispatcher,
  type DispatcherOptions,
  encodeDisplayFrame,
  encodeManifest,
  encodePixmap,
  encodeUIElement,
  type ExecOptions,
  findMethod,
  FOCUS_ACTION,
  isIdempotentMethod,
  isObservationMethod,
  type MethodKind,
  methodNames,
  METHODS,
  type MkdirOptions,
  type ParamDoc,
  type PolicyRequest,
  type ReadFileRange,
  SET_TEXT_ACTION,
  type ShellOptions,
  type StreamMethodDef,
  type SubscribeDisplayParams,
  type SubscribeDisplayParamsInit,
  type UiActionParams,
  type UiActionParamsInit,
  type UiTreeParams,
  type UiTreeParamsInit,
  type UnaryMethodDef,
} from "./methods/mod.ts";
export { toWireError, unknownMethodError } from "./wire_errors.ts";
export { canonicalKeysym, type Chord, modifierOf, parseChord } from "./keys.ts";
export { encodePng, type EncodePngOptions } from "./png_encoder.ts";
export { DEFAULT_MAX_PAYLOAD_BYTES } from "./limits.ts";
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
