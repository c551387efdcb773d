import { assert, assertEquals, assertMatch } from "../../../remote/_assert.ts";
import { selectDriver } from "../../../../src/computer/drivers/registry.ts";
import { waylandAvailability } from "../../../../src/computer/drivers/wayland/wayland_factory.ts";
import { skipSway, withHeadlessSway } from "../../../native/wayland/_sway_fixture.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("waylandAvailability() names WAYLAND_DISPLAY when it is unset", async () => {
  const result = await waylandAvailability(envOf({}));
  assertEquals(result, {
    available: false,
    reason: "no Wayland session (WAYLAND_DISPLAY is not set)",
  });
});

Deno.test({
  name: "waylandAvailability() says which compositor socket it could not reach",
  ignore: skipSway, // needs the native library with the wayland driver, as the sway tests
  fn: async () => {
    const result = await waylandAvailability(envOf({ WAYLAND_DISPLAY: "/nonexistent/wayland-9" }));
    assert(!result.available);
    assertMatch(
      result.reason,
      /^cannot connect to the compositor at WAYLAND_DISPLAY=\/nonexistent\/wayland-9: /,
    );
  },
});

Deno.test({
  name: "selectDriver() prefers wayland over x11 in a Wayland session with XWayland's DISPLAY",
  ignore: skipSway,
  fn: () =>
    withHeadlessSway(async (sway) => {
      const selection = await selectDriver({
        env: envOf({ WAYLAND_DISPLAY: sway.socket, DISPLAY: ":4997" }),
      });
      try {
        assertEquals(selection.driver?.name, "wayland");
        assertEquals(
          selection.reason,
          `desktop driver 'wayland' (the first available: the compositor at WAYLAND_DISPLAY=${sway.socket} ` +
            "offers zwlr_screencopy_manager_v1, zwlr_virtual_pointer_manager_v1, " +
            "zwp_virtual_keyboard_manager_v1)",
        );
        assertEquals(selection.tried, [{ name: "wayland", skipped: null }]);
        assert(selection.driver!.capabilities().includes("display.stream"));
      } finally {
        await selection.driver?.close();
      }
    }),
});

Deno.test({
  name: "selectDriver() falls back to x11 with wayland's reason when the socket is dead",
  ignore: skipSway,
  fn: async () => {
    const selection = await selectDriver({
      env: envOf({ WAYLAND_DISPLAY: "/nonexistent/wayland-9", DISPLAY: ":4996" }),
    });
    await selection.driver?.close();
    assertEquals(selection.tried.map((t) => t.name), ["wayland", "x11"]);
    assertMatch(selection.tried[0]!.skipped ?? "", /cannot connect to the compositor/);
  },
});
