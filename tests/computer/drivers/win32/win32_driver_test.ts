/**
 * What `Win32Driver` hands the DLL and how it reads the answers, over the fake `opendesk.dll`:
 * desktop coordinates against a virtual screen whose origin is (-1280, 0) (a monitor left of the
 * primary one), text as whole code points (the DLL splits them into UTF-16 surrogate pairs for
 * KEYEVENTF_UNICODE, checked under Wine), key names as X keysyms, wheel notches as buttons 4-7,
 * clipboard entries by MIME name, UI Automation bounds, and Windows failures as wire errors.
 */

import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { CapabilityUnsupportedError, RemoteError } from "../../../../src/protocol/errors.ts";
import { Win32Driver } from "../../../../src/computer/drivers/win32/win32_driver.ts";
import { KeyEventSchema, PointerEventSchema } from "../../../../src/computer/types/input.ts";
import { FakeWin32Desktop } from "./_fake_win32_desktop.ts";
import { FakeWin32Library } from "./_fake_win32_library.ts";

async function withDriver(
  fn: (driver: Win32Driver, fake: FakeWin32Library) => Promise<void>,
  desktop = new FakeWin32Desktop(),
): Promise<void> {
  const fake = new FakeWin32Library(desktop);
  const driver = await Win32Driver.open({ library: fake, apps: { closeGraceMs: 10 } });
  try {
    await fn(driver, fake);
  } finally {
    await driver.close();
  }
}

Deno.test("Win32Driver desktop coordinates start at the virtual screen's origin", async (t) => {
  await withDriver(async (driver, fake) => {
    const d = fake.desktop;
    await t.step("displays() moves monitors by the origin", async () => {
      const displays = await driver.displays();
      assertEquals(displays.map((m) => [m.bounds.x, m.bounds.y, m.primary]), [
        [0, 0, false],
        [1280, 0, true],
      ]);
    });
    await t.step("pointer() moves to desktop point + origin", async () => {
      await driver.pointer(PointerEventSchema.parse({ action: "move", point: { x: 10, y: 20 } }));
      assertEquals(d.moves.at(-1), [-1270, 20]);
    });
    await t.step("cursorPosition() subtracts the origin", async () => {
      d.cursor = { x: 100, y: 200 };
      assertEquals(await driver.cursorPosition(), { x: 1380, y: 200 });
    });
    await t.step("pixel() reads both monitors", async () => {
      assertEquals(await driver.pixel({ x: 5, y: 5 }), { r: 255, g: 0, b: 0 });
      assertEquals(await driver.pixel({ x: 1285, y: 5 }), { r: 0, g: 0, b: 255 });
      const error = await driver.pixel({ x: 3200, y: 0 }).catch((e) => e);
      assert(error instanceof RemoteError && error.code === "invalid_argument", `${error}`);
    });
    await t.step("capture() grabs the primary monitor at the virtual screen's 0,0", async () => {
      const shot = await driver.capture({ format: "png", downscale: false });
      assertEquals(d.grabs.at(-1), { x: 0, y: 0, width: 1920, height: 1080, flags: 0 });
      assertEquals([shot.width, shot.height], [1920, 1080]);
    });
    await t.step("capture() of the left monitor grabs from the negative origin", async () => {
      await driver.capture({ display_id: "1", format: "png", downscale: false });
      assertEquals(d.grabs.at(-1), { x: -1280, y: 0, width: 1280, height: 1024, flags: 0 });
    });
    await t.step("capture() with the pointer asks the DLL to draw it", async () => {
      await driver.capture({ display_id: "2", cursor: true, format: "jpeg", downscale: false });
      assertEquals(d.grabs.at(-1), { x: 0, y: 0, width: 1920, height: 1080, flags: 1 });
    });
    await t.step("capture() of a region grabs region + origin", async () => {
      await driver.capture({ region: { x: 1300, y: 10, width: 40, height: 30 }, format: "png" });
      const g = d.grabs.at(-1)!;
      assertEquals([g.x, g.y, g.width, g.height], [20, 10, 40, 30]);
    });
    await t.step("windows() reports bounds in desktop pixels and the exe as app", async () => {
      const [w] = await driver.windows();
      assertEquals(w?.bounds, { x: 280, y: 120, width: 640, height: 480 });
      assertEquals([w?.id, w?.app_name, w?.pid, w?.workspace], ["65580", "notepad", 4100, null]);
    });
    await t.step("moveWindow() gives the DLL virtual-screen bounds", async () => {
      await driver.moveWindow("65580", { x: 0, y: 0, width: 300, height: 200 });
      const args = fake.callsOf("od_windows_move").at(-1)!;
      assertEquals(args.slice(1), [65580, -1280, 0, 300, 200]);
    });
  });
});

