/**
 * The multi-action tools (`windows`, `apps`, `clipboard`, `files`) declare
 * an `outputSchema`, and every action's `structuredContent` is valid
 * against it: checked by the SDK's own JSON Schema validator (the one its
 * `Client` applies once `tools/list` was read), against the fake computer.
 */
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { assert, assertEquals } from "../cli/_util/assert.ts";
import { listTools, startStdio, textOf } from "./_harness.ts";

const MULTI = ["windows", "apps", "clipboard", "files"] as const;

Deno.test("opendesk mcp: multi-action tools have an outputSchema that every action's result meets", async () => {
  const child = await startStdio({ args: ["--approve", "auto"] });
  const dir = await Deno.makeTempDir({ prefix: "od-mcp-out-" });
  try {
    const tools = await listTools(child.client);
    const ajv = new AjvJsonSchemaValidator();
    const validators = new Map<string, (data: unknown) => { valid: boolean }>();
    for (const name of MULTI) {
      const tool = tools.find((t) => t.name === name);
      const schema = (tool as unknown as { outputSchema?: Record<string, unknown> })?.outputSchema;
      assert(schema, `${name} declares an outputSchema`);
      assertEquals(schema.type, "object");
      const action = (schema.properties as Record<string, { enum?: string[] }>).action;
      assert(action?.enum && action.enum.length > 1, `${name}: action is an enum`);
      assertEquals((schema.required as string[]).includes("action"), true);
      validators.set(name, ajv.getValidator(schema as never));
    }
    const seen = new Map<string, Set<string>>();
    const check = async (name: string, args: Record<string, unknown>) => {
      const result = await child.call(name, args) as CallToolResult;
      assert(!result.isError, `${name} ${JSON.stringify(args)}: ${textOf(result)}`);
      const data = result.structuredContent as Record<string, unknown> | undefined;
      assert(data, `${name} ${args.action}: structuredContent`);
      assertEquals(data.action, args.action);
      const verdict = validators.get(name)!(data);
      assert(verdict.valid, `${name} ${args.action}: ${JSON.stringify(verdict)}`);
      seen.set(name, (seen.get(name) ?? new Set()).add(args.action as string));
      return data;
    };
    const listed = await check("windows", { action: "list" });
    const first = (listed.windows as Array<{ id: string }>)[0]!.id;
    await check("windows", { action: "focus", window_id: first });
    await check("windows", {
      action: "move",
      window_id: first,
      bounds: { x: 1, y: 2, width: 30, height: 40 },
    });
    await check("windows", { action: "close", window_id: first });
    await check("apps", { action: "open", name: "Calculator" });
    assert(((await check("apps", { action: "list" })).apps as string[]).includes("Calculator"));
    await check("apps", { action: "focus", name: "Calculator" });
    await check("apps", { action: "close", name: "Calculator" });
    await check("clipboard", { action: "write", text: "schema ✓" });
    assertEquals((await check("clipboard", { action: "read" })).text, "schema ✓");
    const path = `${dir}/f.txt`;
    assertEquals((await check("files", { action: "write", path, content: "abcdef" })).bytes, 6);
    const read = await check("files", { action: "read", path, offset: 2, length: 2 });
    assertEquals([read.offset, read.bytes, read.size, read.more], [2, 2, 6, true]);
    assertEquals((await check("files", { action: "list", path: dir })).total, 1);
    const stat = await check("files", { action: "stat", path });
    assertEquals((stat.entry as { size: number }).size, 6);
    for (const name of MULTI) {
      const tool = tools.find((t) => t.name === name) as unknown as {
        outputSchema: { properties: { action: { enum: string[] } } };
      };
      assertEquals(
        [...seen.get(name)!].sort(),
        [...tool.outputSchema.properties.action.enum].sort(),
        `${name}: every action was checked`,
      );
    }
    // The validator does reject what does not fit (the check above can fail).
    assertEquals(validators.get("windows")!({ action: "list", windows: [{ id: 1 }] }).valid, false);
    assertEquals(validators.get("files")!({ path: "/x" }).valid, false);
  } finally {
    await child.close();
    await Deno.remove(dir, { recursive: true });
  }
});
