/**
 * Desktop drivers: the contract (`desktop_driver.ts`) and the registry that
 * picks one at start-up. Each driver lives in its own folder (`x11/`,
 * `fake/`, later `wayland/` and `win32/`) with its own `mod.ts`.
 *
 * @module
 */

export {
  APP_LOG_DIR_ENV,
  DESKTOP_METHODS,
  type DesktopDriver,
  type DesktopMethods,
  type DriverAvailability,
  type DriverFactory,
  type DriverOpenOptions,
  type EnvLookup,
  unsupported,
  type VirtualDesktop,
  type VirtualDesktopOptions,
} from "./desktop_driver.ts";
export {
  DRIVER_FACTORIES,
  type DriverSelection,
  selectDriver,
  type SelectDriverOptions,
  startVirtualDesktop,
} from "./registry.ts";
