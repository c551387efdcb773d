/**
 * The X11 desktop driver: its registry entry (`x11Factory`), the driver
 * (`X11Driver`), `NativeComputer` (host services plus the driver in one
 * step), virtual displays, and the low-level wrappers of the C shim.
 *
 * @module
 */

export { x11Factory } from "./x11_factory.ts";
export { X11Driver, type X11DriverOptions } from "./x11_driver.ts";
export { NativeComputer, type NativeComputerOptions } from "./native_computer.ts";
export {
  startVirtualDisplay,
  type VirtualDisplay,
  type VirtualDisplayOptions,
} from "./virtual_display.ts";
export { NativeError, nativeStatusName } from "./native_error.ts";
export { NativeDisplay, type NativeMonitor } from "./native_display.ts";
export { NativeDiff, type NativeFormat, NativeFrame, type PixelRect } from "./native_frame.ts";
export {
  libraryDrivers,
  loadNative,
  NATIVE_FEATURE,
  NATIVE_STATUS,
  nativeLibraryCandidates,
} from "./ffi.ts";
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
// Windows, apps, clipboard, accessibility, input events, notifications, screen lock.
export { LinuxDesktop, type LinuxDesktopOptions } from "./linux_desktop.ts";
export { toWindow, type X11WindowInfo, X11Windows } from "./x11_windows.ts";
export { X11Apps, type X11AppsOptions } from "./x11_apps.ts";
export {
  AppLauncher,
  type AppLauncherOptions,
  type DesktopEntry,
  type LaunchedApp,
  parseExec,
} from "./app_launcher.ts";
export { type ClipboardReadOptions, X11Clipboard } from "./x11_clipboard.ts";
export {
  type AtspiNode,
  type AtspiQuery,
  AtspiTree,
  type AtspiWalk,
  toUIElement,
} from "./atspi_tree.ts";
export { InputEventStream, type InputEventStreamOptions } from "./input_event_stream.ts";
export { NotificationMonitor, type NotificationMonitorOptions } from "./notification_monitor.ts";
export {
  type LockerProbe,
  lockScreen,
  type LockScreenOptions,
  probeLockers,
} from "./screen_lock.ts";
