/**
 * The shared desktop driver contract tests: one table of method calls with
 * the result shape or the error each must give, run against any
 * `DesktopDriver` (`runDriverContract`). A driver passes when every call
 * whose capability it advertises resolves to the documented shape (or, for
 * calls on objects that do not exist, rejects with the listed wire code),
 * and every call whose capability it does not advertise rejects with
 * `CapabilityUnsupportedError` naming that capability.
 *
 * New drivers (wayland, win32) add one test file that opens the driver and
 * calls `runDriverContract(t, open)`.
 */

import { assert, assertEquals } from "../../remote/_assert.ts";
import { CapabilityUnsupportedError, RemoteError } from "../../../src/protocol/errors.ts";
import {
  DESKTOP_METHODS,
  type DesktopDriver,
} from "../../../src/computer/drivers/desktop_driver.ts";
import { CAPABILITIES, type Capability } from "../../../src/computer/types/capability.ts";
import { clipboardTextOf, textClipboard } from "../../../src/computer/types/clipboard.ts";
import { PointerEventSchema } from "../../../src/computer/types/input.ts";

/** One row: a call, the capability it needs, and what it must give. */
interface ContractCase {
  readonly name: string;
  readonly capability: Capability;
  readonly call: (driver: DesktopDriver) => Promise<unknown>;
  /** Checks a resolved result (throws when the shape is wrong). */
  readonly shape?: (result: unknown) => void;
  /** The wire code the call must reject with (for objects that do not exist). */
  readonly rejects?: string;
}

/** A window id that no desktop has. */
const NO_WINDOW = "0x7ffffff1";

const isRect = (r: unknown): boolean => {
  const o = r as Record<string, unknown>;
  return ["x", "y", "width", "height"].every((k) => typeof o?.[k] === "number");
};

/** First item of a stream, then stop it. */
async function firstOf<T>(iterable: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of iterable) return item;
  return undefined;
}

/** Settles the call; a synchronous throw counts as a rejection (HostComputer treats it so). */
function settle(c: ContractCase, driver: DesktopDriver): Promise<unknown> {
  return Promise.resolve().then(() => c.call(driver));
}

