import { assert, assertEquals } from "./_assert.ts";
import { defaultInstanceName, parsePublicKey } from "../../src/remote/discovery.ts";

const CHILD = new URL("./_mdns_namespace_child.ts", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";

async function canUnshare(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "network namespaces need Linux";
  try {
    const out = await new Deno.Command("unshare", { args: ["-n", "true"], stderr: "null" })
      .output();
    return out.success ? null : "unshare -n failed (needs root or user namespaces)";
  } catch {
    return "unshare is not installed";
  }
}

/**
 * Runs the child script in `mode` inside a private network namespace with
 * multicast on its loopback (nothing leaves this machine). Returns null when
 * the namespace cannot be made outside CI (the test is skipped with a reason).
 */
async function runInPrivateNamespace(mode: string): Promise<Deno.CommandOutput | null> {
  const missing = await canUnshare();
  if (missing) {
    if (CI) throw new Error(`Cannot run the mDNS test: ${missing}`);
    console.log(`skipped: ${missing}`);
    return null;
  }
  const script = [
    "ip link set lo up",
    "ip link set lo multicast on",
    "ip route add 224.0.0.0/4 dev lo",
    `exec "${Deno.execPath()}" run -A --unstable-net "${CHILD}" ${mode}`,
  ].join(" && ");
  return await new Deno.Command("unshare", {
    args: ["-n", "bash", "-c", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("MdnsAdvertiser and discover() find each other across processes in a private namespace", async () => {
  const out = await runInPrivateNamespace("browse");
  if (out === null) return;
  const stdout = new TextDecoder().decode(out.stdout);
  assert(out.success, `child failed: ${new TextDecoder().decode(out.stderr)}`);
  const [first, second] = stdout.trim().split("\n").map((l) => JSON.parse(l));
  const key = Array.from({ length: 32 }, (_, i) => 0xa0 + i);
  assertEquals(first, [{
    name: "testbox-a0a1a2",
    host: "127.0.0.1",
    port: 18423,
    publicKey: key,
    fingerprint: "a0a1:a2a3:a4a5:a6a7",
    description: "first description",
    url: "ws://127.0.0.1:18423",
  }]);
  assertEquals(second.length, 1);
  assertEquals(second[0].description, "é".repeat(60), "refreshed and cut to 120 bytes");
});

Deno.test("parsePublicKey() accepts 32 raw bytes or 64 hex characters", () => {
  const raw = Uint8Array.from({ length: 32 }, (_, i) => i);
  const hex = new TextEncoder().encode(
    Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join(""),
  );
  const cases = [
    { name: "raw", input: raw, expected: raw },
    { name: "hex", input: hex, expected: raw },
    { name: "short", input: raw.subarray(0, 31), expected: null },
    { name: "bad hex", input: new TextEncoder().encode("zz".repeat(32)), expected: null },
    { name: "absent", input: undefined, expected: null },
  ];
  for (const c of cases) assertEquals(parsePublicKey(c.input), c.expected, c.name);
});

Deno.test("defaultInstanceName() is <hostname>-<6 hex of the key>", () => {
  const name = defaultInstanceName(new Uint8Array([0xab, 0xcd, 0xef, 1]));
  assert(name.endsWith("-abcdef"), name);
});

Deno.test("connect() finds a paired server by its key over mDNS when no address is cached", async () => {
  const out = await runInPrivateNamespace("connect");
  if (out === null) return;
  assert(out.success, `child failed: ${new TextDecoder().decode(out.stderr)}`);
  assertEquals(new TextDecoder().decode(out.stdout).trim().split("\n"), [
    "connected 127.0.0.1:port-ok 1",
    "cached 127.0.0.1:port-ok",
  ]);
});
