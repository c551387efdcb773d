/**
 * When the Windows driver is available, and the reason when it is not: the operating system,
 * a DLL that does not load, a library built for other drivers.
 */

import { assert, assertEquals } from "../../../remote/_assert.ts";
import {
  win32Availability,
  win32Factory,
} from "../../../../src/computer/drivers/win32/win32_factory.ts";
import { NATIVE_STATUS } from "../../../../src/computer/drivers/x11/ffi.ts";
import { FakeWin32Library } from "./_fake_win32_library.ts";

/** A fake DLL whose od_library_drivers names other drivers. */
function builtFor(drivers: string): FakeWin32Library {
  const fake = new FakeWin32Library();
  const symbols = {
    ...fake.symbols,
    od_library_drivers: (buf: Uint8Array | null, cap: number, len: Uint32Array | null) => {
      const bytes = new TextEncoder().encode(drivers);
      len![0] = bytes.length;
      if (bytes.length > cap) return NATIVE_STATUS.OD_ERR_BUFFER_TOO_SMALL;
      buf!.set(bytes);
      return NATIVE_STATUS.OD_OK;
    },
  };
  return { ...fake, symbols } as unknown as FakeWin32Library;
}

const CASES: {
  name: string;
  os: string;
  load: () => FakeWin32Library;
  reason: RegExp | null;
}[] = [
  {
    name: "on Linux, without touching the DLL",
    os: "linux",
    load: () => {
      throw new Error("must not load");
    },
    reason: /runs on Windows only, this is 'linux'/,
  },
  {
    name: "on Windows without a loadable opendesk.dll, with the loader's message",
    os: "windows",
    load: () => {
      throw new Error("Cannot load the opendesk native library: looked in C:\\opendesk.dll");
    },
    reason: /looked in C:\\opendesk\.dll/,
  },
  {
    name: "on Windows with a library of other drivers",
    os: "windows",
    load: () => builtFor("x11\n"),
    reason: /holds the drivers \[x11\], not win32/,
  },
  {
    name: "on Windows with the win32 DLL",
    os: "windows",
    load: () => new FakeWin32Library(),
    reason: null,
  },
];

for (const c of CASES) {
  Deno.test(`win32Availability() ${c.name}`, () => {
    const result = win32Availability(c.os, c.load);
    if (c.reason === null) {
      assertEquals(result, { available: true });
    } else {
      assert(!result.available && c.reason.test(result.reason), JSON.stringify(result));
    }
  });
}

Deno.test("win32Factory is automatic and unavailable on this non-Windows host", async () => {
  assertEquals([win32Factory.name, win32Factory.automatic], ["win32", true]);
  if (Deno.build.os === "windows") return;
  const result = await win32Factory.available(() => undefined);
  assert(!result.available && result.reason.includes("Windows only"), JSON.stringify(result));
});
