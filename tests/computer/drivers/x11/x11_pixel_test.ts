import { assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { X11Driver } from "../../../../src/computer/drivers/x11/x11_driver.ts";
import { skipX11, startClient, withXvfb } from "./_x11_fixture.ts";

Deno.test({
  name: "X11Driver.pixel() reads the colour a real X client painted, and refuses points outside",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const driver = await X11Driver.open({ display: xvfb.display });
      const client = await startClient(xvfb.display, ["fill", "3c7ad2"]);
      try {
        assertEquals(await driver.pixel({ x: 10, y: 20 }), { r: 0x3c, g: 0x7a, b: 0xd2 });
        assertEquals(await driver.pixel({ x: 639, y: 479 }), { r: 0x3c, g: 0x7a, b: 0xd2 });
        const error = await assertRejects(() => driver.pixel({ x: 640, y: 0 }), RemoteError);
        assertEquals(error.code, "invalid_argument");
        assertEquals(error.message, "Point (640, 0) is outside the 640x480 desktop");
      } finally {
        await client.stop();
        await driver.close();
      }
    }),
});
