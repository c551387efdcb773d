/**
 * Failures of Wayland calls that run on FFI worker threads (`nonblocking`
 * symbols) say what failed: the shim keeps each failure's sentence on its
 * handle (`od_wayland_last_error`), where the driver reads it, instead of
 * only the status name. Against a real headless sway: a capture of a hole
 * in a two-output layout, a capture across outputs of different scales, and
 * calls after the compositor exited.
 */

import { assertEquals, assertMatch, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { WaylandDriver } from "../../../../src/computer/drivers/wayland/wayland_driver.ts";
import { WaylandError } from "../../../../src/computer/drivers/wayland/wayland_error.ts";
import { skipSway, withHeadlessSway } from "../../../native/wayland/_sway_fixture.ts";
import { eventually } from "../x11/_desktop_fixture.ts";

const decoder = new TextDecoder();

/** Runs a sway command; `exit` may end sway before it answers, so its reply is not checked. */
async function swaymsg(env: Record<string, string>, command: string): Promise<void> {
  const out = await new Deno.Command("swaymsg", {
    args: [command],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success && command !== "exit") {
    throw new Error(`swaymsg ${command}: ${decoder.decode(out.stderr)}`);
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "WaylandDriver: worker-thread failures carry the shim's sentence, not a status name",
  ignore: skipSway,
  sanitizeResources: false,
  fn: () =>
    withHeadlessSway(async (sway) => {
      const driver = await WaylandDriver.open({ display: sway.socket, env: sway.env });
      try {
        await swaymsg(sway.env, "create_output");
        await swaymsg(sway.env, "output HEADLESS-2 resolution 800x600 position 1920 0");
        await eventually(
          async () => {
            const second = (await driver.displays())[1]?.bounds;
            return second?.x === 1920 && second.height === 600 ? true : undefined;
          },
          10_000,
          "the second output at 1920,0 800x600",
        );

        // (1920, 700) lies inside the layout's bounding box but on no output.
        const hole = await assertRejects(
          () => driver.capture({ region: { x: 1920, y: 700, width: 10, height: 10 } }),
          RemoteError,
        );
        assertEquals(hole.code, "invalid_argument");
        assertEquals(
          hole.message,
          "Cannot capture 10x10 at 1920,700: the area is not covered by outputs",
        );

        await swaymsg(sway.env, "output HEADLESS-2 scale 2");
        await eventually(
          async () => {
            const second = (await driver.displays())[1];
            return second?.scale_factor === 2 ? true : undefined;
          },
          10_000,
          "the second output at scale 2",
        );
        const mixed = await assertRejects(
          () => driver.capture({ region: { x: 1900, y: 0, width: 40, height: 10 } }),
          RemoteError,
        );
        assertMatch(mixed.message, /^Cannot capture across outputs of different scales/);

        // The compositor exits: every later call says the connection is gone.
        await swaymsg(sway.env, "exit");
        await eventually(() => exists(sway.socket) ? undefined : true, 10_000, "sway to exit");
        const lost = await assertRejects(() => driver.capture({}), WaylandError);
        assertEquals(lost.statusName, "OD_ERR_WAYLAND_CONNECTION_LOST");
        assertEquals(lost.message, "The Wayland compositor closed the connection; open a new one");
        const windows = await assertRejects(() => driver.windows(), WaylandError);
        assertEquals(
          windows.message,
          "The Wayland compositor closed the connection; open a new one",
        );
      } finally {
        await driver.close();
      }
    }),
});
