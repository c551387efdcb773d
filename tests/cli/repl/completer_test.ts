import { complete, type CompletionSources } from "../../../src/cli/repl/completer.ts";
import { replCommands } from "../../../src/cli/repl/repl_dispatch.ts";
import { replMethods } from "../../../src/cli/repl/repl_methods.ts";
import type { ReplMethod } from "../../../src/cli/repl/repl_call_params.ts";
import { assert, assertEquals } from "../_util/assert.ts";

const methods = new Map<string, ReplMethod>();
for (const m of replMethods()) {
  methods.set(m.name, m);
  if (m.alias) methods.set(m.alias, m);
}
const remoteDirs: string[] = [];
const sources: CompletionSources = {
  methods,
  commands: replCommands(),
  cwd: "/",
  listRemote: (dir) => {
    remoteDirs.push(dir);
    return Promise.resolve([
      { name: "Documents", isDir: true },
      { name: "notes.txt", isDir: false },
      { name: "notes.md", isDir: false },
    ]);
  },
};

const cases: Array<{ line: string; hits: string[]; part: string }> = [
  { line: "display.c", hits: ["display.capture", "display.cursor_position"], part: "display.c" },
  { line: "ui.", hits: ["ui.action", "ui.perform", "ui.tree"], part: "ui." },
  { line: ":ti", hits: [":timing"], part: ":ti" },
  { line: "scr", hits: ["screenshot"], part: "scr" },
  { line: "display.capture d", hits: ["display_id=", "downscale="], part: "d" },
  { line: "input.pointer a", hits: ["action="], part: "a" },
  {
    line: "input.pointer action=",
    hits: ["action=down", "action=move", "action=scroll", "action=up"],
    part: "action=",
  },
  { line: "input.pointer action=s", hits: ["action=scroll"], part: "action=s" },
  { line: "input.pointer po", hits: ["point."], part: "po" },
  { line: "input.pointer point.", hits: ["point.x=", "point.y="], part: "point." },
  {
    line: "input.pointer event.point.",
    hits: ["event.point.x=", "event.point.y="],
    part: "event.point.",
  },
  {
    line: "display.capture downscale=",
    hits: ["downscale=false", "downscale=true"],
    part: "downscale=",
  },
  { line: "display.subscribe --f", hits: ["--frames"], part: "--f" },
  { line: "fs.mkdir path=/x p", hits: ["parents="], part: "p" },
  { line: "fs.move src=a ", hits: ["dst="], part: "" },
  { line: "key ctrl+", hits: [], part: "ctrl+" },
  { line: "key ret", hits: ["return"], part: "ret" },
  { line: "key ctrl+pag", hits: ["ctrl+pagedown", "ctrl+pageup"], part: "ctrl+pag" },
  { line: ":help fs.r", hits: ["fs.read"], part: "fs.r" },
  { line: "ls no", hits: ["notes.md", "notes.txt"], part: "no" },
  { line: "cat Doc", hits: ["Documents/"], part: "Doc" },
];

for (const c of cases) {
  Deno.test(`complete() offers ${JSON.stringify(c.hits)} for '${c.line}'`, async () => {
    const [hits, part] = await complete(c.line, sources);
    if (c.line === "key ctrl+") {
      assert(hits.includes("ctrl+return") && hits.includes("ctrl+shift+"), hits.join(" "));
    } else {
      assertEquals(hits, c.hits);
    }
    assertEquals(part, c.part);
  });
}

Deno.test("complete() lists remote directories through fs.list", async () => {
  remoteDirs.length = 0;
  await complete("get Documents/re", sources);
  assertEquals(remoteDirs, ["Documents/"]);
});

Deno.test("complete() offers every command and method on an empty line", async () => {
  const [hits] = await complete("", sources);
  assert(hits.includes("click") && hits.includes("system.capabilities") && hits.includes(":quit"));
  assertEquals(hits.length, new Set(hits).size);
});
