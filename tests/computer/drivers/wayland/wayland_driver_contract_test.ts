import { WaylandDriver } from "../../../../src/computer/drivers/wayland/wayland_driver.ts";
import { runDriverContract } from "../_driver_contract.ts";
import { skipSway, withHeadlessSway } from "../../../native/wayland/_sway_fixture.ts";

Deno.test({
  name: "WaylandDriver passes the desktop driver contract on headless sway",
  ignore: skipSway,
  fn: (t) =>
    withHeadlessSway(async (sway) => {
      const driver = await WaylandDriver.open({ display: sway.socket, env: sway.env });
      try {
        await runDriverContract(t, driver);
      } finally {
        await driver.close();
      }
    }),
});
