import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { startVirtualDisplay } from "../../../../src/computer/drivers/x11/virtual_display.ts";
import { runX, skipX11 } from "./_x11_fixture.ts";

Deno.test({
  name: "startVirtualDisplay() starts an Xvfb of the requested size and stops it",
  ignore: skipX11,
  fn: async () => {
    const xvfb = await startVirtualDisplay({ width: 1024, height: 640 });
    try {
      assert(/^:\d+$/.test(xvfb.display), xvfb.display);
      const info = await runX(xvfb.display, "xdpyinfo", []);
      assert(info.includes("1024x640 pixels"), "xdpyinfo reports the size");
    } finally {
      await xvfb.stop();
      await xvfb.stop();
    }
    await assertRejects(() => runX(xvfb.display, "xdpyinfo", []), Error, "failed");
  },
});

Deno.test("startVirtualDisplay() rejects sizes outside 16-16384 pixels", async () => {
  const cases = [{ width: 0, height: 480 }, { width: 640, height: 20000 }, {
    width: 640.5,
    height: 480,
  }];
  for (const size of cases) {
    await assertRejects(() => startVirtualDisplay(size), RangeError, "use 16 to 16384");
  }
});

Deno.test("startVirtualDisplay() explains a missing Xvfb", async () => {
  const error = await assertRejects(
    () => startVirtualDisplay({ width: 640, height: 480, command: "opendesk-no-such-xvfb" }),
    Error,
    "is not installed",
  );
  assertEquals(error.message.includes("xvfb"), true);
});
