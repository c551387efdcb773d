/**
 * `opendesk mcp` as a child process over stdio, driven by the MCP SDK's own
 * Client, with the fake computer as the local backend: initialize, the tool
 * list and its schemas, and every tool.
 */
import { assert, assertEquals, assertMatch } from "../cli/_util/assert.ts";
import { decodePng, pixelAt } from "../computer/drivers/x11/_png_decode.ts";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import {
  assertStringIncludes,
  childEnv,
  FAKE_MAIN,
  imageOf,
  listTools,
  type McpChild,
  startStdio,
  textOf,
} from "./_harness.ts";

const COMPUTER_ACTIONS = [
  "screenshot",
  "left_click",
  "right_click",
  "middle_click",
  "double_click",
  "triple_click",
  "mouse_move",
  "left_click_drag",
  "left_mouse_down",
  "left_mouse_up",
  "scroll",
  "key",
  "hold_key",
  "type",
  "cursor_position",
  "wait",
  "zoom",
];

/** Fake actions the child printed after `from` (an index into stderr lines). */
function actionsAfter(child: McpChild, from: number): string[] {
  return child.stderr.lines.slice(from).filter((l) => l.startsWith("fake-action "));
}

Deno.test("opendesk mcp (stdio): initialize and tools/list with valid schemas and annotations", async () => {
  const child = await startStdio({ args: ["--approve", "auto"] });
  try {
    assertEquals(child.client.getServerVersion()?.name, "opendesk");
    assert(child.client.getServerCapabilities()?.tools, "tools capability declared");
    const tools = await listTools(child.client);
    assertEquals(tools.map((t) => t.name), [
      "screenshot",
      "computer",
      "ui",
      "windows",
      "apps",
      "clipboard",
      "files",
      "shell",
      "notifications",
      "wait_for",
      "opendesk_peers",
      "opendesk_use",
      "opendesk_status",
      "opendesk_capabilities",
      "opendesk_discover",
      "opendesk_disconnect",
    ]);
    const ajv = new AjvJsonSchemaValidator();
    for (const tool of tools) {
      assertEquals(tool.inputSchema.type, "object", tool.name);
      ajv.getValidator(tool.inputSchema as Record<string, unknown>); // throws on an invalid schema
      if (tool.outputSchema) ajv.getValidator(tool.outputSchema as Record<string, unknown>);
      const a = tool.annotations;
      assert(a && typeof a.readOnlyHint === "boolean", `${tool.name} has readOnlyHint`);
      assert(typeof a.openWorldHint === "boolean", `${tool.name} has openWorldHint`);
      if (!a.readOnlyHint) {
        assert(typeof a.destructiveHint === "boolean", `${tool.name} destructiveHint`);
      }
      const props = tool.inputSchema.properties as Record<string, unknown>;
      assertEquals(
        "peer" in props,
        !tool.name.startsWith("opendesk_") || tool.name === "opendesk_use" ||
          tool.name === "opendesk_capabilities" || tool.name === "opendesk_disconnect",
        tool.name,
      );
    }
    const computer = tools.find((t) => t.name === "computer")!;
    const action = (computer.inputSchema.properties as Record<string, { enum: string[] }>).action;
    assertEquals(action?.enum, COMPUTER_ACTIONS);
    const validate = ajv.getValidator<unknown>(computer.inputSchema as Record<string, unknown>);
    assert(validate({ action: "left_click", coordinate: [3, 4] }).valid);
    assert(!validate({ action: "fly" }).valid);
    assert(tools.find((t) => t.name === "screenshot")!.annotations!.readOnlyHint);
  } finally {
    await child.close();
  }
});

