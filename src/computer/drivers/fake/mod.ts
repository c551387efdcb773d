/**
 * The in-memory fake desktop driver (the documented test seam):
 * `fakeFactory` for the registry, `FakeDriver`, and `FakeComputer` (host
 * services plus the fake in one step).
 *
 * @module
 */

export { fakeFactory } from "./fake_factory.ts";
export {
  FAKE_DESKTOP_CAPABILITIES,
  type FakeAction,
  FakeDriver,
  type FakeDriverOptions,
} from "./fake_driver.ts";
export { FakeComputer, type FakeComputerOptions } from "./fake_computer.ts";
export { FakeScreen, type Rgba } from "./fake_screen.ts";
