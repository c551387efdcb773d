import { X11Driver } from "../../../../src/computer/drivers/x11/x11_driver.ts";
import { runDriverContract } from "../_driver_contract.ts";
import { skipX11, withXvfb } from "./_x11_fixture.ts";

Deno.test({
  name: "X11Driver passes the desktop driver contract on Xvfb",
  ignore: skipX11,
  fn: (t) =>
    withXvfb(async (xvfb) => {
      await runDriverContract(t, await X11Driver.open({ display: xvfb.display }));
    }),
});
