/**
 * The X11 driver as the registry sees it: chosen with the display and bus of
 * the environment it is given, skipped with a reason saying what to do when
 * there is no display.
 */
import { assert, assertEquals, assertMatch } from "../../../remote/_assert.ts";
import { selectComputer } from "../../../../src/computer/host/select_computer.ts";
import { x11Factory } from "../../../../src/computer/drivers/x11/x11_factory.ts";
import { prepareNative, skipX11, withXvfb } from "./_x11_fixture.ts";

Deno.test("selectComputer() without DISPLAY serves host services only and says to start a display", async () => {
  const selection = await selectComputer({ env: () => undefined, factories: [x11Factory] });
  try {
    assertEquals(selection.driver, null);
    assertMatch(selection.reason, /no X display \(DISPLAY is not set\).*--virtual-display/);
    assert(!selection.computer.capabilities().capabilities.includes("display.capture"));
    const absent = await selection.computer.absentCapabilities();
    assertMatch(absent["display.capture"] ?? "", /DISPLAY is not set/);
  } finally {
    await selection.computer.close();
  }
});

Deno.test({
  name: "selectComputer() opens x11 on the display and session variables it is given",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    await withXvfb(async (xvfb) => {
      const session = { DISPLAY: xvfb.display, OD_SESSION_MARK: "private" };
      const selection = await selectComputer({
        env: (name) => name === "DISPLAY" ? xvfb.display : undefined,
        session,
        factories: [x11Factory],
      });
      try {
        assertEquals(selection.driver, "x11");
        assert(selection.computer.capabilities().capabilities.includes("display.capture"));
        const shell = await selection.computer.shell(
          'printf "%s %s" "$DISPLAY" "$OD_SESSION_MARK"',
        );
        assertEquals(new TextDecoder().decode(shell.stdout), `${xvfb.display} private`);
      } finally {
        await selection.computer.close();
      }
    });
  },
});
