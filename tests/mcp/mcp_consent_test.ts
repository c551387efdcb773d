/**
 * `opendesk mcp` policies seen through the SDK client: consent for the
 * local target (observe without elicitation, asking through elicitation,
 * the audit log), tools left out when the target lacks their capability,
 * and progress notifications and cancellation.
 */
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { assert, assertEquals } from "../cli/_util/assert.ts";
import { assertStringIncludes, listTools, startStdio, textOf } from "./_harness.ts";

async function auditText(home: string): Promise<string> {
  let text = "";
  for await (const entry of Deno.readDir(`${home}/.opendesk/audit`)) {
    text += await Deno.readTextFile(`${home}/.opendesk/audit/${entry.name}`);
  }
  return text;
}

Deno.test("opendesk mcp: without elicitation the local target only observes and says how to allow actions", async () => {
  const child = await startStdio();
  try {
    assert(!(await child.call("screenshot")).isError, "observation is allowed");
    const r = await child.call("computer", { action: "left_click", coordinate: [5, 5] });
    assert(r.isError);
    assertStringIncludes(textOf(r), "Denied on this machine");
    assertStringIncludes(textOf(r), "--approve auto");
    await child.stderr.waitFor((l) =>
      l === "local approval: observe (chosen from the client's capabilities)"
    );
    assertEquals(child.stderr.lines.filter((l) => l.startsWith("fake-action")), []);
  } finally {
    await child.close();
  }
});

Deno.test("opendesk mcp: --approve elicit asks through the client; the answers allow or deny; the audit log records it", async () => {
  const home = await Deno.makeTempDir({ prefix: "od-mcp-home-" });
  const answers = ["allow once", "deny", "allow for this session"];
  const asked: string[] = [];
  const child = await startStdio({ home, capabilities: { elicitation: {} } });
  child.client.setRequestHandler(
    ElicitRequestSchema,
    (request: { params: { message?: unknown } }) => {
      asked.push(String(request.params.message));
      return { action: "accept", content: { answer: answers.shift()! } };
    },
  );
  try {
    await child.call("screenshot");
    const once = await child.call("computer", { action: "left_click", coordinate: [5, 5] });
    assert(!once.isError, textOf(once));
    const denied = await child.call("computer", { action: "left_click", coordinate: [5, 5] });
    assert(denied.isError);
    assertStringIncludes(textOf(denied), "Denied on the controlled machine 'local'");
    assertStringIncludes(textOf(denied), "denied by the local user");
    assert(!(await child.call("computer", { action: "left_click", coordinate: [6, 6] })).isError);
    assert(
      !(await child.call("computer", { action: "left_click", coordinate: [7, 7] })).isError,
      "session answer",
    );
    assertEquals(asked.length, 3, "the session-wide answer is not asked again");
    assertStringIncludes(
      asked[0]!,
      'The agent calls computer {"action":"left_click","coordinate":[5,5]}',
    );
    assertStringIncludes(asked[0]!, "mcp-client wants to");
  } finally {
    await child.close();
  }
  const audit = await auditText(home);
  assertStringIncludes(audit, '"method": "input.pointer"');
  assertStringIncludes(audit, "permission_denied");
  assertStringIncludes(audit, "mcp-client");
});

Deno.test("opendesk mcp: tools the target cannot honour are not listed", async () => {
  const child = await startStdio({
    args: ["--approve", "auto"],
    env: { FAKE_CAPS: "fs.read,fs.write,process.shell" },
  });
  try {
    const names = (await listTools(child.client)).map((t) => t.name);
    assertEquals(names.filter((n) => !n.startsWith("opendesk_")), ["files", "shell"]);
    const r = await child.call("shell", { argv: ["true"] });
    assert(r.isError);
    assertStringIncludes(textOf(r), "capability 'process.spawn'");
  } finally {
    await child.close();
  }
});

Deno.test("opendesk mcp: long tools send progress when asked and stop when the client cancels", async () => {
  const child = await startStdio({ args: ["--approve", "auto"] });
  const dir = await Deno.makeTempDir({ prefix: "od-mcp-cancel-" });
  try {
    const progress: number[] = [];
    const r = await child.client.callTool(
      { name: "wait_for", arguments: { window_title: "never", timeout: 0.4, interval_ms: 50 } },
      undefined,
      { onprogress: (p: { progress: number }) => progress.push(p.progress) },
    );
    assert(r.isError);
    assert(progress.length >= 2, `progress notifications: ${progress.length}`);
    assert(progress.every((p, i) => i === 0 || p >= progress[i - 1]!), "progress only grows");

    // A big file read reports its progress chunk by chunk.
    const big = `${dir}/big.bin`;
    await Deno.writeFile(big, new Uint8Array(2_621_440).fill(97));
    const chunks: Array<{ progress: number; total?: number }> = [];
    const read = await child.client.callTool(
      { name: "files", arguments: { action: "read", path: big, length: 2_621_440 } },
      undefined,
      { onprogress: (p: { progress: number; total?: number }) => chunks.push(p) },
    );
    assert(!read.isError);
    assertEquals(chunks.map((c) => c.progress), [1_048_576, 2_097_152, 2_621_440]);
    assert(chunks.every((c) => c.total === 2_621_440));

    // A shell command is killed when the call is cancelled.
    const pidFile = `${dir}/pid`;
    const controller = new AbortController();
    const call = child.client.callTool(
      { name: "shell", arguments: { command: `echo $$ > ${pidFile}; exec sleep 300` } },
      undefined,
      { signal: controller.signal, onprogress: () => controller.abort() },
    );
    const outcome = await call.then(() => "finished", (e: Error) => e.message);
    assert(outcome !== "finished", "the call was cancelled");
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    const deadline = Date.now() + 10_000;
    for (;;) {
      const alive =
        (await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).output())
          .success;
      if (!alive) break;
      assert(Date.now() < deadline, `the command (pid ${pid}) still runs after the cancel`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert(!(await child.call("opendesk_status")).isError, "the server still answers");
  } finally {
    await child.close();
    await Deno.remove(dir, { recursive: true });
  }
});
