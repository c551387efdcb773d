import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { CapabilityUnsupportedError } from "../../../../src/protocol/errors.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import type { UIElement } from "../../../../src/computer/types/ui_element.ts";
import { eventually, skipDesktop, withDesktop } from "./_desktop_fixture.ts";

function* walk(el: UIElement): Generator<UIElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

Deno.test({
  name: "NativeComputer serves windows, UI tree, UI actions and input events of a real session",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, busAddress, spawnApp, run }) => {
      const app = await spawnApp(["--title", "Computer test", "--buttons", "2", "--entry"]);
      const computer = await NativeComputer.open({ display, sessionBusAddress: busAddress });
      try {
        const caps = computer.capabilities().capabilities;
        for (
          const c of [
            "windows.list",
            "windows.manipulate",
            "app.lifecycle",
            "clipboard.read",
            "clipboard.write",
            "ui.tree",
            "ui.actions",
            "notifications.list",
          ] as const
        ) assert(caps.includes(c), `advertises ${c}`);
        const win = await eventually(async () =>
          (await computer.windows()).find((w) => w.pid === app.pid)
        );
        assertEquals([win.title, win.app_name], ["Computer test", "Odtest"]);
        await computer.focusWindow(win.id);
        assertEquals((await computer.focusedWindow())?.id, win.id);

        const tree = await eventually(() =>
          computer.uiTree({ window_id: win.id }).catch(() => undefined)
        );
        assertEquals([tree.role, tree.name, tree.metadata.app], [
          "frame",
          "Computer test",
          "odtest",
        ]);
        assertEquals(tree.ref, undefined);
        const button = [...walk(tree)].find((e) => e.name === "Button 1")!;
        await computer.performUiAction({ element: button });
        await app.waitFor((l) => l === "clicked Button 1");

        const slim = await computer.uiTree({ app: "odtest", refs: true, interactive_only: true });
        const all = [...walk(slim)];
        assert(all.every((e) => e.ref !== undefined || e.role === "…"), "every element has a ref");
        const leaves = all.filter((e) => e.children.length === 0 && e.role !== "…");
        assert(leaves.every((e) => e.actions.length > 0), "only interactive leaves remain");
        const second = all.find((e) => e.name === "Button 0")!;
        await computer.performUiAction({ ref: second.ref!, action: "click" });
        await app.waitFor((l) => l === "clicked Button 0");

        const entry = all.find((e) => e.role === "text");
        assert(entry?.ref, "the entry is listed with a ref");
        await computer.performUiAction({
          ref: entry.ref,
          action: "set_text",
          text: "set over ui.action",
        });
        await app.waitFor((l) => l === "text set over ui.action");

        const controller = new AbortController();
        const seen = (async () => {
          for await (const e of computer.subscribeInput({ signal: controller.signal })) {
            if ("keysym" in e && e.keysym === "z") return e;
          }
          return undefined;
        })();
        // The subscription starts at a moment the test cannot see: press z until it is seen.
        let found = false;
        void seen.then(() => (found = true));
        const deadline = Date.now() + 30_000;
        while (!found) {
          if (Date.now() > deadline) throw new Error("subscribeInput never saw the z key");
          await run("xdotool", ["key", "z"]);
          await Promise.race([seen, new Promise((r) => setTimeout(r, 250))]);
        }
        const z = await seen;
        controller.abort();
        assertEquals([z?.action, z?.char], ["down", "z"]);
      } finally {
        await computer.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "NativeComputer without a session bus leaves out ui.* and notifications.list honestly",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display }) => {
      const computer = await NativeComputer.open({
        display,
        sessionBusAddress: "unix:path=/nonexistent/opendesk-bus",
      });
      try {
        const caps = computer.capabilities().capabilities;
        assert(caps.includes("windows.list") && caps.includes("clipboard.read"));
        assertEquals(caps.filter((c) => c.startsWith("ui.") || c.startsWith("notif")), []);
        const error = await assertRejects(() => computer.uiTree(), CapabilityUnsupportedError);
        assertEquals(error.capability, "ui.tree");
        await assertRejects(() => computer.notifications(), CapabilityUnsupportedError);
      } finally {
        await computer.close();
      }
    }),
});
