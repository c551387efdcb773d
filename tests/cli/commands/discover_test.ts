/**
 * `opendesk discover` against a real `opendesk serve` announcing itself over
 * mDNS. Multicast must not leave this machine, so both run inside a private
 * network namespace with multicast on loopback (`unshare -n`).
 */
import { assertEquals, assertMatch } from "../_util/assert.ts";

const MAIN = new URL("../../../src/cli/main.ts", import.meta.url).pathname;
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
  console.log("discover test skipped: cannot create a network namespace (unshare -n)");
}

Deno.test({
  name: "runDiscover() finds a serving machine on the local network and shows its description",
  ignore: !canRun && !CI,
  fn: async () => {
    if (!canRun) throw new Error("CI=true but network namespaces (unshare -n) are not available");
    const serverHome = await Deno.makeTempDir({ prefix: "opendesk_mdns_srv_" });
    const clientHome = await Deno.makeTempDir({ prefix: "opendesk_mdns_cli_" });
    const deno = Deno.execPath();
    const script = [
      "set -e",
      "ip link set lo up",
      "ip link set lo multicast on",
      "ip route add 224.0.0.0/4 dev lo",
      `"${deno}" run -A "${MAIN}" describe "Lab build box" --home "${serverHome}" >/dev/null`,
      `"${deno}" run -A --unstable-net "${MAIN}" serve --home "${serverHome}" --port 0 --approve auto </dev/null >"${serverHome}/serve.log" 2>&1 &`,
      "pid=$!",
      // Wait for the server's own "listening" line (bounded, failing with its log), then browse
      // until the answer names the server: one browse window can close before a loaded machine's
      // server answers, so a browse that found nothing is repeated, up to 5 times.
      `for i in $(seq 1 300); do grep -q listening "${serverHome}/serve.log" && break; ` +
      `if [ "$i" = 300 ]; then echo "serve never listened:" >&2; cat "${serverHome}/serve.log" >&2; exit 1; fi; ` +
      "sleep 0.1; done",
      "browse() { for i in 1 2 3 4 5; do " +
      `out=$("${deno}" run -A --unstable-net "${MAIN}" discover --timeout 2 "$@" --home "${clientHome}"); ` +
      `case "$out" in *"Lab build box"*) break ;; esac; done; printf '%s\n' "$out"; }`,
      "browse",
      "echo ---",
      "browse --json",
      "kill -INT $pid",
      "wait $pid",
    ].join("\n");
    try {
      const output = await new Deno.Command("unshare", {
        args: ["-n", "bash", "-c", script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(output.stdout);
      assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
      const [table, json] = text.split("---\n") as [string, string];
      assertMatch(table, /^NAME\s+ADDRESS\s+FINGERPRINT\s+PAIRED AS\s+DESCRIPTION\n/);
      assertMatch(
        table,
        /\S+-[0-9a-f]{6}\s+\d+\.\d+\.\d+\.\d+:\d+\s+[0-9a-f]{4}(:[0-9a-f]{4}){3}\s+Lab build box\n/,
      );
      const found = JSON.parse(json.trim().split("\n")[0]!);
      assertMatch(found.public_key, /^[0-9a-f]{64}$/);
      assertEquals(found.description, "Lab build box");
      assertEquals(found.fingerprint, found.public_key.slice(0, 16).match(/..../g).join(":"));
    } finally {
      await Deno.remove(serverHome, { recursive: true });
      await Deno.remove(clientHome, { recursive: true });
    }
  },
});
