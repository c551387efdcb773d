/**
 * A private Xvfb with the event-recording X client (`_x_client.c events`)
 * and a `NativeComputer` on it, for the tests that inject input and read
 * back what the X server delivered.
 *
 * @module
 */

import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import { runX, startClient, withXvfb, type XClient } from "./_x11_fixture.ts";

/**
 * Runs `fn` with the computer, the recording client and the display name; with `layout`,
 * `setxkbmap` selects that keyboard layout first. Everything is stopped afterwards.
 */
export async function withEventClient(
  fn: (computer: NativeComputer, client: XClient, display: string) => Promise<void>,
  layout?: string,
): Promise<void> {
  await withXvfb(async (xvfb) => {
    if (layout) await runX(xvfb.display, "setxkbmap", [layout]);
    const client = await startClient(xvfb.display, ["events"]);
    const computer = await NativeComputer.open({ display: xvfb.display });
    try {
      await fn(computer, client, xvfb.display);
    } finally {
      await computer.close();
      await client.stop();
    }
  });
}
