/**
 * Host services: `HostComputer` (files, processes, system facts and the
 * manifest, with the desktop methods handed to a driver) and
 * `selectComputer`, which builds it around the driver the registry chose.
 *
 * @module
 */

export { HostComputer, type HostComputerOptions } from "./host_computer.ts";
export {
  type ComputerSelection,
  selectComputer,
  type SelectComputerOptions,
} from "./select_computer.ts";
