/**
 * The Windows driver behind a real server: `OpendeskServer` on loopback with real pairing and
 * encryption serves a `HostComputer` whose driver is `Win32Driver` over the fake DLL, and a
 * controller drives it with opendesk's own client — the path a Windows user meets, with the DLL
 * as the only stand-in.
 */

import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { startServer } from "../../../remote/_server_fixture.ts";
import {
  clipboardText,
  hotkey,
  setClipboardText,
  typeText,
} from "../../../../src/computer/client/helpers.ts";
import { HostComputer } from "../../../../src/computer/host/host_computer.ts";
import { Win32Driver } from "../../../../src/computer/drivers/win32/win32_driver.ts";
import { CapabilityUnsupportedError } from "../../../../src/protocol/errors.ts";
import { FakeWin32Library } from "./_fake_win32_library.ts";

Deno.test("a controller drives the Windows driver over an encrypted loopback session", async () => {
  const fake = new FakeWin32Library();
  const driver = await Win32Driver.open({ library: fake, backend: "local/windows" });
  const computer = new HostComputer({ driver, backend: "local/windows" });
  await using fx = await startServer({ computer });
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  try {
    const remote = session.computer;
    const caps = remote.capabilities().capabilities;
    for (const c of ["display.capture", "input.text", "windows.list", "power.lock", "ui.tree"]) {
      assert(caps.includes(c as never), `${c} is offered`);
    }
    assert(!caps.includes("notifications.list"), "notifications are not offered");

    const displays = await remote.displays();
    assertEquals(displays.map((d) => d.bounds.x), [0, 1280]);
    const shot = await remote.capture({ display_id: "2", format: "png", downscale: false });
    assertEquals([shot.format, shot.width, shot.height], ["png", 1920, 1080]);
    assertEquals(fake.desktop.grabs.at(-1), { x: 0, y: 0, width: 1920, height: 1080, flags: 0 });

    const [notepad] = await remote.windows();
    assertEquals([notepad?.app_name, notepad?.bounds?.x], ["notepad", 280]);

    await typeText(remote, "ok 😀", { intervalMs: 0 });
    assertEquals(fake.desktop.typed, [0x6f, 0x6b, 0x20, 0x1f600]);
    await hotkey(remote, ["ctrl", "v"]);
    assert(fake.desktop.keys.some(([k, down]) => k === 0x76 && down), "v was pressed");

    await setClipboardText(remote, "från Windows");
    assertEquals(await clipboardText(remote), "från Windows");

    const error = await assertRejects(() => remote.notifications(), CapabilityUnsupportedError);
    assert(error.message.includes("notifications"), error.message);
  } finally {
    await session.close();
    await computer.close();
  }
});
