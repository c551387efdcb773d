/**
 * Inside a private network namespace (see mcp_discover_test.ts): starts
 * `opendesk mcp` (fake computer) over stdio with the SDK client, calls
 * `opendesk_discover` until its answer names the description `argv[0]` (a
 * browse window can close before a loaded machine's server answers; at most
 * 5 browses), and prints that answer's text as JSON.
 */
import { startStdio, textOf } from "./_harness.ts";

const [wanted, home] = Deno.args as [string, string];
const child = await startStdio({ args: ["--approve", "auto"], home });
try {
  let text = "";
  for (let i = 0; i < 5 && !text.includes(wanted); i++) {
    const result = await child.call("opendesk_discover", { timeout: 2 });
    if (result.isError) throw new Error(`opendesk_discover failed: ${textOf(result)}`);
    text = textOf(result);
  }
  console.log(JSON.stringify(text));
} finally {
  await child.close();
}
