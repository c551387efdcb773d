/**
 * `fakeFactory`: the in-memory fake as the registry lists it. It is always
 * available but never chosen automatically: only `serve --driver fake` picks
 * it (for demos and end-to-end tests without a display).
 *
 * @module
 */

import type { DriverFactory } from "../desktop_driver.ts";
import { FakeDriver } from "./fake_driver.ts";

/** The fake driver's registry entry. */
export const fakeFactory: DriverFactory = {
  name: "fake",
  automatic: false,
  available: () => Promise.resolve({ available: true }),
  open: ({ backend }) => Promise.resolve(new FakeDriver({ backend })),
};
