/**
 * The Wayland desktop driver (wlroots compositors): the driver, its registry
 * entry, and the connection wrapper of the native shim's `od_wayland_*`.
 *
 * @module
 */

export { WaylandDriver, type WaylandDriverOptions } from "./wayland_driver.ts";
export { REQUIRED_PROTOCOLS, waylandAvailability, waylandFactory } from "./wayland_factory.ts";
export {
  WaylandConnection,
  type WaylandOutput,
  type WaylandToplevel,
} from "./wayland_connection.ts";
export { WaylandStream } from "./wayland_stream_handle.ts";
export { WaylandError, waylandStatusName } from "./wayland_error.ts";
export { WAYLAND_FEATURE, WAYLAND_PROTOCOL_NAMES, WAYLAND_STATUS } from "./ffi.ts";
