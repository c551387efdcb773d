import { assert, assertEquals } from "../../remote/_assert.ts";
import { HostComputer } from "../../../src/computer/host_computer.ts";
import { NativeComputer } from "../../../src/computer/native/native_computer.ts";
import { selectComputer } from "../../../src/computer/native/select_computer.ts";
import { prepareNative, skipX11, withXvfb } from "./_x11_fixture.ts";

Deno.test({
  name: "selectComputer() picks NativeComputer when the display opens",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const selection = await selectComputer({ display: xvfb.display });
      try {
        assertEquals([selection.native, selection.reason], [true, null]);
        assert(selection.computer instanceof NativeComputer);
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
  name: "selectComputer() falls back to HostComputer with a reason when the display is absent",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    const selection = await selectComputer({ display: ":4998" });
    try {
      assertEquals(selection.native, false);
      assert(selection.computer instanceof HostComputer);
      assert(!(selection.computer instanceof NativeComputer));
      assert(selection.reason?.includes("':4998'"), selection.reason ?? "");
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
  const selection = await selectComputer({ display: "" });
  assertEquals(selection.native, false);
  if (Deno.build.os === "linux") assert(selection.reason?.includes("DISPLAY is not set"));
  await selection.computer.close();
});
