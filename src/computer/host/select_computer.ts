/**
 * `selectComputer`: the computer `opendesk serve` serves, host services plus
 * the desktop driver the registry chose (or none, with the reason).
 *
 * @module
 */

import {
  type DriverSelection,
  selectDriver,
  type SelectDriverOptions,
} from "../drivers/registry.ts";
import { HostComputer, type HostComputerOptions } from "./host_computer.ts";

/** Options of {@linkcode selectComputer}. */
export interface SelectComputerOptions
  extends Omit<HostComputerOptions, "driver" | "noDriverReason">, SelectDriverOptions {}

/** What {@linkcode selectComputer} chose. */
export interface ComputerSelection {
  /** The computer to serve. */
  readonly computer: HostComputer;
  /** The registry's choice: driver name (or none) and why. */
  readonly driver: string | null;
  /** One sentence for people: which driver and why, or why display and input are unavailable. */
  readonly reason: string;
  /** Each driver asked, with why it was not used. */
  readonly tried: DriverSelection["tried"];
}

/**
 * Chooses the desktop driver and builds the computer around it.
 *
 * @param options Driver name, environment and host options.
 * @returns The computer, the driver's name and the reasons.
 * @throws {RangeError} When the named driver does not exist in this build.
 */
export async function selectComputer(
  options: SelectComputerOptions = {},
): Promise<ComputerSelection> {
  const { name, env, session, factories, ...host } = options;
  const selection = await selectDriver({
    ...(name === undefined ? {} : { name }),
    ...(env === undefined ? {} : { env }),
    ...(session === undefined ? {} : { session }),
    ...(factories === undefined ? {} : { factories }),
    ...(host.backend === undefined ? {} : { backend: host.backend }),
  });
  const computer = selection.driver
    ? new HostComputer({ ...host, driver: selection.driver })
    : new HostComputer({ ...host, noDriverReason: selection.unavailable ?? "" });
  return {
    computer,
    driver: selection.driver?.name ?? null,
    reason: selection.reason,
    tried: selection.tried,
  };
}
