/**
 * `FakeComputer`: the real host services (files, processes, environment)
 * with a {@linkcode FakeDriver} as the desktop, for hermetic tests. It
 * exposes the fake's recordings and controls (`actions`, `screen`, `typed`,
 * `locked`, `paint()`, `setUiTree()`, `addNotification()`).
 *
 * @module
 */

import { HostComputer, type HostComputerOptions } from "../../host/host_computer.ts";
import type { Capability } from "../../types/capability.ts";
import type { Rect } from "../../types/geometry.ts";
import type { Notification } from "../../types/notification.ts";
import type { UIElement } from "../../types/ui_element.ts";
import { type FakeAction, FakeDriver, type FakeDriverOptions } from "./fake_driver.ts";
import type { FakeScreen, Rgba } from "./fake_screen.ts";

/** Options of {@linkcode FakeComputer}. */
export interface FakeComputerOptions
  extends Omit<HostComputerOptions, "driver" | "noDriverReason">, FakeDriverOptions {
  /**
   * Replaces the advertised capabilities, host ones included (desktop methods
   * outside it fail).
   * @default everything the host and the fake do
   */
  capabilities?: Capability[];
}

/**
 * A deterministic in-memory desktop behind the real host services.
 *
 * @example Usage
 * ```ts
 * import { FakeComputer } from "./fake_computer.ts";
 * const fake = new FakeComputer();
 * const shot = await fake.capture();
 * console.log(shot.width, shot.height); // 320 200
 * ```
 */
export class FakeComputer extends HostComputer {
  #fake: FakeDriver;
  #caps: Capability[] | undefined;

  /** Creates the fake with two windows (Editor, Terminal), one notification and text on the clipboard. */
  constructor(options: FakeComputerOptions = {}) {
    const backend = options.backend ?? "fake";
    const fake = new FakeDriver({ ...options, backend });
    super({ ...options, backend, driver: fake });
    this.#fake = fake;
    this.#caps = options.capabilities;
  }

  protected override supportedCapabilities(): Capability[] {
    return this.#caps ? [...this.#caps] : super.supportedCapabilities();
  }

  /** Every action received, in order. */
  get actions(): FakeAction[] {
    return this.#fake.actions;
  }
  /** The desktop image (all displays side by side). */
  get screen(): FakeScreen {
    return this.#fake.screen;
  }
  /** Text typed through `input.text`. */
  get typed(): string {
    return this.#fake.typed;
  }
  /** True after `power.lock`. */
  get locked(): boolean {
    return this.#fake.locked;
  }
  /** Replaces a window's accessibility tree (refs are assigned). */
  setUiTree(windowId: string, tree: UIElement): void {
    this.#fake.setUiTree(windowId, tree);
  }
  /** Adds a notification. */
  addNotification(notification: Notification): void {
    this.#fake.addNotification(notification);
  }
  /** Fills a logical rectangle of the desktop with a colour (to make frames change). */
  paint(rect: Rect, color: Rgba): void {
    this.#fake.paint(rect, color);
  }
}
