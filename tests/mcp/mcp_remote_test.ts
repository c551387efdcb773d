/**
 * `opendesk mcp` driving a paired machine: `opendesk serve` (fake backend)
 * runs in its own process, the controller pairs with it, and the MCP
 * server's tools drive it through the encrypted client. Killing the server
 * mid-session gives a clear tool error; after a restart the tools work again.
 */
import { assert, assertEquals, assertMatch } from "../cli/_util/assert.ts";
import { pairWith } from "../../src/remote/mod.ts";
import { assertStringIncludes, childEnv, imageOf, Lines, startStdio, textOf } from "./_harness.ts";

const SERVE_MAIN = new URL("./_fake_serve_main.ts", import.meta.url).pathname;

interface ServeChild {
  port: number;
  stdout: Lines;
  kill(): Promise<void>;
}

async function startServe(home: string, port: number): Promise<ServeChild> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      SERVE_MAIN,
      "--home",
      home,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--no-mdns",
      "--approve",
      "auto",
      "--no-audit",
    ],
    env: childEnv(home),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const stdout = new Lines();
  const pump = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) stdout.push(chunk);
  })();
  const line = await stdout.waitFor((l) => /listening on ws:\/\/127\.0\.0\.1:\d+/.test(l), 20_000);
  return {
    port: Number(/:(\d+)/.exec(line.slice(line.indexOf("ws://") + 5))![1]),
    stdout,
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await child.status;
      await pump;
      await child.stdin.close().catch(() => {});
    },
  };
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 40_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test("opendesk mcp drives a paired machine, and recovers when its server is killed and restarted", async () => {
  const serveHome = await Deno.makeTempDir({ prefix: "od-mcp-serve-" });
  const clientHome = await Deno.makeTempDir({ prefix: "od-mcp-client-" });
  let serve = await startServe(serveHome, 0);
  try {
    const codeLine = await serve.stdout.waitFor((l) => /PAIRING CODE {3}\d{3} \d{3}/.test(l));
    const code = /(\d{3}) (\d{3})/.exec(codeLine)!.slice(1).join("");
    const session = await pairWith(`127.0.0.1:${serve.port}`, code, {
      home: clientHome,
      name: "office",
      mdns: false,
    });
    await session.close();

    const child = await startStdio({ fake: false, args: ["--home", clientHome] });
    try {
      const peers = textOf(await child.call("opendesk_peers"));
      assertMatch(peers, /office {2}\[default \(only paired\)\]/);
      const shot = await child.call("screenshot");
      assert(!shot.isError, textOf(shot));
      assertMatch(textOf(shot), /Screenshot 400x300 PNG .* area 400x300/);
      assertEquals(imageOf(shot)?.mimeType, "image/png");
      const click = await child.call("computer", { action: "left_click", coordinate: [10, 10] });
      assert(!click.isError, textOf(click));
      const caps = await child.call("opendesk_capabilities", {});
      assertEquals((caps.structuredContent as { peer: string; backend: string }).peer, "office");

      await serve.kill();
      await until("the connection to be seen as lost", async () => {
        const s = textOf(await child.call("opendesk_status"));
        return s.includes("office") && s.includes("reconnecting") ? s : undefined;
      });
      const lost = await child.call("screenshot");
      assert(lost.isError);
      assertStringIncludes(textOf(lost), "Lost the connection to 'office'");
      assertStringIncludes(textOf(lost), "call the tool again in a few seconds");

      serve = await startServe(serveHome, serve.port);
      const back = await until("the tools to work again", async () => {
        const r = await child.call("screenshot");
        return r.isError ? undefined : r;
      });
      assertMatch(textOf(back), /Screenshot 400x300 PNG/);
      const again = await child.call("computer", { action: "left_click", coordinate: [12, 12] });
      assert(!again.isError, textOf(again));
    } finally {
      await child.close();
    }
  } finally {
    await serve.kill();
    await Deno.remove(serveHome, { recursive: true });
    await Deno.remove(clientHome, { recursive: true });
  }
});
