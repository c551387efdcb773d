/**
 * `opendesk mcp` on a real X server (a private Xvfb), driven by the SDK
 * client over stdio: a click given in image space lands on the screen pixel
 * the image pixel shows, at scales 1.0, 0.5 and 0.41 (checked by an X
 * client that reports the button press); typed text arrives as key events;
 * a `ui` ref click activates a GTK button through AT-SPI, and a `ui` focus
 * moves the keyboard focus so that typed text reaches the focused entry.
 */
import { assert, assertEquals } from "../cli/_util/assert.ts";
import { skipX11, startClient, withXvfb } from "../computer/drivers/x11/_x11_fixture.ts";
import { skipDesktop, withDesktop } from "../computer/drivers/x11/_desktop_fixture.ts";
import { decodePng } from "../computer/drivers/x11/_png_decode.ts";
import { assertStringIncludes, imageOf, listTools, startStdio, textOf } from "./_harness.ts";

Deno.test({
  name:
    "opendesk mcp on Xvfb: image-space clicks land on the right screen pixel at scales 1.0, 0.5 and 0.41; typed text arrives",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const events = await startClient(xvfb.display, ["events"]);
      const child = await startStdio({
        fake: false,
        args: ["--approve", "auto", "--no-audit", "--target", "local"],
        env: { DISPLAY: xvfb.display },
      });
      try {
        const targets = [[637, 411], [0, 0], [1279, 719], [301, 77]] as const;
        const pressesAfter = (from: number) =>
          events.lines.slice(from).filter((l) => l.startsWith("button press 1 "));
        for (const scale of [1, 0.5, 0.41]) {
          const shot = await child.call("screenshot", { scale });
          const text = textOf(shot);
          const m = /Screenshot (\d+)x(\d+) PNG .*area 1280x720 at \(0, 0\); scale ([\d.]+) /.exec(
            text,
          );
          assert(m, text);
          assertEquals(imageOf(shot)?.mimeType, "image/png");
          const [iw, ih] = [Number(m[1]), Number(m[2])];
          assert(Math.abs(iw / 1280 - scale) < 0.01, `image width ${iw} for scale ${scale}`);
          for (const [sx, sy] of targets) {
            // The image pixel that shows the target screen pixel, as the model would read it.
            const ix = Math.floor((sx * iw) / 1280);
            const iy = Math.floor((sy * ih) / 720);
            const before = events.lines.length;
            const r = await child.call("computer", { action: "left_click", coordinate: [ix, iy] });
            assert(!r.isError, textOf(r));
            await events.waitFor(() => pressesAfter(before).length > 0);
            const press = pressesAfter(before)[0]!;
            const [, , , px, py] = press.split(" ").map(Number);
            // The press is on a screen pixel that image pixel (ix, iy) shows …
            assertEquals(Math.floor((px! * iw) / 1280), ix, `x at scale ${scale}: ${press}`);
            assertEquals(Math.floor((py! * ih) / 720), iy, `y at scale ${scale}: ${press}`);
            // … within one image pixel's footprint of the target, and where the tool said.
            assert(Math.abs(px! - sx) <= Math.ceil(1280 / iw), `${px} vs ${sx} at ${scale}`);
            assertStringIncludes(textOf(r), `= screen (${px}, ${py})`);
            const pos = textOf(await child.call("computer", { action: "cursor_position" }));
            assertStringIncludes(
              pos,
              `image (${ix}, ${iy}) of the last screenshot = screen (${px}, ${py})`,
            );
          }
        }
        const before = events.lines.length;
        const typed = await child.call("computer", { action: "type", text: "Hi there" });
        assert(!typed.isError, textOf(typed));
        const keysyms = () =>
          events.lines.slice(before).filter((l) => l.startsWith("key press ")).map((l) =>
            l.split(" ")[2]
          )
            .filter((k) => k !== "ffe1");
        const expected = ["48", "69", "20", "74", "68", "65", "72", "65"];
        await events.waitFor(() => keysyms().length >= expected.length);
        assertEquals(keysyms(), expected);
        const k = events.lines.length;
        await child.call("computer", { action: "key", text: "ctrl+a" });
        await events.waitFor((l) =>
          events.lines.indexOf(l) >= k && l.startsWith("key press 61 4 ")
        );
        // The default encoding is the compact palette PNG, exact for a screen of few colours;
        // lossless: true gives the RGB PNG of the same pixels.
        const compact = await child.call("screenshot", { scale: 0.5 });
        assertStringIncludes(textOf(compact), "PNG with at most 256 colours");
        const exact = await child.call("screenshot", { scale: 0.5, lossless: true });
        assertStringIncludes(textOf(exact), " PNG (");
        const bytesOf = (r: typeof exact) =>
          Uint8Array.from(atob(imageOf(r)!.data), (c) => c.charCodeAt(0));
        const [c, e] = [bytesOf(compact), bytesOf(exact)];
        assertEquals([c[25], e[25]], [3, 2], "PNG colour types: palette, RGB");
        assertEquals(decodePng(c).rgba, decodePng(e).rgba);
      } finally {
        await child.close();
        await events.stop();
      }
    }, { width: 1280, height: 720 }),
});

