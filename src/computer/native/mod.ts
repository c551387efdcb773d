/**
 * The native (X11) desktop backend: `NativeComputer`, backend selection,
 * virtual displays, and the low-level wrappers of the C shim.
 *
 * @module
 */

export { NativeComputer, type NativeComputerOptions } from "./native_computer.ts";
export {
  type ComputerSelection,
  selectComputer,
  type SelectComputerOptions,
} from "./select_computer.ts";
export {
  startVirtualDisplay,
  type VirtualDisplay,
  type VirtualDisplayOptions,
} from "./virtual_display.ts";
export { NativeError, nativeStatusName } from "./native_error.ts";
export { NativeDisplay, type NativeMonitor } from "./native_display.ts";
export { NativeDiff, type NativeFormat, NativeFrame, type PixelRect } from "./native_frame.ts";
export { loadNative, NATIVE_FEATURE, NATIVE_STATUS, nativeLibraryCandidates } from "./ffi.ts";
export {
  DEFAULT_MAX_WIDTH,
  type DeviceRect,
  deviceToLogical,
  fitImageSize,
  type ImageLimits,
  imageToLogical,
  logicalToDevice,
  regionToDevice,
} from "./coordinates.ts";
export { charKeysym, keysymFor, MODIFIER_KEYSYMS } from "./keysyms.ts";
