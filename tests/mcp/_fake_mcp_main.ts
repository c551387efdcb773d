/**
 * `opendesk mcp` with the fake computer as its local backend (the
 * documented backend seam), for tests that drive it as a child process.
 * Every action the fake receives is printed to stderr as
 * `fake-action {json}`. Env: FAKE_WIDTH, FAKE_HEIGHT (logical size),
 * FAKE_CAPS (comma-separated capability list).
 */
import { FakeComputer } from "../../src/computer/mod.ts";
import type { Capability } from "../../src/computer/mod.ts";
import { runMcpCommand } from "../../src/cli/commands/mcp.ts";
import { realDeps } from "../../src/cli/_real_deps.ts";

const caps = Deno.env.get("FAKE_CAPS");
const fake = new FakeComputer({
  width: Number(Deno.env.get("FAKE_WIDTH") ?? 320),
  height: Number(Deno.env.get("FAKE_HEIGHT") ?? 200),
  ...(caps ? { capabilities: caps.split(",") as Capability[] } : {}),
});
const push = fake.actions.push.bind(fake.actions);
fake.actions.push = (...items) => {
  for (const item of items) {
    const params = JSON.stringify(
      item.params,
      (_k, v) => v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v,
    );
    console.error(`fake-action ${JSON.stringify({ method: item.method })} ${params}`);
  }
  return push(...items);
};
const code = await runMcpCommand(Deno.args, realDeps(), {
  backend: () => Promise.resolve({ computer: fake, reason: null }),
});
Deno.exit(code);
