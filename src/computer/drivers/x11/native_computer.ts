/**
 * `NativeComputer`: a `HostComputer` whose desktop driver is an
 * {@linkcode X11Driver}, opened in one step. Benchmarks and the X11 tests use
 * it; `opendesk serve` goes through the driver registry instead.
 *
 * @module
 */

import { HostComputer, type HostComputerOptions } from "../../host/host_computer.ts";
import type { LinuxDesktop } from "./linux_desktop.ts";
import type { NativeDisplay } from "./native_display.ts";
import { X11Driver, type X11DriverOptions } from "./x11_driver.ts";

/** Options of {@linkcode NativeComputer.open}. */
export type NativeComputerOptions =
  & Omit<HostComputerOptions, "driver" | "noDriverReason">
  & Omit<X11DriverOptions, "backend">;

/** Host services plus the X11 driver. */
export class NativeComputer extends HostComputer {
  #x11: X11Driver;

  private constructor(driver: X11Driver, options: HostComputerOptions) {
    super({ ...options, driver });
    this.#x11 = driver;
  }

  /**
   * Opens the X display and builds the computer.
   *
   * @param options Display name, session bus and `HostComputer` options.
   * @returns The computer; call `close()` when done.
   * @throws {NativeError} When the library loads but the display cannot be opened.
   */
  static async open(options: NativeComputerOptions = {}): Promise<NativeComputer> {
    const { display, sessionBusAddress, ...host } = options;
    const driver = await X11Driver.open({
      ...(display === undefined ? {} : { display }),
      ...(sessionBusAddress === undefined ? {} : { sessionBusAddress }),
      ...(host.backend === undefined ? {} : { backend: host.backend }),
    });
    return new NativeComputer(driver, host);
  }

  /** The underlying display connection. */
  get nativeDisplay(): NativeDisplay {
    return this.#x11.nativeDisplay;
  }

  /** Windows, apps, UI, clipboard, input events, notifications and lock. */
  get desktop(): LinuxDesktop {
    return this.#x11.desktop;
  }
}
