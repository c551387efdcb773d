/**
 * The Wayland driver's `display.subscribe` against a real headless sway and
 * a real Wayland client drawing a 200×200 animation whose frame numbers are
 * in its pixels (`animation.py`): every change the app shows is delivered
 * once and in order, and a free-running animation arrives in order up to
 * its last frame. Then a second output at scale 2: capture and pointer
 * coordinates agree (a click at the logical point where the capture shows
 * the square lands at the square's corner in the app).
 *
 * No timing is asserted: the steps wait for the frame they expect.
 */

import { assert, assertEquals } from "../../../remote/_assert.ts";
import { WaylandDriver } from "../../../../src/computer/drivers/wayland/wayland_driver.ts";
import { PointerEventSchema } from "../../../../src/computer/types/input.ts";
import { skipSway, type Sway, withHeadlessSway } from "../../../native/wayland/_sway_fixture.ts";
import { eventually } from "../x11/_desktop_fixture.ts";
import { decodePng, pixelAt } from "../x11/_png_decode.ts";
import { ANIMATION_SIZE, locateSquare, readAnimation, startAnimation } from "./_animation.ts";

const decoder = new TextDecoder();

async function swaymsg(sway: Sway, command: string): Promise<void> {
  const out = await new Deno.Command("swaymsg", {
    args: [command],
    env: sway.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`swaymsg ${command}: ${decoder.decode(out.stdout)}`);
}

Deno.test({
  name: "WaylandDriver stream: a 200x200 animation arrives frame by frame, in order",
  ignore: skipSway,
  sanitizeResources: false,
  fn: () =>
    withHeadlessSway(async (sway) => {
      const driver = await WaylandDriver.open({ display: sway.socket, env: sway.env });
      const anim = await startAnimation(sway);
      try {
        const params = { fps: 30, delta: true, downscale: false } as const;
        // Stepped: the app shows frame k once frame k-1 arrived; each arrives once, in order.
        const steps = 10;
        let step = 0;
        let holds = Promise.resolve();
        const stepped = await readAnimation(driver.subscribeDisplay(params), (seen) => {
          if (seen.numbers.at(-1) !== step) return false;
          if (step === steps) return true;
          step++;
          const k = step;
          // One at a time: the app's output lines are read in order by one reader.
          holds = holds.then(() => anim.hold(k));
          return false;
        });
        await holds;
        assertEquals(stepped.numbers, Array.from({ length: steps + 1 }, (_, k) => k));

        // Free-running at 30 fps: what arrives is in order and ends with the last frame.
        const last = 15;
        let started: Promise<number> | undefined;
        const run = await readAnimation(driver.subscribeDisplay(params), (seen) => {
          started ??= anim.run(last);
          return seen.numbers.includes(last);
        });
        await started;
        const numbers = run.numbers.slice(1); // the first is the screen before the run
        assert(numbers.length >= 2, `the run arrived as ${numbers.length} frame(s)`);
        assertEquals(numbers.at(-1), last);
        for (let i = 1; i < numbers.length; i++) {
          assert(numbers[i]! > numbers[i - 1]!, `frames out of order: ${numbers.join(" ")}`);
        }
      } finally {
        await anim.stop();
        await driver.close();
      }
    }),
});

Deno.test({
  name: "WaylandDriver on outputs of scales 1 and 2: capture and pointer coordinates agree",
  ignore: skipSway,
  sanitizeResources: false,
  fn: () =>
    withHeadlessSway(async (sway) => {
      const driver = await WaylandDriver.open({ display: sway.socket, env: sway.env });
      const anim = await startAnimation(sway);
      try {
        await swaymsg(sway, "create_output");
        await swaymsg(sway, "output HEADLESS-2 resolution 1600x1200 position 1920 0 scale 2");
        const second = await eventually(
          async () => {
            const d = (await driver.displays())[1];
            return d?.scale_factor === 2 && d.bounds.x === 1920 && d.bounds.width === 800
              ? d
              : undefined;
          },
          10_000,
          "HEADLESS-2 at 1920,0, 1600x1200 pixels at scale 2",
        );
        assertEquals(second.bounds, { x: 1920, y: 0, width: 800, height: 600 });
        await swaymsg(sway, `[app_id="opendesk-animation"] move absolute position 2000 150`);

        // The capture of output 2 has 2 pixels per logical pixel: find the square in it.
        const corner = await eventually(
          async () => {
            const shot = await driver.capture({ display_id: "2", downscale: false });
            assertEquals([shot.width, shot.height], [1600, 1200]);
            assertEquals([shot.logical_width, shot.logical_height], [800, 600]);
            const image = decodePng(shot.data);
            return locateSquare((x, y) => pixelAt(image, x, y), image.width, image.height, 2) ??
              undefined;
          },
          10_000,
          "the square on output 2",
        );
        // GTK scales the app's image up by 2 with filtering: the square's first pixel of exact
        // colour may be the second of its logical pixel.
        const logical = {
          x: second.bounds.x + Math.floor(corner.x / 2),
          y: second.bounds.y + Math.floor(corner.y / 2),
        };
        assertEquals(logical, { x: 2000, y: 150 });

        // A click 37, 23 logical pixels into the square, as the capture places it.
        const point = { x: logical.x + 37, y: logical.y + 23 };
        await driver.pointer(PointerEventSchema.parse({ action: "down", point }));
        await driver.pointer(PointerEventSchema.parse({ action: "up", point }));
        assertEquals(await anim.app.line(/^press /, "the click in the app"), "press 37 23");

        // A logical point inside the square, away from the pointer (headless sway draws the
        // pointer into the image), read as a pixel: the square's colour (frame 0).
        const inside = { x: logical.x + ANIMATION_SIZE - 20, y: logical.y + 60 };
        assertEquals(await driver.pixel(inside), { r: 0, g: 0, b: 0xa5 });
        const outside = { x: logical.x + ANIMATION_SIZE + 5, y: logical.y + 60 };
        assert((await driver.pixel(outside)).b !== 0xa5, "the square ends where the capture says");
      } finally {
        await anim.stop();
        await driver.close();
      }
    }),
});