Deno.test("Win32Driver input marshalling", async (t) => {
  await withDriver(async (driver, fake) => {
    const d = fake.desktop;
    const cases: { name: string; text: string; codepoints: number[] }[] = [
      { name: "ASCII", text: "Hi", codepoints: [0x48, 0x69] },
      {
        name: "an emoji is one code point (a surrogate pair in UTF-16)",
        text: "a😀",
        codepoints: [0x61, 0x1f600],
      },
      { name: "CRLF becomes one line break", text: "x\r\ny", codepoints: [0x78, 0x0a, 0x79] },
    ];
    for (const c of cases) {
      await t.step(`text(): ${c.name}`, async () => {
        d.typed.length = 0;
        await driver.text({ text: c.text, interval_ms: 0 });
        assertEquals(d.typed, c.codepoints);
      });
    }
    await t.step("key() with a modifier presses ctrl, the key, and releases both", async () => {
      d.keys.length = 0;
      await driver.key(KeyEventSchema.parse({ action: "down", keysym: "c", modifiers: ["ctrl"] }));
      assertEquals(d.keys, [[0xffe3, true], [0x63, true], [0xffe3, false]]);
    });
    await t.step("scroll up 2 and right 1 are wheel buttons 4 and 7", async () => {
      d.buttons.length = 0;
      await driver.pointer(
        PointerEventSchema.parse({ action: "scroll", point: { x: 1, y: 1 }, dy: 2, dx: 1 }),
      );
      assertEquals(d.buttons, [[4, true], [4, false], [4, true], [4, false], [7, true], [
        7,
        false,
      ]]);
    });
    await t.step("a control character is refused before the DLL is called", async () => {
      const before = fake.callsOf("od_input_text").length;
      await assertRejects(
        () => driver.text({ text: "a\u0007", interval_ms: 0 }),
        RemoteError,
        "U+0007",
      );
      assertEquals(fake.callsOf("od_input_text").length, before);
    });
  });
});

Deno.test("Win32Driver clipboard entries travel by MIME name", async () => {
  await withDriver(async (driver, fake) => {
    const html = new TextEncoder().encode("<b>bold</b>");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await driver.clipboardWrite({
      entries: [
        { mime_type: "text/plain;charset=utf-8", data: new TextEncoder().encode("bold") },
        { mime_type: "text/html", data: html },
        { mime_type: "image/png", data: png },
      ],
    });
    assertEquals([...fake.desktop.clipboard.keys()], [
      "text/plain;charset=utf-8",
      "text/html",
      "image/png",
    ]);
    const read = await driver.clipboardRead();
    assertEquals(read.entries.map((e) => e.mime_type), [
      "text/plain;charset=utf-8",
      "text/html",
      "image/png",
    ]);
    assertEquals(read.entries[2]?.data, png);
    fake.desktop.clipboard.clear();
    assertEquals((await driver.clipboardRead()).entries, []);
  });
});

Deno.test("Win32Driver apps are job objects", async (t) => {
  await withDriver(async (driver, fake) => {
    const d = fake.desktop;
    await t.step("openApp() launches into a job that does not kill on close", async () => {
      await driver.openApp("calc");
      const [flags] = fake.callsOf("od_job_create").at(-1)!;
      assertEquals(flags, 0);
      assertEquals(fake.callsOf("od_app_wait_window").length, 1);
      assert((await driver.listApps()).includes("calc"));
    });
    await t.step("closeApp() closes through the job and frees it", async () => {
      await driver.closeApp("calc");
      assert(!d.processes.has(5200), "calc ended");
      assert(!(await driver.listApps()).includes("calc"));
      assert([...d.jobs.values()].every((j) => j.destroyed), "every job released");
    });
    await t.step("closeApp() of an app not started here assigns its pid to a job", async () => {
      await driver.closeApp("notepad");
      assertEquals(fake.callsOf("od_job_assign").at(-1)?.[1], 4100);
      assert(!d.processes.has(4100));
    });
    await t.step("openApp() of an unknown program is not_found", async () => {
      await assertRejects(() => driver.openApp("nosuchprogram"), RemoteError, "No app");
    });
    await t.step("closeApp() of an app without windows is not_found", async () => {
      await assertRejects(() => driver.closeApp("nosuchprogram"), RemoteError, "No window");
    });
  });
});

Deno.test("Win32Driver UI Automation: bounds in desktop pixels, actions by ref", async () => {
  await withDriver(async (driver, fake) => {
    const tree = await driver.uiTree({ refs: true });
    assertEquals(tree.bounds, { x: 272, y: 89, width: 656, height: 519 });
    assertEquals(tree.children[0]?.bounds, { x: 290, y: 130, width: 80, height: 24 });
    await driver.performUiAction({ ref: "65580|2a.1002c.4", action: "invoke" });
    await driver.performUiAction({
      element: {
        role: "push button",
        name: "Save",
        bounds: { x: 290, y: 130, width: 80, height: 24 },
      },
    });
    assertEquals(fake.desktop.uiaActions.map((a) => a.ref), [
      "65580|2a.1002c.4",
      "65580|2a.1002c.4",
    ]);
  });
});

Deno.test("Win32Driver says why a capability is absent", async (t) => {
  const desktop = new FakeWin32Desktop();
  desktop.uiaTree = null;
  await withDriver(async (driver) => {
    const cases = [
      {
        call: () => driver.notifications(),
        cap: "notifications.list",
        reason: "toasts|notifications",
      },
      { call: () => driver.uiTree(), cap: "ui.tree", reason: "CUIAutomation" },
      {
        call: async () => {
          for await (const _ of driver.subscribeInput()) break;
        },
        cap: "input.pointer",
        reason: "hook",
      },
    ];
    for (const c of cases) {
      await t.step(c.cap, async () => {
        const error = await c.call().then(() => null, (e: unknown) => e);
        assert(error instanceof CapabilityUnsupportedError, `${error}`);
        assertEquals(error.capability, c.cap);
        assert(new RegExp(c.reason).test(error.message), error.message);
      });
    }
  }, desktop);
});

Deno.test("Win32Driver turns Windows refusals into wire errors and locks the session", async () => {
  const desktop = new FakeWin32Desktop();
  desktop.focusRefused = true;
  await withDriver(async (driver, fake) => {
    const error = await driver.focusWindow("65580").catch((e) => e);
    assert(error instanceof RemoteError && error.code === "permission_denied", `${error}`);
    assert(error.message.includes("foreground"), error.message);
    await driver.lockScreen();
    assert(fake.desktop.locked);
  }, desktop);
});
