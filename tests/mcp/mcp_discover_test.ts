/**
 * `opendesk_discover` against a real `opendesk serve` announcing itself over
 * mDNS, both in another process. Multicast must not leave this machine, so
 * they run inside a private network namespace with multicast on loopback
 * (`unshare -n`); under CI=true a missing namespace fails the test.
 */
import { assertEquals, assertMatch } from "../cli/_util/assert.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const CHILD = new URL("./_discover_child.ts", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";

function namespacesWork(): boolean {
  try {
    return new Deno.Command("unshare", { args: ["-n", "true"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const canRun = Deno.build.os === "linux" && namespacesWork();
if (!canRun && !CI) {
  console.log("opendesk_discover test skipped: cannot create a network namespace (unshare -n)");
}

Deno.test({
  name: "opendesk_discover finds a real opendesk serve announcing over mDNS, not paired",
  ignore: !canRun && !CI,
  fn: async () => {
    if (!canRun) throw new Error("CI=true but network namespaces (unshare -n) are not available");
    const serverHome = await Deno.makeTempDir({ prefix: "od_mcp_mdns_srv_" });
    const clientHome = await Deno.makeTempDir({ prefix: "od_mcp_mdns_cli_" });
    const deno = Deno.execPath();
    const script = [
      "set -e",
      "ip link set lo up",
      "ip link set lo multicast on",
      "ip route add 224.0.0.0/4 dev lo",
      `"${deno}" run -A "${MAIN}" describe "MCP lab box" --home "${serverHome}" >/dev/null`,
      `"${deno}" run -A --unstable-net "${MAIN}" serve --home "${serverHome}" --port 0 --approve auto </dev/null >"${serverHome}/serve.log" 2>&1 &`,
      "pid=$!",
      // The server's own "listening" line (bounded, failing with its log) before browsing.
      `for i in $(seq 1 300); do grep -q listening "${serverHome}/serve.log" && break; ` +
      `if [ "$i" = 300 ]; then echo "serve never listened:" >&2; cat "${serverHome}/serve.log" >&2; exit 1; fi; ` +
      "sleep 0.1; done",
      `"${deno}" run -A --unstable-net "${CHILD}" "MCP lab box" "${clientHome}"`,
      "kill -INT $pid",
      "wait $pid",
    ].join("\n");
    try {
      const output = await new Deno.Command("unshare", {
        args: ["-n", "bash", "-c", script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
      const text = JSON.parse(new TextDecoder().decode(output.stdout).trim()) as string;
      // "<name> <host>:<port> <fingerprint> [NOT paired]  <description>"
      assertMatch(
        text,
        /^\S+-[0-9a-f]{6} \d+\.\d+\.\d+\.\d+:\d+ [0-9a-f]{4}(:[0-9a-f]{4}){3} \[NOT paired\] {2}MCP lab box$/m,
      );
    } finally {
      await Deno.remove(serverHome, { recursive: true });
      await Deno.remove(clientHome, { recursive: true });
    }
  },
});
