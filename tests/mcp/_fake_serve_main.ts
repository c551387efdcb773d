/**
 * `opendesk serve` with the fake computer as its backend (the documented
 * `ServerHooks` seam), as a separate process for the MCP remote-target tests.
 */
import { FakeComputer } from "../../src/computer/mod.ts";
import { runServe } from "../../src/cli/commands/serve.ts";
import { realDeps } from "../../src/cli/_real_deps.ts";

const fake = new FakeComputer({ width: 400, height: 300 });
const code = await runServe(Deno.args, realDeps(), {
  backend: () => Promise.resolve({ computer: fake, reason: null }),
});
Deno.exit(code);
