/**
 * The walk over the shim's own socket to the application (the default) gives
 * exactly the tree the walk through libdbus's connection gives, for a real
 * GTK window, whole and cut by each budget.
 *
 * @module
 */

import { assert, assertEquals } from "../../../remote/_assert.ts";
import { type AtspiQuery, AtspiTree } from "../../../../src/computer/drivers/x11/atspi_tree.ts";
import { eventually, skipDesktop, withDesktop } from "./_desktop_fixture.ts";

async function openReady(bus: string, pid: number): Promise<AtspiTree> {
  const atspi = await eventually(
    () => AtspiTree.open(bus).catch(() => undefined),
    30_000,
    "the accessibility bus to accept a connection",
  );
  // The window is complete once its 40 buttons are in the tree.
  await eventually(
    () =>
      atspi.walk({ pid, maxDepth: 20 }).then(
        (w) => w.nodes >= 80 ? true : undefined,
        () => undefined,
      ),
    30_000,
    "the GTK window's whole tree",
  );
  return atspi;
}

Deno.test({
  name: "AtspiTree.walk() gives the same tree over its own socket as through libdbus",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const app = await spawnApp([
        "--title",
        "Wire test",
        "--buttons",
        "40",
        "--entry",
        "--hidden",
        "2",
        "--depth",
        "3",
      ]);
      const atspi = await openReady(busAddress, app.pid);
      try {
        const queries: AtspiQuery[] = [
          { pid: app.pid, maxDepth: 20 },
          { pid: app.pid, title: "Wire test" },
          { pid: app.pid, maxDepth: 3 },
          { pid: app.pid, maxDepth: 20, maxNodes: 30 },
        ];
        for (const query of queries) {
          const fast = await atspi.walk(query);
          const reference = await atspi.walk({ ...query, viaLibdbus: true });
          const what = JSON.stringify(query);
          assertEquals(fast.app, reference.app, what);
          assertEquals(fast.truncated, reference.truncated, what);
          assertEquals(fast.nodes, reference.nodes, what);
          assertEquals(fast.tree, reference.tree, what);
        }
        const whole = await atspi.walk(queries[0]!);
        assertEquals(whole.truncated, null);
        assert(whole.nodes >= 80, `the whole window has ${whole.nodes} nodes`);
        assertEquals((await atspi.walk(queries[2]!)).truncated, "depth");
        assertEquals((await atspi.walk(queries[3]!)).truncated, "nodes");
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "AtspiTree.walk() over its own socket walks a new application after the first one exited",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const first = await spawnApp(["--title", "First", "--buttons", "40"]);
      const atspi = await openReady(busAddress, first.pid);
      try {
        assertEquals((await atspi.walk({ pid: first.pid, maxDepth: 20 })).truncated, null);
        await first.kill();
        const second = await spawnApp(["--title", "Second", "--buttons", "40"]);
        await eventually(
          () =>
            atspi.walk({ pid: second.pid, maxDepth: 20 }).then(
              (w) => w.nodes >= 80 ? w : undefined,
              () => undefined,
            ),
          30_000,
          "the second window's whole tree",
        );
        const fast = await atspi.walk({ pid: second.pid, maxDepth: 20 });
        const reference = await atspi.walk({ pid: second.pid, maxDepth: 20, viaLibdbus: true });
        assertEquals(fast.tree, reference.tree);
        assertEquals(fast.tree.children[0]?.name, "Second");
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});

Deno.test({
  name: "AtspiTree.walk() over its own socket recovers after the application hung mid-use",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, spawnApp }) => {
      const app = await spawnApp(["--title", "Hang", "--buttons", "40"]);
      const atspi = await openReady(busAddress, app.pid);
      try {
        const before = await atspi.walk({ pid: app.pid, maxDepth: 20 });
        assertEquals(before.truncated, null);
        Deno.kill(app.pid, "SIGSTOP");
        try {
          const cut = await atspi.walk({ pid: app.pid, maxDepth: 20, deadlineMs: 500 });
          assertEquals(cut.truncated, "deadline");
        } finally {
          Deno.kill(app.pid, "SIGCONT");
        }
        // The calls the stopped application never answered must not confuse the next walk.
        const after = await atspi.walk({ pid: app.pid, maxDepth: 20 });
        const reference = await atspi.walk({ pid: app.pid, maxDepth: 20, viaLibdbus: true });
        assertEquals(after.truncated, null);
        assertEquals(after.tree, reference.tree);
        assertEquals(after.tree, before.tree);
      } finally {
        await atspi.close();
      }
    }, { dbus: true }),
});
