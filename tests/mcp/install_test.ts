import { assert, assertEquals, assertMatch } from "../cli/_util/assert.ts";
import { childEnv, MAIN } from "./_harness.ts";

async function runInstall(
  home: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", MAIN, "mcp", "install", ...args],
    env: childEnv(home),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("opendesk mcp install merges the entry, keeps other servers and a backup", async () => {
  const home = await Deno.makeTempDir({ prefix: "od-mcp-install-" });
  try {
    const path = `${home}/.config/Claude/claude_desktop_config.json`;
    await Deno.mkdir(`${home}/.config/Claude`, { recursive: true });
    const before = JSON.stringify({ theme: "dark", mcpServers: { other: { command: "x" } } });
    await Deno.writeTextFile(path, before);
    const r = await runInstall(home, ["--client", "claude-desktop", "--target", "office"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, /previous file kept as .*claude_desktop_config\.json\.bak/);
    const config = JSON.parse(await Deno.readTextFile(path));
    assertEquals(config.theme, "dark");
    assertEquals(config.mcpServers.other, { command: "x" });
    const entry = config.mcpServers.opendesk;
    assertEquals(entry.command, Deno.execPath());
    assertEquals(
      entry.args.slice(-4),
      ["main.ts", "mcp", "--target", "office"].map((a, i) => i === 0 ? entry.args.at(-4) : a),
    );
    assert(String(entry.args.at(-4)).endsWith("src/cli/main.ts"));
    assertEquals(await Deno.readTextFile(`${path}.bak`), before);
    const leftovers = [...Deno.readDirSync(`${home}/.config/Claude`)].map((e) => e.name).sort();
    assertEquals(leftovers, ["claude_desktop_config.json", "claude_desktop_config.json.bak"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("opendesk mcp install: claude-code and cursor entries, --print changes nothing, bad JSON is left alone", async () => {
  const home = await Deno.makeTempDir({ prefix: "od-mcp-install-" });
  try {
    const r = await runInstall(home, ["--client", "claude-code"]);
    assertEquals(r.code, 0, r.stderr);
    const code = JSON.parse(await Deno.readTextFile(`${home}/.claude.json`));
    assertEquals(code.mcpServers.opendesk.type, "stdio");
    const printed = await runInstall(home, ["--client", "cursor", "--print"]);
    assertEquals(printed.code, 0, printed.stderr);
    assertEquals(JSON.parse(printed.stdout).mcpServers.opendesk.args.at(-1), "mcp");
    assert(
      !(await Deno.stat(`${home}/.cursor`).then(() => true, () => false)),
      "--print wrote nothing",
    );
    await Deno.mkdir(`${home}/.cursor`);
    await Deno.writeTextFile(`${home}/.cursor/mcp.json`, "{ not json");
    const bad = await runInstall(home, ["--client", "cursor"]);
    assertEquals(bad.code, 1);
    assertMatch(bad.stderr, /Cannot update .*mcp\.json: .*it was not changed/);
    assertEquals(await Deno.readTextFile(`${home}/.cursor/mcp.json`), "{ not json");
    const usage = await runInstall(home, ["--client", "vim"]);
    assertEquals(usage.code, 2);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
