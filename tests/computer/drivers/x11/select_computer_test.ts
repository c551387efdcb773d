import { assert, assertEquals } from "../../../remote/_assert.ts";
import { HostComputer } from "../../../../src/computer/host/host_computer.ts";
import { X11Driver } from "../../../../src/computer/drivers/x11/x11_driver.ts";
import { selectComputer } from "../../../../src/computer/host/select_computer.ts";
import { prepareNative, skipX11, withXvfb } from "./_x11_fixture.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test({
  name: "selectComputer() picks the x11 driver when the display opens",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const selection = await selectComputer({ env: envOf({ DISPLAY: xvfb.display }) });
      try {
        assertEquals(selection.driver, "x11");
        assertEquals(selection.reason, "desktop driver 'x11' (the first available)");
        assert(selection.computer.driver instanceof X11Driver);
        const caps = selection.computer.capabilities().capabilities;
        for (const c of ["display.capture", "display.stream", "input.pointer", "input.text"]) {
          assert(caps.includes(c as never), `${c} advertised`);
        }
        assertEquals(selection.computer.capabilities().limits, {
          "display.stream": { max_fps: 60 },
        });
      } finally {
        await selection.computer.close();
      }
    }),
});

Deno.test({
  name: "selectComputer() falls back to host services with a reason when the display is absent",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    const selection = await selectComputer({ env: envOf({ DISPLAY: ":4998" }) });
    try {
      assertEquals(selection.driver, null);
      assert(selection.computer instanceof HostComputer);
      assertEquals(selection.computer.driver, undefined);
      assert(selection.reason.includes("':4998'"), selection.reason);
      assertEquals(selection.tried.map((t) => t.name), ["wayland", "x11", "win32"]);
      assert(selection.tried[2]?.skipped?.includes("Windows only"), selection.reason);
      assertEquals(
        selection.computer.capabilities().capabilities.includes("display.capture"),
        false,
      );
    } finally {
      await selection.computer.close();
    }
  },
});

Deno.test("selectComputer() explains that no display is set", async () => {
  const selection = await selectComputer({ env: envOf({}) });
  assertEquals(selection.driver, null);
  if (Deno.build.os === "linux") assert(selection.reason.includes("DISPLAY is not set"));
  await selection.computer.close();
});
