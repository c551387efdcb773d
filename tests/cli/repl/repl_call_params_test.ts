import {
  CaptureParamsSchema,
  EmptyParamsSchema,
  ExecParamsSchema,
  MoveParamsSchema,
  PathParamsSchema,
  PointerParamsSchema,
  ShellParamsSchema,
  TextParamsSchema,
  WriteFileParamsSchema,
} from "../../../src/computer/methods/params.ts";
import { parseLine, ReplArgumentError } from "../../../src/cli/repl/repl_args.ts";
import { buildCallParams, type ReplMethod } from "../../../src/cli/repl/repl_call_params.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

function method(name: string, params: ReplMethod["params"]): ReplMethod {
  return { name, kind: "action", summary: "", params };
}

const pointer = method("input.pointer", PointerParamsSchema);
const text = method("input.text", TextParamsSchema);
const shell = method("process.shell", ShellParamsSchema);
const exec = method("process.exec", ExecParamsSchema);
const list = method("fs.list", PathParamsSchema);
const move = method("fs.move", MoveParamsSchema);
const write = method("fs.write", WriteFileParamsSchema);
const capture = method("display.capture", CaptureParamsSchema);
const caps = method("system.capabilities", EmptyParamsSchema);

const build = (m: ReplMethod, line: string): Record<string, unknown> =>
  buildCallParams(m, parseLine(`${m.name} ${line}`));

Deno.test("buildCallParams() wraps the fields of a single event param", () => {
  assertEquals(build(pointer, "action=move point.x=10 point.y=20"), {
    event: { action: "move", point: { x: 10, y: 20 } },
  });
});

Deno.test("buildCallParams() accepts the wrapper written out", () => {
  assertEquals(
    build(pointer, "event.action=down event.point.x=1 event.point.y=2 event.button=left"),
    {
      event: { action: "down", point: { x: 1, y: 2 }, button: "left" },
    },
  );
});

Deno.test("buildCallParams() accepts a whole JSON object", () => {
  assertEquals(build(pointer, `{"event": {"action": "up", "point": {"x": 1, "y": 2}}}`), {
    event: { action: "up", point: { x: 1, y: 2 } },
  });
});

Deno.test("buildCallParams() maps positionals to parameters in order", () => {
  assertEquals(build(list, "/tmp"), { path: "/tmp" });
  assertEquals(build(move, "a b"), { src: "a", dst: "b" });
});

Deno.test("buildCallParams() keeps string parameters as typed text", () => {
  assertEquals(build(list, "123"), { path: "123" });
  assertEquals(build(list, "path=true"), { path: "true" });
});

Deno.test("buildCallParams() joins the rest of the line into a single required string", () => {
  assertEquals(build(shell, "ls -l /tmp"), { command: "ls -l /tmp" });
  assertEquals(build(text, "hello world"), { text_input: { text: "hello world" } });
});

Deno.test("buildCallParams() gathers positionals into an array parameter", () => {
  assertEquals(build(exec, "ls -l 2"), { argv: ["ls", "-l", "2"] });
});

Deno.test("buildCallParams() sends text for a binary parameter as UTF-8 bytes", () => {
  assertEquals(build(write, `/tmp/x "héllo"`), {
    path: "/tmp/x",
    data: new TextEncoder().encode("héllo"),
  });
});

const errors: Array<{ name: string; m: ReplMethod; line: string; message: string }> = [
  { name: "a missing parameter", m: list, line: "", message: "Missing parameter 'path' (string)" },
  {
    name: "a missing nested parameter",
    m: pointer,
    line: "action=move point.x=1",
    message: "Missing parameter 'point.y'",
  },
  {
    name: "a bad enum value",
    m: pointer,
    line: "action=jump point.x=1 point.y=2",
    message: "Parameter 'action' must be one of move, down, up, scroll, got 'jump'",
  },
  {
    name: "a wrong type",
    m: capture,
    line: "downscale=maybe",
    message: "Parameter 'downscale' must be boolean, got string",
  },
  {
    name: "an unknown parameter",
    m: list,
    line: "pth=/tmp",
    message: "Unknown parameter 'pth' for fs.list",
  },
  {
    name: "an unknown nested parameter",
    m: pointer,
    line: "action=move point.x=1 point.y=2 point.z=3",
    message: "Unknown parameter 'event.point.z'",
  },
  { name: "too many arguments", m: caps, line: "extra", message: "it takes no parameters" },
];

for (const c of errors) {
  Deno.test(`buildCallParams() rejects ${c.name} with a message naming it`, () => {
    assertThrows(() => build(c.m, c.line), ReplArgumentError, c.message);
  });
}