const CASES: readonly ContractCase[] = [
  {
    name: "displays() lists monitors with bounds",
    capability: "display.capture",
    call: (d) => d.displays(),
    shape: (r) => {
      const list = r as { id: unknown; bounds: unknown; primary: unknown }[];
      assert(Array.isArray(list) && list.length > 0, "at least one display");
      for (const m of list) {
        assert(typeof m.id === "string" && isRect(m.bounds) && typeof m.primary === "boolean");
      }
    },
  },
  {
    name: "capture() returns a PNG pixmap",
    capability: "display.capture",
    call: (d) => d.capture({ format: "png" }),
    shape: (r) => {
      const p = r as { data: Uint8Array; width: number; height: number; format: string };
      assert(p.data instanceof Uint8Array && p.width > 0 && p.height > 0);
      assertEquals(p.format, "png");
      assertEquals([...p.data.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    },
  },
  {
    name: "pixel() returns a colour, 0-255 per channel",
    capability: "display.capture",
    call: (d) => d.pixel({ x: 1, y: 1 }),
    shape: (r) => {
      const c = r as Record<string, number>;
      assertEquals(Object.keys(c).sort(), ["b", "g", "r"]);
      for (const v of Object.values(c)) assert(Number.isInteger(v) && v >= 0 && v <= 255);
    },
  },
  {
    name: "pixel() outside the desktop is invalid_argument",
    capability: "display.capture",
    call: (d) => d.pixel({ x: 1e6, y: 1 }),
    rejects: "invalid_argument",
  },
  {
    name: "subscribeDisplay() yields a keyframe first",
    capability: "display.stream",
    call: (d) => firstOf(d.subscribeDisplay({ fps: 5 })),
    shape: (r) => {
      const f = r as { keyframe: boolean; frame_number: number };
      assertEquals([f.keyframe, f.frame_number], [true, 0]);
    },
  },
  {
    name: "cursorPosition() returns a point",
    capability: "input.pointer",
    call: (d) => d.cursorPosition(),
    shape: (r) => {
      const p = r as { x: unknown; y: unknown };
      assert(typeof p.x === "number" && typeof p.y === "number");
    },
  },
  {
    name: "pointer() moves the pointer",
    capability: "input.pointer",
    call: (d) => d.pointer(PointerEventSchema.parse({ action: "move", point: { x: 3, y: 4 } })),
    shape: (r) => assertEquals(r, undefined),
  },
  {
    name: "windows() lists windows",
    capability: "windows.list",
    call: (d) => d.windows(),
    shape: (r) => assert(Array.isArray(r)),
  },
  {
    name: "focusedWindow() returns a window or null",
    capability: "windows.list",
    call: (d) => d.focusedWindow(),
    shape: (r) => assert(r === null || typeof (r as { id: unknown }).id === "string"),
  },
  {
    name: "focusWindow() of a missing window is not_found",
    capability: "windows.manipulate",
    call: (d) => d.focusWindow(NO_WINDOW),
    rejects: "not_found",
  },
  {
    name: "moveWindow() of a missing window is not_found",
    capability: "windows.manipulate",
    call: (d) => d.moveWindow(NO_WINDOW, { x: 0, y: 0, width: 50, height: 50 }),
    rejects: "not_found",
  },
  {
    name: "closeWindow() of a missing window is not_found",
    capability: "windows.manipulate",
    call: (d) => d.closeWindow(NO_WINDOW),
    rejects: "not_found",
  },
  {
    name: "listApps() returns names",
    capability: "app.lifecycle",
    call: (d) => d.listApps(),
    shape: (r) => assert(Array.isArray(r) && r.every((n) => typeof n === "string")),
  },
  {
    name: "clipboardWrite() then clipboardRead() round-trips text",
    capability: "clipboard.write",
    call: async (d) => {
      await d.clipboardWrite(textClipboard("contract ✓"));
      return d.capabilities().includes("clipboard.read") ? await d.clipboardRead() : null;
    },
    shape: (r) => {
      if (r !== null) assertEquals(clipboardTextOf(r as never), "contract ✓");
    },
  },
  {
    name: "notifications() returns a list",
    capability: "notifications.list",
    call: (d) => d.notifications(),
    shape: (r) => assert(Array.isArray(r)),
  },
];

/**
 * Runs the contract against a driver as steps of one test.
 *
 * @param t The test context.
 * @param driver The open driver (closed by this function, twice, to check idempotence).
 */
export async function runDriverContract(t: Deno.TestContext, driver: DesktopDriver): Promise<void> {
  try {
    await t.step("capabilities() are desktop capabilities of the catalogue, limits a map", () => {
      const caps = driver.capabilities();
      for (const c of caps) assert(CAPABILITIES.includes(c), `${c} is in the catalogue`);
      for (const host of ["fs.read", "fs.write", "process.shell", "process.spawn"]) {
        assert(!caps.includes(host as Capability), `${host} is a host service`);
      }
      assertEquals(typeof driver.limits(), "object");
      assert(typeof driver.name === "string" && driver.name.length > 0);
    });
    await t.step(
      "absences() give a sentence for capabilities it lacks only; childEnv() is a map",
      () => {
        const caps = new Set<string>(driver.capabilities());
        for (const [name, reason] of Object.entries(driver.absences())) {
          assert(!caps.has(name), `${name} is offered, yet absences() gives a reason`);
          assert(typeof reason === "string" && reason.length > 0, `${name} has a reason`);
        }
        for (const [name, value] of Object.entries(driver.childEnv())) {
          assert(typeof value === "string", `${name} is a string`);
        }
      },
    );
    await t.step("the driver implements every desktop method", () => {
      for (const m of Object.keys(DESKTOP_METHODS) as (keyof typeof DESKTOP_METHODS)[]) {
        assertEquals(typeof driver[m], "function", m);
      }
    });
    const caps = new Set(driver.capabilities());
    for (const c of CASES) {
      await t.step(c.name, async () => {
        if (!caps.has(c.capability)) {
          const error = await settle(c, driver).then(() => null, (e: unknown) => e);
          assert(error instanceof CapabilityUnsupportedError, `${c.name}: ${error}`);
          assertEquals(error.capability, c.capability);
          return;
        }
        if (c.rejects !== undefined) {
          const error = await settle(c, driver).then(() => null, (e: unknown) => e);
          assert(error instanceof RemoteError, `${c.name} must reject, got ${error}`);
          assertEquals(error.code, c.rejects);
          return;
        }
        c.shape!(await settle(c, driver));
      });
    }
  } finally {
    await driver.close();
    await driver.close();
  }
}
