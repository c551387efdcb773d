import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import {
  parseWindowId,
  toWindow,
  type X11WindowInfo,
  X11Windows,
} from "../../../../src/computer/drivers/x11/x11_windows.ts";
import { activeWindow, eventually, skipDesktop, withDesktop } from "./_desktop_fixture.ts";

/** xwininfo's view of a window: absolute position and size. */
async function xwininfo(run: (c: string, a: string[]) => Promise<string>, id: number) {
  const out = await run("xwininfo", ["-id", String(id)]);
  const num = (label: string) => Number(new RegExp(`${label}:\\s+(-?\\d+)`).exec(out)?.[1]);
  return {
    x: num("Absolute upper-left X"),
    y: num("Absolute upper-left Y"),
    width: num("Width"),
    height: num("Height"),
  };
}

Deno.test("parseWindowId() accepts decimal and hex X ids and rejects the rest", () => {
  const cases: Array<{ input: string; expected: number | null }> = [
    { input: "4194307", expected: 4194307 },
    { input: "0x400003", expected: 0x400003 },
    { input: "0", expected: null },
    { input: "-5", expected: null },
    { input: "abc", expected: null },
    { input: "1.5", expected: null },
    { input: "4294967296", expected: null },
  ];
  for (const { input, expected } of cases) {
    if (expected === null) {
      let error: unknown;
      try {
        parseWindowId(input);
      } catch (e) {
        error = e;
      }
      assert(error instanceof RemoteError && error.code === "invalid_argument", input);
    } else {
      assertEquals(parseWindowId(input), expected);
    }
  }
});

Deno.test("toWindow() maps a shim window to the wire Window", () => {
  const info: X11WindowInfo = {
    id: 42,
    title: "T",
    instance: "inst",
    class: "Klass",
    pid: 0,
    x: 1,
    y: 2,
    width: 3,
    height: 4,
    frame: [0, 0, 0, 0],
    minimized: true,
    desktop: -1,
    focused: false,
  };
  assertEquals(toWindow(info), {
    id: "42",
    title: "T",
    app_name: "Klass",
    pid: null,
    bounds: { x: 1, y: 2, width: 3, height: 4 },
    focused: false,
    minimized: true,
    workspace: null,
  });
  assertEquals(toWindow({ ...info, desktop: 2, pid: 7 }).workspace, "2");
});

Deno.test({
  name: "X11Windows.list() reports the ids, titles, classes, pids and bounds X clients see",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, spawnApp, run }) => {
      const app = await spawnApp(["--windows", "2", "--title", "Wintest é", "--wm-class", "wtest"]);
      const windows = await X11Windows.open(display);
      try {
        // Wait for the settled desktop, not for a count of windows: both windows managed, one of
        // them focused by the window manager, and each where X says it is (the manager places
        // and decorates a window after it appears in its client list).
        const mine = await eventually(
          async () => {
            const all = (await windows.list()).filter((w) => w.pid === app.pid);
            if (all.length !== 2) return undefined;
            const active = await activeWindow(run);
            if (!all.some((w) => w.id === active)) return undefined;
            for (const w of all) {
              const geo = await xwininfo(run, w.id);
              if (
                w.x !== geo.x || w.y !== geo.y || w.width !== geo.width || w.height !== geo.height
              ) {
                return undefined;
              }
            }
            return all;
          },
          10_000,
          "both windows managed, one focused, geometry settled",
        );
        const xdotoolIds = (await run("xdotool", ["search", "--classname", "wtest"])).trim()
          .split("\n").map(Number);
        for (const w of mine) {
          assert(xdotoolIds.includes(w.id), `xdotool knows window ${w.id}`);
          assert(w.title.startsWith("Wintest é"), w.title);
          assertEquals([w.instance, w.class], ["wtest", "Wtest"]);
          const pidProp = await run("xprop", ["-id", String(w.id), "_NET_WM_PID"]);
          assertEquals(Number(pidProp.split("=")[1]), app.pid);
          const geo = await xwininfo(run, w.id);
          assertEquals({ x: w.x, y: w.y, width: w.width, height: w.height }, geo);
          assertEquals(w.desktop, 0);
        }
        const active = await activeWindow(run);
        assertEquals(mine.filter((w) => w.focused).map((w) => w.id), [active]);
      } finally {
        await windows.close();
      }
    }),
});

Deno.test({
  name: "X11Windows focus(), move() and requestClose() act as the window manager reports",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, spawnApp, run }) => {
      const app = await spawnApp(["--windows", "2", "--title", "Acts"]);
      const windows = await X11Windows.open(display);
      try {
        const [a, b] = await eventually(async () => {
          const all = (await windows.list()).filter((w) => w.pid === app.pid);
          return all.length === 2 ? all : undefined;
        });
        const target = (await windows.active()) === a!.id ? b! : a!;
        await run("xdotool", ["windowminimize", "--sync", String(target.id)]);
        await eventually(async () =>
          (await windows.list()).find((w) => w.id === target.id)?.minimized ? true : undefined
        );
        await windows.focus(target.id);
        await eventually(async () => (await activeWindow(run)) === target.id ? true : undefined);
        const after = (await windows.list()).find((w) => w.id === target.id)!;
        assertEquals([after.minimized, after.focused], [false, true]);

        await windows.move(target.id, { x: 100, y: 120, width: 300, height: 200 });
        await eventually(async () => {
          const g = await xwininfo(run, target.id);
          return g.x === 100 && g.y === 120 && g.width === 300 && g.height === 200
            ? true
            : undefined;
        });

        await windows.requestClose(target.id);
        await eventually(async () =>
          (await windows.list()).some((w) => w.id === target.id) ? undefined : true
        );
      } finally {
        await windows.close();
      }
    }),
});

Deno.test({
  name: "X11Windows.focus() of a window that vanished after list() is not_found",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, spawnApp }) => {
      const app = await spawnApp(["--title", "Gone"]);
      const windows = await X11Windows.open(display);
      try {
        const [w] = await eventually(async () => {
          const all = (await windows.list()).filter((x) => x.pid === app.pid);
          return all.length === 1 ? all : undefined;
        });
        await app.kill();
        await eventually(async () =>
          (await windows.list()).some((x) => x.id === w!.id) ? undefined : true
        );
        for (const act of [() => windows.focus(w!.id), () => windows.requestClose(w!.id)]) {
          const error = await assertRejects(act, RemoteError);
          assertEquals(error.code, "not_found");
        }
        const error = await assertRejects(
          () => windows.move(w!.id, { x: 0, y: 0, width: 10, height: 10 }),
          RemoteError,
        );
        assertEquals(error.code, "not_found");
        assertEquals((await windows.list()).some((x) => x.id === w!.id), false, "list still works");
      } finally {
        await windows.close();
      }
    }),
});
