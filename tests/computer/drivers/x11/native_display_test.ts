import { assert, assertEquals, assertRejects, assertThrows } from "../../../remote/_assert.ts";
import { NATIVE_FEATURE } from "../../../../src/computer/drivers/x11/ffi.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import { NativeDisplay } from "../../../../src/computer/drivers/x11/native_display.ts";
import { NativeError } from "../../../../src/computer/drivers/x11/native_error.ts";
import { startVirtualDisplay } from "../../../../src/computer/drivers/x11/virtual_display.ts";
import { PointerEventSchema } from "../../../../src/computer/types/input.ts";
import { prepareNative, skipX11, startClient, withXvfb } from "./_x11_fixture.ts";
import { CapabilityUnsupportedError } from "../../../../src/protocol/errors.ts";

Deno.test({
  name: "NativeDisplay.open() reports the extensions, size and monitors of a real Xvfb",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      await using display = await NativeDisplay.open(xvfb.display);
      for (const feature of ["SHM", "XTEST", "RANDR", "XFIXES", "DAMAGE", "XKB"] as const) {
        assert((display.features & NATIVE_FEATURE[feature]) !== 0, `${feature} present`);
      }
      assertEquals(display.size(), { width: 800, height: 600 });
      const monitors = display.monitors();
      assertEquals(monitors.length, 1);
      assertEquals([monitors[0]?.x, monitors[0]?.y, monitors[0]?.width, monitors[0]?.height], [
        0,
        0,
        800,
        600,
      ]);
    }, { width: 800, height: 600 }),
});

Deno.test({
  name: "NativeDisplay.open() fails with a NativeError naming the display",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    const error = await assertRejects(() => NativeDisplay.open(":4999"), NativeError, "':4999'");
    assertEquals([error.code, error.statusName], ["NATIVE", "OD_ERR_X11_OPEN"]);
  },
});

Deno.test({
  name: "NativeComputer survives the X server going away with a clear NativeError",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    const xvfb = await startVirtualDisplay({ width: 320, height: 240 });
    const computer = await NativeComputer.open({ display: xvfb.display });
    try {
      assertEquals((await computer.capture({})).width, 320);
      await xvfb.stop();
      const first = await assertRejects(() => computer.capture({}), NativeError);
      assertEquals(first.statusName, "OD_ERR_X11_CONNECTION_LOST");
      assert(first.message.includes("lost"), first.message);
      const move = PointerEventSchema.parse({ action: "move", point: { x: 1, y: 1 } });
      const second = await assertRejects(() => computer.pointer(move), NativeError);
      assertEquals(second.statusName, "OD_ERR_X11_CONNECTION_LOST");
      assertThrows(() => computer.nativeDisplay.size(), NativeError, "lost");
    } finally {
      await computer.close();
      await xvfb.stop();
    }
    await assertRejects(() => computer.capture({}), Error, "closed");
  },
});

Deno.test({
  name: "NativeComputer captures exactly without MIT-SHM (XGetImage fallback)",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["scene", "0", "0", "320", "240"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        assertEquals(computer.nativeDisplay.features & NATIVE_FEATURE.SHM, 0);
        const raw = await computer.capture({ format: "raw_rgba" });
        const at = (x: number, y: number) =>
          Array.from(raw.data.subarray((y * 320 + x) * 4, (y * 320 + x) * 4 + 4));
        assertEquals(at(0, 0), [255, 255, 0, 255]);
        assertEquals(at(10, 10), [255, 0, 0, 255]);
        assertEquals(at(300, 200), [255, 255, 255, 255]);
        assertEquals(at(10, 200), [0, 0, 255, 255]);
      } finally {
        await computer.close();
        await client.stop();
      }
    }, { width: 320, height: 240, extraArgs: ["-extension", "MIT-SHM"] }),
});

Deno.test({
  name: "NativeComputer without XTEST leaves input out of the manifest and refuses it",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const caps = computer.capabilities().capabilities;
        assertEquals(caps.filter((c) => c.startsWith("input.")), []);
        assert(caps.includes("display.capture"));
        const error = await assertRejects(
          () =>
            computer.pointer(PointerEventSchema.parse({ action: "move", point: { x: 1, y: 1 } })),
          CapabilityUnsupportedError,
          "XTEST",
        );
        assertEquals(error.capability, "input.pointer");
      } finally {
        await computer.close();
      }
    }, { width: 320, height: 240, extraArgs: ["-extension", "XTEST"] }),
});
