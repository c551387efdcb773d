// deno-lint-ignore-file no-control-regex
import {
  FakeComputer,
  type FakeComputerOptions,
} from "../../../src/computer/drivers/fake/fake_computer.ts";
import { Repl } from "../../../src/cli/repl/repl.ts";
import { replMethods } from "../../../src/cli/repl/repl_methods.ts";
import { decodePng } from "../../../src/cli/render/_png_decode.ts";
import { openLoopbackSession } from "../_util/loopback_session.ts";
import { createTestDeps, type TestDeps, waitFor } from "../_util/test_deps.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

const methods = replMethods();

interface Run {
  deps: TestDeps;
  fake: FakeComputer;
  dir: string;
  repl: Repl;
  code: number;
}

async function withFake(
  lines: string[],
  fn: (run: Run) => Promise<void> | void,
  options: { env?: Record<string, string>; fake?: FakeComputerOptions; keepGoing?: boolean } = {},
): Promise<void> {
  await withFakeComputer(new FakeComputer(options.fake), lines, fn, options);
}

async function withFakeComputer(
  fake: FakeComputer,
  lines: string[],
  fn: (run: Run) => Promise<void> | void,
  options: { env?: Record<string, string>; keepGoing?: boolean } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk_repl_fake_" });
  const loop = await openLoopbackSession(fake);
  try {
    const deps = createTestDeps({ cwd: dir, ...(options.env ? { env: options.env } : {}) });
    const repl = new Repl({
      session: loop.session,
      methods,
      deps,
      keepGoing: options.keepGoing ?? false,
    });
    deps.feed(...lines);
    deps.end();
    const code = await repl.run();
    await fn({ deps, fake, dir, repl, code });
  } finally {
    await loop.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("Repl screenshot saves a PNG and shows it inline with the kitty protocol", async () => {
  await withFake([
    "screenshot shot.png",
    "display.capture --out cap.png region.x=10 region.y=20 region.width=30 region.height=40",
  ], async ({ deps, dir }) => {
    assertEquals(deps.stderr.text, "");
    assertMatch(
      deps.stdout.text,
      new RegExp(`saved ${dir}/shot\\.png \\(png 320×200, logical 320×200, [\\d.]+ KiB\\)`),
    );
    assertMatch(deps.stdout.text, /\x1b_Gf=100,a=T,q=2,/);
    const image = decodePng(await Deno.readFile(`${dir}/shot.png`));
    assertEquals([image.width, image.height], [320, 200]);
    const region = decodePng(await Deno.readFile(`${dir}/cap.png`));
    assertEquals([region.width, region.height], [30, 40]);
  }, { env: { OPENDESK_IMAGES: "kitty" } });
});

Deno.test("Repl screenshot without an image protocol prints only the file and size", async () => {
  await withFake(["screenshot"], ({ deps }) => {
    assertMatch(
      deps.stdout.text,
      /^saved .*\/screenshot-\d{8}-\d{6}\.png \(png 320×200, logical 320×200, .*\)\n$/,
    );
  });
});

Deno.test("Repl click, type and key send the right input events", async () => {
  await withFake([
    "click 50 60",
    "click 5.5 6 right --double",
    `type "héllo wörld ✓"`,
    "key ctrl+s Return",
    "input.pointer action=scroll point.x=1 point.y=2 dy=-3",
  ], ({ deps, fake }) => {
    assertEquals(deps.stderr.text, "");
    assertMatch(
      deps.stdout.text,
      /clicked left at \(50, 60\)\nclicked right twice at \(5\.5, 6\)\ntyped 13 characters\npressed ctrl\+s Return\nok\n/,
    );
    const summary = fake.actions.map((a) => {
      const e = (a.params.event ?? a.params.text_input) as Record<string, unknown>;
      if (a.method === "input.text") return `text ${e.text}`;
      if (a.method === "input.key") {
        return `key ${e.action} ${e.keysym} [${(e.modifiers as string[]).join()}]`;
      }
      const p = e.point as { x: number; y: number };
      return `pointer ${e.action} ${e.button ?? "-"} ${p.x},${p.y}${
        e.action === "scroll" ? ` dy=${e.dy}` : ""
      }`;
    });
    assertEquals(summary, [
      "pointer move - 50,60",
      "pointer down left 50,60",
      "pointer up left 50,60",
      "pointer move - 5.5,6",
      "pointer down right 5.5,6",
      "pointer up right 5.5,6",
      "pointer down right 5.5,6",
      "pointer up right 5.5,6",
      "text héllo wörld ✓",
      "key down ctrl []",
      "key down s [ctrl]",
      "key up s [ctrl]",
      "key up ctrl []",
      "key down return []",
      "key up return []",
      "pointer scroll - 1,2 dy=-3",
    ]);
    assertEquals(fake.typed, "héllo wörld ✓");
  });
});

Deno.test("Repl renders windows as a table and the UI tree as a tree", async () => {
  await withFake(
    ["windows.list", "ui.tree", "clipboard.read", "notifications.list", "apps.list"],
    ({ deps }) => {
      const out = deps.stdout.text;
      assertEquals(deps.stderr.text, "");
      assertMatch(out, /ID\s+TITLE\s+APP\s+PID\s+BOUNDS\s+STATE\n/);
      assertMatch(out, /Editor — notes\.txt\s+Editor\s+.*10,10 200×140/);
      assertMatch(out, /\n(├─|└─) /);
      assertMatch(out, /text\/plain;charset=utf-8 \(14 B\):\nfake clipboard\n/);
      assertMatch(out, /Build finished\s+All tests passed/);
      assertMatch(out, /Editor\nTerminal\n/);
    },
  );
});

Deno.test("Repl runs display.subscribe for --frames N and saves them with --out", async () => {
  await withFake(
    ["display.subscribe fps=30 --frames 3 --out frames", "sh echo after"],
    ({ deps, dir }) => {
      assertMatch(
        deps.stdout.text,
        new RegExp(
          `display\\.subscribe stopped: 3 frames in .* \\(.*/s\\), .*, 3 saved in ${dir}/frames\\n`,
        ),
      );
      assertMatch(deps.stdout.text, /after\n/);
      const files = [...Deno.readDirSync(`${dir}/frames`)].map((e) => e.name).sort();
      assertEquals(files, ["frame-000000.png", "frame-000001.png", "frame-000002.png"]);
    },
  );
});

Deno.test("Repl Ctrl-C cancels a running stream, not the REPL", async () => {
  const dir = await Deno.makeTempDir();
  const fake = new FakeComputer();
  const cancelled: string[] = [];
  const loop = await openLoopbackSession(fake, {
    onCall: (record) => {
      if (record.stream && record.event === "end") cancelled.push(record.method);
    },
  });
  try {
    const deps = createTestDeps({ cwd: dir });
    const repl = new Repl({ session: loop.session, methods, deps });
    deps.feed("display.subscribe fps=20 --out frames");
    const running = repl.run();
    await waitFor(() => deps.stderr.text.includes("started"), "stream start");
    // Interrupt once a frame has arrived (saved to disk), not after a guessed sleep.
    const savedFrames = () => {
      try {
        return [...Deno.readDirSync(`${dir}/frames`)].length;
      } catch {
        return 0;
      }
    };
    await waitFor(() => savedFrames() > 0, "the first frame");
    assertEquals(deps.interruptHandlers, 1);
    deps.interrupt();
    await waitFor(() => deps.stdout.text.includes("cancelled"), "cancellation");
    deps.feed("sh echo still-here");
    deps.end();
    assertEquals(await running, 0);
    assertMatch(deps.stdout.text, /display\.subscribe cancelled: [1-9]\d* frames in /);
    assertMatch(deps.stdout.text, /still-here\n/);
    await waitFor(
      () => cancelled.includes("display.subscribe"),
      "the server-side end of the stream",
    );
  } finally {
    await loop.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Repl input.subscribe prints each event until the stream ends", async () => {
  await withFake(["input.subscribe"], ({ deps }) => {
    assertMatch(
      deps.stdout.text,
      /^pointer move \(3, 4\)\nkey down 'a' \[ctrl\]\ninput\.subscribe ended: 2 events in /,
    );
  }, {
    fake: {
      inputScript: [
        {
          action: "move",
          point: { x: 3, y: 4 },
          button: null,
          modifiers: [],
          dx: 0,
          dy: 0,
          pressure: null,
          tilt_x: null,
          tilt_y: null,
          timestamp: 1,
        },
        {
          action: "down",
          keysym: "a",
          char: null,
          scancode: null,
          modifiers: ["ctrl"],
          is_repeat: false,
          timestamp: 2,
        },
      ],
    },
  });
});

Deno.test("Repl refuses a method the machine does not advertise with a pointer to :caps", async () => {
  await withFake(["ui.tree"], ({ deps }) => {
    assertMatch(
      deps.stderr.text,
      /^error: ui\.tree is not available there: .*\(see :caps\)\nStopped at the failing line: ui\.tree\n$/,
    );
  }, { fake: { capabilities: ["display.capture", "fs.read"] } });
});

Deno.test("Repl completion lists parameters of the connected table", async () => {
  await withFake([], async ({ repl }) => {
    const [hits] = await repl.complete("display.capture re");
    assertEquals(hits, ["region."]);
    assert((await repl.complete("fs.li"))[0].includes("fs.list"));
  });
});

Deno.test("Repl copy and paste put text on the clipboard and read it back", async () => {
  await withFake([
    "paste",
    'copy "héllo wörld 🎉"',
    "paste",
    'clipboard.write entries=[{"mime_type": "text/html", "data": "<b>bold</b>"}]',
    "paste",
    'clipboard.write entries=[{"mime_type": "image/png", "data": "not really a png"}]',
    "paste",
  ], async ({ deps, fake }) => {
    assertEquals(deps.stdout.text.split("\n"), [
      "fake clipboard",
      "copied 13 characters",
      "héllo wörld 🎉",
      "ok",
      "<b>bold</b>",
      "ok",
      "",
    ]);
    assertMatch(
      deps.stderr.text,
      /^the clipboard holds no text: image\/png \(16 B of binary data\); use clipboard\.read with :raw on to see it\n$/,
    );
    const contents = await fake.clipboardRead();
    assertEquals(contents.entries.map((e) => e.mime_type), ["image/png"]);
    assertEquals(new TextDecoder().decode(contents.entries[0]!.data), "not really a png");
  });
});

Deno.test("Repl screenshot to a missing folder says so; clear clears a terminal only", async () => {
  await withFake(["screenshot no/such/dir/shot.png", "clear", ":clear"], ({ deps, dir }) => {
    assertEquals(
      deps.stderr.text,
      `error: Cannot save ${dir}/no/such/dir/shot.png: the folder ${dir}/no/such/dir does not ` +
        "exist; create it or choose another path\nStopped at the failing line: " +
        "screenshot no/such/dir/shot.png\n",
    );
  });
  await withFake(["clear"], ({ deps }) => {
    assertEquals([deps.stdout.text, deps.stderr.text], ["", ""]);
  });
});

Deno.test("Repl numbers ui.tree elements and acts on them with click @N and settext @N", async () => {
  const script = ["click @1", "ui.tree", "click @99", "ui.tree"];
  await withFake(script, async ({ deps, fake }) => {
    const tree = deps.stdout.text;
    assertMatch(deps.stderr.text, /^error: No element @1: run ui\.tree first/);
    assertMatch(
      deps.stderr.text,
      /error: No element @99 in the last ui\.tree \(it numbered @1-@\d+\)/,
    );
    assert(!/ref=/.test(tree), "refs are shown as @N");
    const ok = /(@\d+) push button "OK"/.exec(tree)?.[1];
    const name = /(@\d+) text "Name"/.exec(tree)?.[1];
    assert(ok && name, tree);
    // A second session on the same fake acts by those numbers.
    await withFakeComputer(fake, [
      "ui.tree",
      `click ${ok}`,
      `settext ${name} "Ada Lovelace"`,
      "ui.tree",
    ], (second) => {
      assertEquals(second.deps.stderr.text, "");
      assertMatch(second.deps.stdout.text, new RegExp(`click on ${ok} \\(push button "OK"\\)\n`));
      assertMatch(second.deps.stdout.text, /set the text of @\d+ \(text "Name"\)\n/);
      assertMatch(second.deps.stdout.text, /text "Name" = "Ada Lovelace"/);
    });
    const acted = fake.actions.filter((a) => a.method === "ui.action").map((a) => a.params);
    assertEquals(acted.map((p) => [p.name, p.action]), [["OK", "click"], ["Name", "set_text"]]);
  }, { keepGoing: true });
});

Deno.test("Repl display.pixel reads the fake's colour at a point, through a real session", async () => {
  await withFake(["display.pixel point.x=12 point.y=7"], ({ deps, fake }) => {
    assertEquals(fake.actions, []);
    assertEquals(deps.stderr.text, "");
    // The fake's background is a gradient: red = x, green = y, blue = 128.
    assertMatch(deps.stdout.text, /\br\W+12\b[\s\S]*\bg\W+7\b[\s\S]*\bb\W+128\b/);
  });
});