Deno.test({
  name:
    "opendesk mcp on a desktop: a ui ref click activates a GTK button; set_text fills an entry; focus moves the keyboard focus (typed text arrives)",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ env, spawnApp, run }) => {
      const app = await spawnApp(["--title", "MCP test", "--buttons", "2", "--entry"]);
      // The accessibility bus answers before the MCP server probes it (a slow start would
      // leave ui.tree out of its manifest).
      await run("dbus-send", [
        "--session",
        "--print-reply",
        "--reply-timeout=60000",
        "--dest=org.a11y.Bus",
        "/org/a11y/bus",
        "org.a11y.Bus.GetAddress",
      ]);
      const child = await startStdio({
        fake: false,
        args: ["--approve", "auto", "--no-audit"],
        env: { DISPLAY: env.DISPLAY!, DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS! },
      });
      try {
        const listed = (await listTools(child.client)).map((t) => t.name);
        assert(listed.includes("ui"), `ui is listed: ${listed.join(", ")}`);
        const tree = textOf(await child.call("ui", { action: "tree", app: "odtest" }));
        const button = /\[(\S+)\] push button "Button 1"/.exec(tree);
        assert(button, tree);
        const r = await child.call("ui", { action: "click", ref: button[1] });
        assert(!r.isError, textOf(r));
        await app.waitFor((l) => l === "clicked Button 1");
        const entry = /\[(\S+)\] text\b/.exec(tree);
        assert(entry, tree);
        const set = await child.call("ui", { action: "set_text", ref: entry[1], text: "from mcp" });
        assert(!set.isError, textOf(set));
        await app.waitFor((l) => l === "text from mcp");
        // focus: the keyboard focus moves to a button, then back to the entry, which then
        // receives the typed text.
        const focusedLine = (t: string, what: RegExp) =>
          t.split("\n").find((l) => what.test(l)) ?? "";
        const toButton = await child.call("ui", { action: "focus", ref: button[1] });
        assert(!toButton.isError, textOf(toButton));
        const onButton = textOf(await child.call("ui", { action: "tree", app: "odtest" }));
        assert(/ focused\b/.test(focusedLine(onButton, /push button "Button 1"/)), onButton);
        assert(!/ focused\b/.test(focusedLine(onButton, /\] text\b/)), onButton);
        const toEntry = await child.call("ui", { action: "focus", ref: entry[1] });
        assert(!toEntry.isError, textOf(toEntry));
        assertStringIncludes(textOf(toEntry), `Moved the keyboard focus to element ${entry[1]}`);
        const onEntry = textOf(await child.call("ui", { action: "tree", app: "odtest" }));
        assert(/ focused\b/.test(focusedLine(onEntry, /\] text\b/)), onEntry);
        const typed = await child.call("computer", { action: "type", text: "typed" });
        assert(!typed.isError, textOf(typed));
        await app.waitFor((l) => l.startsWith("text ") && l.endsWith("typed"));
        const marked = await child.call("screenshot", { marks: true });
        assert(!marked.isError, textOf(marked));
        assertStringIncludes(textOf(marked), 'push button "Button 1" ref');
        assertEquals(imageOf(marked)?.mimeType, "image/png");
        const found = await child.call("wait_for", { window_title: "MCP test", timeout: 5 });
        assert(!found.isError, textOf(found));
      } finally {
        await child.close();
      }
    }, { dbus: true }),
});
