import { assert, assertEquals, assertRejects } from "../../remote/_assert.ts";
import type { DriverFactory } from "../../../src/computer/drivers/desktop_driver.ts";
import { FakeDriver } from "../../../src/computer/drivers/fake/fake_driver.ts";
import { fakeFactory } from "../../../src/computer/drivers/fake/fake_factory.ts";
import {
  DRIVER_FACTORIES,
  selectDriver,
  startVirtualDesktop,
} from "../../../src/computer/drivers/registry.ts";

const noEnv = () => undefined;

/** A driver that is never available here, with a fixed reason. */
const absent = (name: string): DriverFactory => ({
  name,
  automatic: true,
  available: () => Promise.resolve({ available: false, reason: `${name} is not here` }),
  open: () => Promise.reject(new Error("must not be opened")),
});

/** A driver that is available but fails to open. */
const broken: DriverFactory = {
  name: "broken",
  automatic: true,
  available: () => Promise.resolve({ available: true }),
  open: () => Promise.reject(new Error("the socket refused the connection")),
};

/** A driver that opens a fake desktop. */
const working: DriverFactory = { ...fakeFactory, name: "working", automatic: true };

Deno.test("DRIVER_FACTORIES has x11, win32 and fake, each name once, fake only by name", () => {
  const names = DRIVER_FACTORIES.map((f) => f.name);
  assertEquals(new Set(names).size, names.length);
  for (const n of ["x11", "win32", "fake"]) assert(names.includes(n), n);
  assertEquals(DRIVER_FACTORIES.find((f) => f.name === "fake")?.automatic, false);
});

Deno.test("selectDriver() opens the first available automatic driver and says why the others were skipped", async () => {
  const factories = [absent("first"), broken, working, fakeFactory];
  const selection = await selectDriver({ env: noEnv, factories });
  try {
    assert(selection.driver instanceof FakeDriver);
    assertEquals(
      selection.reason,
      "desktop driver 'working' (the first available; skipped first: first is not here; " +
        "broken: the socket refused the connection)",
    );
    assertEquals(selection.unavailable, null);
    assertEquals(selection.tried, [
      { name: "first", skipped: "first is not here" },
      { name: "broken", skipped: "the socket refused the connection" },
      { name: "working", skipped: null },
    ]);
  } finally {
    await selection.driver?.close();
  }
});

Deno.test("selectDriver() with a name opens only that driver, even one not chosen automatically", async () => {
  const selection = await selectDriver({ name: "fake", env: noEnv });
  try {
    assertEquals(selection.driver?.name, "fake");
    assertEquals(selection.reason, "desktop driver 'fake' (asked for with --driver)");
  } finally {
    await selection.driver?.close();
  }
});

Deno.test("selectDriver() without any usable driver gives null and every reason", async () => {
  const selection = await selectDriver({ env: noEnv, factories: [absent("a"), broken] });
  assertEquals(selection.driver, null);
  assertEquals(
    selection.unavailable,
    "a: a is not here; broken: the socket refused the connection",
  );
  assert(selection.reason.startsWith("Display and input are unavailable: "));
});

Deno.test("selectDriver() rejects an unknown driver name, listing the known ones", async () => {
  await assertRejects(
    () => selectDriver({ name: "quartz", env: noEnv }),
    RangeError,
    "Unknown desktop driver 'quartz': this build has wayland, x11, win32, fake",
  );
});

Deno.test("startVirtualDesktop() with a driver that cannot host one says so", async () => {
  await assertRejects(
    () => startVirtualDesktop({ width: 100, height: 100 }, "fake"),
    Error,
    "the 'fake' driver cannot start one",
  );
});
