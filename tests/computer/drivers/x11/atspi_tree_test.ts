import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import {
  type AtspiNode,
  AtspiTree,
  toUIElement,
} from "../../../../src/computer/drivers/x11/atspi_tree.ts";
import { eventually, skipDesktop, withDesktop, within } from "./_desktop_fixture.ts";

function* nodes(node: AtspiNode): Generator<AtspiNode> {
  yield node;
  for (const child of node.children) yield* nodes(child);
}

function find(root: AtspiNode, role: string, name: string): AtspiNode | undefined {
  return [...nodes(root)].find((n) => n.role === role && n.name === name);
}

/**
 * Opens AT-SPI on the private bus once that bus accepts a connection (on a
 * loaded machine the accessibility bus may refuse the first ones although
 * org.a11y.Bus already answered), then waits until the app is registered.
 */
async function openReady(bus: string, app: string): Promise<AtspiTree> {
  let last: unknown;
  const atspi = await eventually(
    () => AtspiTree.open(bus).catch((error) => void (last = error)),
    30_000,
    "the accessibility bus to accept a connection",
  ).catch((error) => {
    throw new Error(`${error.message}; last error: ${last}`, { cause: error });
  });
  await eventually(() => atspi.walk({ app, maxDepth: 1 }).then(() => true, () => undefined));
  return atspi;
}

Deno.test({
  name: "AtspiTree.walk() reports roles, names, bounds, actions and values of a GTK window",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp, run }) => {
      const app = await spawnApp(["--title", "Tree test", "--buttons", "3", "--entry"]);
      const atspi = await openReady(busAddress, "odtest");
      try {
        const walk = await atspi.walk({ pid: app.pid, title: "Tree test" });
        assertEquals([walk.app, walk.tree.role, walk.tree.name], ["odtest", "frame", "Tree test"]);
        assertEquals(walk.truncated, null);
        const button = find(walk.tree, "push button", "Button 1");
        assert(button !== undefined, "the button is in the tree");
        assert(button.actions.includes("click"), `actions: ${button.actions}`);
        assert(button.ref !== null && button.ref.includes("|/"), `ref ${button.ref}`);
        const entry = [...nodes(walk.tree)].find((n) => n.role === "text" && n.editable);
        assertEquals(entry?.value, "initial");
        // The frame's bounds match the window's client area plus decorations as X reports it.
        const id = (await run("xdotool", ["search", "--pid", String(app.pid)])).trim().split("\n")
          .pop()!;
        const info = await run("xwininfo", ["-id", id]);
        const x = Number(/Absolute upper-left X:\s+(-?\d+)/.exec(info)?.[1]);
        const [bx, , bw] = walk.tree.bounds!;
        assert(Math.abs(bx - x) <= 2, `frame x ${bx} vs window x ${x}`);
        assert(bw >= 400, `frame width ${bw}`);
        const el = toUIElement(walk, { refs: true });
        assertEquals(el.metadata, { app: "odtest" });
        assert(el.ref !== undefined);
        assertEquals(toUIElement(walk).ref, undefined);
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "AtspiTree.walk() marks truncation by depth and by node cap",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const app = await spawnApp(["--title", "Deep", "--depth", "40", "--buttons", "50"]);
      const atspi = await openReady(busAddress, "odtest");
      try {
        const deep = await atspi.walk({ pid: app.pid, maxDepth: 6 });
        assertEquals(deep.truncated, "depth");
        assert(find(deep.tree, "push button", "Deep") === undefined, "the deep button is cut");
        assert(find(deep.tree, "…", "(truncated)") !== undefined, "a truncation node marks it");
        const full = await atspi.walk({ pid: app.pid, maxDepth: 60 });
        assert(find(full.tree, "push button", "Deep") !== undefined, "found with enough depth");
        const capped = await atspi.walk({ pid: app.pid, maxDepth: 60, maxNodes: 20 });
        assertEquals([capped.truncated, capped.nodes <= 20], ["nodes", true]);
        const error = await assertRejects(() => atspi.walk({ app: "no-such-app" }), RemoteError);
        assertEquals(error.code, "not_found");
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "AtspiTree.walk() of a hung (SIGSTOPped) app returns by its deadline, truncated",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const app = await spawnApp(["--title", "Hung", "--buttons", "20"]);
      const atspi = await openReady(busAddress, "odtest");
      try {
        Deno.kill(app.pid, "SIGSTOP");
        // The walk must end by its deadline and say so; the bound only turns a hang into a
        // clear failure (no upper timing is asserted: a loaded machine may be slow to return).
        const started = performance.now();
        const walk = await within(atspi.walk({ pid: app.pid, deadlineMs: 700 }), "the walk");
        const took = performance.now() - started;
        assertEquals(walk.truncated, "deadline");
        assert(took >= 600, `a deadline-truncated walk ended early, after ${took} ms`);
        await within(
          assertRejects(() => atspi.walk({ app: "odtest", deadlineMs: 700 }), RemoteError),
          "the name search",
        );
      } finally {
        Deno.kill(app.pid, "SIGCONT");
        await atspi.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "AtspiTree.doAction() clicks a button and setText() edits an entry by ref",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const app = await spawnApp(["--title", "Acts", "--buttons", "3", "--entry"]);
      const atspi = await openReady(busAddress, "odtest");
      try {
        const walk = await atspi.walk({ pid: app.pid });
        const button = find(walk.tree, "push button", "Button 2")!;
        await atspi.doAction(button.ref!, "click");
        await app.waitFor((l) => l === "clicked Button 2");
        const entry = [...nodes(walk.tree)].find((n) => n.role === "text" && n.editable)!;
        await atspi.setText(entry.ref!, "typed by opendesk");
        await app.waitFor((l) => l === "text typed by opendesk");
        const missing = await assertRejects(
          () => atspi.doAction(button.ref!, "no-such-action"),
          RemoteError,
        );
        assertEquals(missing.code, "not_found");
        const bad = await assertRejects(() => atspi.doAction("garbage", "click"), RemoteError);
        assertEquals(bad.code, "invalid_argument");
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "toUIElement() with interactiveOnly leaves out hidden widgets and pages not on display",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const app = await spawnApp(["--title", "Hidden test", "--buttons", "2", "--hidden", "3"]);
      const atspi = await openReady(busAddress, "odtest");
      try {
        const walk = await atspi.walk({ pid: app.pid, title: "Hidden test" });
        const hidden = find(walk.tree, "push button", "Hidden 0");
        assert(hidden !== undefined, "the full tree holds the hidden button");
        assertEquals(hidden.showing, false);
        assertEquals(find(walk.tree, "push button", "Button 1")?.showing, true);
        const names = (el: ReturnType<typeof toUIElement>): string[] => [
          el.name,
          ...el.children.flatMap(names),
        ];
        const shown = names(toUIElement(walk, { interactiveOnly: true }));
        for (const name of ["Button 0", "Button 1", "Shown page"]) {
          assert(shown.includes(name), `${name} is kept: ${shown}`);
        }
        for (const name of ["Hidden 0", "Hidden 1", "Hidden 2", "Other page"]) {
          assert(!shown.includes(name), `${name} is left out: ${shown}`);
        }
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});