Deno.test("opendesk mcp (stdio): every tool works against the fake computer", async (t) => {
  const child = await startStdio({
    args: ["--approve", "auto"],
    env: { FAKE_WIDTH: "640", FAKE_HEIGHT: "400" },
  });
  const dir = await Deno.makeTempDir({ prefix: "od-mcp-files-" });
  try {
    await t.step("computer before any screenshot is an error that says to take one", async () => {
      const r = await child.call("computer", { action: "left_click", coordinate: [1, 1] });
      assert(r.isError);
      assertStringIncludes(textOf(r), "take a screenshot first");
    });
    await t.step("screenshot: an image block and the stated scale", async () => {
      const r = await child.call("screenshot", {});
      assert(!r.isError, textOf(r));
      const image = imageOf(r)!;
      assertEquals(image.mimeType, "image/png");
      assert(image.data.length > 100);
      assertMatch(textOf(r), /Screenshot 640x400 PNG .* scale 1 /);
    });
    await t.step("screenshot: scale and zoom", async () => {
      const half = await child.call("screenshot", { scale: 0.5 });
      assertMatch(textOf(half), /Screenshot 320x200 PNG .*area 640x400 .*scale 0\.5 /);
      const zoom = await child.call("screenshot", { zoom: [0, 0, 160, 100] });
      assertMatch(textOf(zoom), /Screenshot 320x200 PNG .*area 320x200 at \(0, 0\)/);
      await child.call("screenshot", { scale: 0.5 });
    });
    await t.step(
      "screenshot: the element legend gives refs and boxes in image pixels",
      async () => {
        const r = await child.call("screenshot", { scale: 0.5, elements: true });
        const text = textOf(r);
        assertMatch(
          text,
          /\[\d+\] push button "OK" ref w2\.e\d+ box \[\d+, \d+, \d+, \d+\] center \(\d+, \d+\)/,
        );
      },
    );
    await t.step("screenshot: Set-of-Marks draws numbered boxes onto the image", async () => {
      const plain = imageOf(await child.call("screenshot", { scale: 0.5 }))!;
      const r = await child.call("screenshot", { scale: 0.5, marks: true });
      assert(!r.isError, textOf(r));
      const marked = imageOf(r)!;
      assertEquals(marked.mimeType, "image/png");
      const m = /\[1\] .+ ref \S+ box \[(\d+), (\d+), (\d+), (\d+)\]/.exec(textOf(r));
      assert(m, textOf(r));
      assert(marked.data !== plain.data, "the marks changed the image");
      const image = decodePng(Uint8Array.from(atob(marked.data), (c) => c.charCodeAt(0)));
      assertEquals(
        pixelAt(image, Number(m[1]), Number(m[2]) + 2),
        [230, 25, 75],
        "mark 1's outline",
      );
    });
    await t.step("computer: clicks map image pixels to screen pixels", async () => {
      const from = child.stderr.lines.length;
      const r = await child.call("computer", { action: "left_click", coordinate: [100, 50] });
      assertEquals(textOf(r), "left_click at image (100, 50) = screen (201, 101)");
      await child.stderr.waitFor((l, i = child.stderr.lines.indexOf(l)) =>
        i >= from && l.includes('"up"')
      );
      const acts = actionsAfter(child, from);
      assertEquals(acts.length, 3);
      assertStringIncludes(acts[0]!, '"point":{"x":201,"y":101}');
    });
    const table: Array<[Record<string, unknown>, RegExp, number]> = [
      [
        { action: "right_click", coordinate: [1, 1] },
        /right_click at image \(1, 1\) = screen \(3, 3\)/,
        3,
      ],
      [{ action: "middle_click", coordinate: [1, 1] }, /middle_click/, 3],
      [{ action: "double_click", coordinate: [1, 1] }, /double_click/, 5],
      [{ action: "triple_click", coordinate: [1, 1], text: "shift" }, /triple_click/, 7],
      [
        { action: "mouse_move", coordinate: [10, 20] },
        /Moved the pointer to image \(10, 20\) = screen \(21, 41\)/,
        1,
      ],
      [{ action: "left_click_drag", start_coordinate: [1, 1], coordinate: [5, 5] }, /Dragged/, 4],
      [{ action: "left_mouse_down", coordinate: [3, 3] }, /Left button down/, 2],
      [{ action: "left_mouse_up" }, /Left button up at the pointer's position \(7, 7\)/, 1],
      [
        { action: "scroll", coordinate: [3, 3], scroll_direction: "down", scroll_amount: 2 },
        /Scrolled down by 2/,
        1,
      ],
      [{ action: "key", text: "ctrl+s Return" }, /Pressed ctrl\+s Return/, 6],
      [{ action: "hold_key", text: "shift", duration: 0.05 }, /Held shift for 0.05 s/, 2],
      [{ action: "type", text: "héllo" }, /Typed 5 characters/, 1],
    ];
    for (const [args, expected, count] of table) {
      await t.step(`computer ${args.action}`, async () => {
        const from = child.stderr.lines.length;
        const r = await child.call("computer", args);
        assert(!r.isError, textOf(r));
        assertMatch(textOf(r), expected);
        await child.stderr.waitFor(() => actionsAfter(child, from).length >= count);
        assertEquals(actionsAfter(child, from).length, count, actionsAfter(child, from).join("\n"));
      });
    }
    await t.step("computer cursor_position, wait, zoom, screenshot", async () => {
      await child.call("computer", { action: "mouse_move", coordinate: [7, 9] });
      const pos = await child.call("computer", { action: "cursor_position" });
      assertEquals(
        textOf(pos),
        "The pointer is at image (7, 9) of the last screenshot = screen (15, 19)",
      );
      const wait = await child.call("computer", { action: "wait", duration: 0.01 });
      assert(imageOf(wait));
      const zoom = await child.call("computer", { action: "zoom", region: [0, 0, 32, 20] });
      assertStringIncludes(textOf(zoom), "coordinates still refer to the previous full screenshot");
      const shot = await child.call("computer", { action: "screenshot" });
      assert(imageOf(shot));
    });
    await t.step("computer: outside the image is an error, not a clamp", async () => {
      const from = child.stderr.lines.length;
      const r = await child.call("computer", { action: "left_click", coordinate: [640, 10] });
      assert(r.isError);
      assertStringIncludes(textOf(r), "outside the last screenshot, which is 640x400");
      assertEquals(actionsAfter(child, from), []);
    });
    await t.step("ui: tree with refs, click, set_text, perform, stale ref", async () => {
      const tree = textOf(await child.call("ui", { action: "tree" }));
      const ok = /\[(\S+)\] push button "OK"/.exec(tree);
      const name = /\[(\S+)\] text "Name"/.exec(tree);
      const box = /\[(\S+)\] check box "Remember"/.exec(tree);
      assert(ok && name && box, tree);
      assertEquals(
        textOf(await child.call("ui", { action: "click", ref: ok[1] })),
        `Performed 'click' on element ${ok[1]}`,
      );
      assertEquals(
        textOf(await child.call("ui", { action: "set_text", ref: name[1], text: "Ada" })),
        `Set the text of element ${name[1]}`,
      );
      assertStringIncludes(textOf(await child.call("ui", { action: "tree" })), 'value="Ada"');
      assert(!(await child.call("ui", { action: "perform", ref: box[1], name: "toggle" })).isError);
      const stale = await child.call("ui", { action: "click", ref: "w99.e1" });
      assert(stale.isError);
      assertStringIncludes(textOf(stale), "Not found");
    });
    await t.step("windows and apps", async () => {
      const list = await child.call("windows", { action: "list" });
      const windows =
        (list.structuredContent as { windows: Array<{ id: string; title: string }> }).windows;
      assertEquals(windows.map((w) => w.title), ["Editor — notes.txt", "Terminal"]);
      assertEquals(
        textOf(await child.call("windows", { action: "focus", window_id: "1" })),
        "Focused window 1",
      );
      assertEquals(
        textOf(
          await child.call("windows", {
            action: "move",
            window_id: "1",
            bounds: { x: 5, y: 6, width: 100, height: 90 },
          }),
        ),
        "Moved window 1",
      );
      const moved = await child.call("windows", { action: "list" });
      assertStringIncludes(textOf(moved), '{"x":5,"y":6,"width":100,"height":90}');
      assertEquals(
        textOf(await child.call("apps", { action: "open", name: "Calculator" })),
        "Opened Calculator",
      );
      const apps = (await child.call("apps", { action: "list" })).structuredContent as {
        apps: string[];
      };
      assert(apps.apps.includes("Calculator"), apps.apps.join());
      assertEquals(
        textOf(await child.call("apps", { action: "focus", name: "Calculator" })),
        "Focused Calculator",
      );
      assertEquals(
        textOf(await child.call("apps", { action: "close", name: "Calculator" })),
        "Closed Calculator",
      );
      assertEquals(
        textOf(await child.call("windows", { action: "close", window_id: "2" })),
        "Closed window 2",
      );
      const missing = await child.call("windows", { action: "focus" });
      assert(missing.isError);
      assertStringIncludes(textOf(missing), "needs 'window_id'");
    });
    await t.step("clipboard and notifications", async () => {
      assertEquals(textOf(await child.call("clipboard", { action: "read" })), "fake clipboard");
      await child.call("clipboard", { action: "write", text: "copied ✓" });
      assertEquals(textOf(await child.call("clipboard", { action: "read" })), "copied ✓");
      const n = await child.call("notifications", {});
      const list = (n.structuredContent as { notifications: unknown[] }).notifications;
      assertEquals(list.length, 1);
    });
    await t.step(
      "files: write, read with offset/length, base64, list, stat, directory error",
      async () => {
        const path = `${dir}/a/b.txt`;
        assertEquals(
          textOf(await child.call("files", { action: "write", path, content: "hello world" })),
          `Wrote 11 bytes to ${path}`,
        );
        assertEquals(
          textOf(await child.call("files", { action: "read", path, offset: 6, length: 3 })),
          `${path} (bytes 6-9 of 11; more remains: read again with offset 9):\nwor`,
        );
        assertEquals(
          textOf(await child.call("files", { action: "read", path, encoding: "base64" })),
          `${path} (bytes 0-11 of 11), base64:\naGVsbG8gd29ybGQ=`,
        );
        const list = await child.call("files", { action: "list", path: `${dir}/a` });
        assertEquals((list.structuredContent as { total: number }).total, 1);
        const stat = await child.call("files", { action: "stat", path });
        assertEquals((stat.structuredContent as { entry: { size: number } }).entry.size, 11);
        const dirRead = await child.call("files", { action: "read", path: dir });
        assert(dirRead.isError);
        assertStringIncludes(textOf(dirRead), "is a directory");
      },
    );
    await t.step("shell: command, argv with stdin, cut output with its full size", async () => {
      assertEquals(
        textOf(await child.call("shell", { command: "echo hi" })).replace(
          /after [\d.]+ s/,
          "after T s",
        ),
        "exit code 0 after T s\nstdout:\nhi\n",
      );
      const cat = await child.call("shell", { argv: ["cat"], stdin: "from stdin" });
      assertStringIncludes(textOf(cat), "stdout:\nfrom stdin");
      const big = await child.call("shell", { command: "head -c 50000 /dev/zero | tr '\\0' x" });
      assertStringIncludes(textOf(big), "[stdout cut at 30000 of 50000 bytes;");
      const both = await child.call("shell", { command: "x", argv: ["y"] });
      assert(both.isError);
    });
    await t.step("wait_for: a window that is there, one that never comes", async () => {
      const found = await child.call("wait_for", { window_title: "editor" });
      assertMatch(textOf(found), /^Window "Editor — notes.txt" \(id 1\) is there/);
      const none = await child.call("wait_for", {
        window_title: "nope",
        timeout: 0.3,
        interval_ms: 50,
      });
      assert(none.isError);
      assertStringIncludes(textOf(none), "not met within 0.3 s");
      const el = await child.call("wait_for", {
        element_name: "ok",
        element_role: "button",
        app: "Editor",
      });
      assertStringIncludes(textOf(el), 'Element push button "OK"');
    });
    await t.step("wait_for: screen_change until its deadline on a still screen", async () => {
      const still = await child.call("wait_for", {
        screen_change: true,
        timeout: 0.2,
        interval_ms: 50,
      });
      assert(still.isError);
      assertStringIncludes(textOf(still), "not met within 0.2 s");
      const none = await child.call("wait_for", {});
      assert(none.isError);
      assertStringIncludes(textOf(none), "Give exactly one condition");
    });
    await t.step("admin tools", async () => {
      assertStringIncludes(
        textOf(await child.call("opendesk_peers")),
        "local  [default (none paired), connected]",
      );
      const caps = await child.call("opendesk_capabilities", {});
      assertEquals((caps.structuredContent as { backend: string }).backend, "fake");
      assertEquals(
        textOf(await child.call("opendesk_use", { peer: "local" })),
        "Default peer is now: local",
      );
      const status = await child.call("opendesk_status");
      assertEquals((status.structuredContent as { source: string }).source, "session");
      const unknown = await child.call("opendesk_use", { peer: "nowhere" });
      assert(unknown.isError);
      assertStringIncludes(textOf(unknown), "No paired machine is called 'nowhere'");
      const wrongPeer = await child.call("screenshot", { peer: "nowhere" });
      assert(wrongPeer.isError);
      assertEquals(textOf(await child.call("opendesk_disconnect", {})), "Closed local");
      assert(!(await child.call("screenshot", {})).isError, "reopens local");
    });
    await t.step("bad arguments are refused by the SDK's validation", async () => {
      const r = await child.call("computer", { action: "fly" });
      assert(r.isError);
      assertStringIncludes(textOf(r), "Input validation error");
    });
  } finally {
    await child.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("opendesk mcp (stdio): requests written before stdin ends are answered, then it exits", async () => {
  const home = await Deno.makeTempDir({ prefix: "od-mcp-home-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-net", FAKE_MAIN, "--approve", "auto"],
      env: childEnv(home),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const lines = [
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "pipe", version: "0" },
        },
      },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "screenshot", arguments: {} },
      },
    ].map((m) => JSON.stringify(m)).join("\n") + "\n";
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(lines));
    await writer.close();
    const out = await child.output();
    assertEquals(out.code, 0);
    const answers = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assertEquals(answers.map((a) => a.id), [1, 2]);
    assertEquals(answers[1].result.content[1].type, "image");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("opendesk mcp (stdio): an unknown --target is reported at start-up and by the tools", async () => {
  const child = await startStdio({ args: ["--target", "ghost"] });
  try {
    await child.stderr.waitFor((l) => l.includes("--target 'ghost' is not a paired machine"));
    const r = await child.call("screenshot");
    assert(r.isError);
    assertStringIncludes(textOf(r), "ghost");
    assertEquals(
      textOf(await child.call("opendesk_use", { peer: "local" })),
      "Default peer is now: local",
    );
    assert(!(await child.call("screenshot")).isError);
  } finally {
    await child.close();
  }
});
