/**
 * The Wayland driver against a real headless sway, a private session bus and
 * a GTK app, each result checked with the compositor's own tools (grim,
 * swaymsg, wl-paste) or by what the app received.
 */

import { assert, assertEquals, assertMatch, assertRejects } from "../../../remote/_assert.ts";
import { CapabilityUnsupportedError, RemoteError } from "../../../../src/protocol/errors.ts";
import { WaylandDriver } from "../../../../src/computer/drivers/wayland/wayland_driver.ts";
import { KeyEventSchema, PointerEventSchema } from "../../../../src/computer/types/input.ts";
import { skipSway, type Sway, withHeadlessSway } from "../../../native/wayland/_sway_fixture.ts";
import { eventually, startBus } from "../x11/_desktop_fixture.ts";
import { spawnLines } from "./_serve_on_sway.ts";

const PROBE = new URL("../../../native/wayland/gtk_probe.py", import.meta.url).pathname;
const decoder = new TextDecoder();

async function run(env: Record<string, string>, argv: string[]): Promise<string> {
  const out = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${argv.join(" ")}: ${decoder.decode(out.stderr)}`);
  return decoder.decode(out.stdout);
}

interface SwayNode {
  id: number;
  name: string | null;
  app_id?: string | null;
  type: string;
  focused: boolean;
  rect: { x: number; y: number; width: number; height: number };
  nodes?: SwayNode[];
  floating_nodes?: SwayNode[];
}

async function swayViews(sway: Sway): Promise<SwayNode[]> {
  const walk = (n: SwayNode, out: SwayNode[]): SwayNode[] => {
    const kids = [...n.nodes ?? [], ...n.floating_nodes ?? []];
    if ((n.type === "con" || n.type === "floating_con") && kids.length === 0) out.push(n);
    for (const k of kids) walk(k, out);
    return out;
  };
  return walk(JSON.parse(await run(sway.env, ["swaymsg", "-t", "get_tree"])), []);
}

const key = (keysym: string, action: "down" | "up", modifiers: string[] = []) =>
  KeyEventSchema.parse({ action, keysym, modifiers });

Deno.test({
  name:
    "WaylandDriver on headless sway: capture, chords, scroll, apps, windows, clipboard, UI, lock",
  ignore: skipSway,
  sanitizeResources: false,
  fn: (t) =>
    withHeadlessSway(async (sway) => {
      const bus = await startBus();
      const env = { ...sway.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
      const driver = await WaylandDriver.open({
        display: sway.socket,
        sessionBusAddress: bus.address,
        env,
      });
      const probe = spawnLines(["/usr/bin/python3", PROBE], env);
      try {
        await probe.line(/^ready$/, "the GTK probe");
        const typed = async (want: string) =>
          await eventually(async () => {
            await probe.send("dump");
            const got = JSON.parse(await probe.line(/^"/, "the entry's text"));
            return got === want ? got : undefined;
          });

        await t.step("capture() of a region, as JPEG, downscaled, with the cursor", async () => {
          const region = { x: 100, y: 100, width: 400, height: 300 };
          const shot = await driver.capture({ region, format: "jpeg", max_width: 200 });
          assertEquals(
            [shot.width, shot.height, shot.logical_width, shot.logical_height],
            [200, 150, 400, 300],
          );
          assertEquals([...shot.data.subarray(0, 2)], [0xff, 0xd8]);
          const withCursor = await driver.capture({ cursor: true, downscale: false });
          assertEquals([withCursor.width, withCursor.height], [1920, 1080]);
          const frame = await driver.subscribeDisplay({ region, delta: true })[
            Symbol.asyncIterator
          ]().next();
          assertEquals(frame.value?.keyframe, true);
          assertEquals(frame.value?.pixmap.logical_width, 400);
          const outside = await assertRejects(
            () => driver.capture({ region: { x: 5000, y: 5000, width: 10, height: 10 } }),
            RemoteError,
          );
          assertEquals(outside.code, "invalid_argument");
        });

        await t.step("pixel() equals grim's pixel at the same point", async () => {
          const ppm = await new Deno.Command("grim", {
            args: ["-g", "960,540 1x1", "-t", "ppm", "-"],
            env: sway.env,
            clearEnv: true,
            stdout: "piped",
          }).output();
          const rgb = ppm.stdout.subarray(ppm.stdout.length - 3);
          assertEquals(await driver.pixel({ x: 960, y: 540 }), { r: rgb[0], g: rgb[1], b: rgb[2] });
        });

        await t.step("key() chords: Shift+a types 'A', Ctrl+a then BackSpace empties", async () => {
          await probe.send("clear");
          await driver.key(key("a", "down", ["shift"]));
          await driver.key(key("a", "up", ["shift"]));
          await typed("A");
          await driver.text({ text: "bc", interval_ms: 0 });
          await typed("Abc");
          await driver.key(key("a", "down", ["ctrl"]));
          await driver.key(key("a", "up", ["ctrl"]));
          await driver.key(key("BackSpace", "down"));
          await driver.key(key("BackSpace", "up"));
          await typed("");
          assertEquals(driver.connection.modifierState().mods, 0);
        });

        await t.step("pointer() scroll reaches the app as wheel steps", async () => {
          const point = { x: 960, y: 700 };
          await driver.pointer(PointerEventSchema.parse({ action: "scroll", point, dy: 1 }));
          await probe.line(/^scroll up$/, "a wheel step up");
          await driver.pointer(PointerEventSchema.parse({ action: "scroll", point, dy: -1 }));
          await probe.line(/^scroll down$/, "a wheel step down");
        });

        await t.step(
          "openApp() waits for the new toplevel; move, focus, close as swaymsg sees",
          async () => {
            await driver.openApp("foot");
            const foot = (await driver.windows()).find((w) => w.app_name === "foot");
            assert(foot, "foot's toplevel is listed once openApp resolved");
            assert((await driver.listApps()).includes("foot"));
            const bounds = { x: 100, y: 80, width: 640, height: 400 };
            await driver.moveWindow(foot.id, bounds);
            const moved = (await swayViews(sway)).find((v) => v.app_id === "foot")!;
            assertEquals(moved.rect, bounds);
            assertEquals((await driver.windows()).find((w) => w.id === foot.id)?.bounds, bounds);
            const gtk = (await driver.windows()).find((w) => w.title === "opendesk wayland probe")!;
            await driver.focusWindow(gtk.id);
            assertEquals((await swayViews(sway)).find((v) => v.focused)?.name, gtk.title);
            await driver.closeWindow(foot.id);
            await eventually(async () =>
              (await swayViews(sway)).some((v) => v.app_id === "foot") ? undefined : true
            );
          },
        );

        await t.step("clipboardWrite() with several types; wl-paste reads each", async () => {
          const html = "<b>bold ✓</b>";
          await driver.clipboardWrite({
            entries: [
              { mime_type: "text/plain;charset=utf-8", data: new TextEncoder().encode("plain ✓") },
              { mime_type: "text/html", data: new TextEncoder().encode(html) },
            ],
          });
          const types = (await run(sway.env, ["wl-paste", "--list-types"])).split("\n");
          assert(types.includes("text/html") && types.includes("text/plain"), types.join());
          assertEquals(await run(sway.env, ["wl-paste", "-n", "-t", "text/html"]), html);
          assertEquals(await run(sway.env, ["wl-paste", "-n", "-t", "text/plain"]), "plain ✓");
          const back = await driver.clipboardRead();
          assertEquals(back.entries.map((e) => e.mime_type), [
            "text/plain;charset=utf-8",
            "text/html",
          ]);
        });

        await t.step("subscribeInput() is absent, saying why", async () => {
          const error = await assertRejects(
            () => driver.subscribeInput()[Symbol.asyncIterator]().next(),
            CapabilityUnsupportedError,
          );
          assertMatch(error.message, /no Wayland protocol lets a client observe the input/);
        });

        await t.step("uiTree() of the focused GTK window through AT-SPI", async () => {
          assert(driver.capabilities().includes("ui.tree"), driver.absences()["ui.tree"]);
          const tree = await driver.uiTree({ app: "opendesk-gtk-probe" });
          assertMatch(JSON.stringify(tree), /opendesk wayland probe/);
        });

        await t.step(
          "a second output: displays(), capture and pixel follow sway's layout",
          async () => {
            await run(sway.env, ["swaymsg", "create_output"]);
            await run(sway.env, [
              "swaymsg",
              "output HEADLESS-2 resolution 800x600 position 1920 0",
            ]);
            // sway places the new output first and applies the mode after: wait for the final layout.
            const displays = await eventually(async () => {
              const list = await driver.displays();
              const second = list[1]?.bounds;
              return second?.x === 1920 && second.width === 800 && second.height === 600
                ? list
                : undefined;
            });
            assertEquals(displays.map((d) => [d.id, d.name, d.bounds]), [
              ["1", "HEADLESS-1", { x: 0, y: 0, width: 1920, height: 1080 }],
              ["2", "HEADLESS-2", { x: 1920, y: 0, width: 800, height: 600 }],
            ]);
            assert(driver.capabilities().includes("display.multi_monitor"));
            const shot = await driver.capture({ display_id: "2", downscale: false });
            assertEquals([shot.width, shot.height, shot.display_id], [800, 600, "2"]);
            const ppm = await new Deno.Command("grim", {
              args: ["-g", "2300,300 1x1", "-t", "ppm", "-"],
              env: sway.env,
              clearEnv: true,
              stdout: "piped",
            }).output();
            const rgb = ppm.stdout.subarray(ppm.stdout.length - 3);
            assertEquals(await driver.pixel({ x: 2300, y: 300 }), {
              r: rgb[0],
              g: rgb[1],
              b: rgb[2],
            });
          },
        );

        await t.step("lockScreen() locks with swaylock: the screen turns white", async () => {
          assert(driver.capabilities().includes("power.lock"), driver.absences()["power.lock"]);
          await driver.lockScreen();
          assertEquals(await driver.pixel({ x: 960, y: 540 }), { r: 255, g: 255, b: 255 });
        });
      } finally {
        await probe.stop();
        await driver.close();
        bus.child.kill("SIGTERM");
        await bus.child.status;
      }
    }),
});
