import { assertEquals, assertThrows } from "./_assert.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { parseHostPort, resolveTarget, TargetError, wsUrl } from "../../src/remote/target.ts";

const A = "aa".repeat(32);
const B = "bb".repeat(32);
const C = "cc".repeat(32);

function withStore(fn: (store: TrustStore) => void): void {
  const home = Deno.makeTempDirSync();
  try {
    const store = new TrustStore(home);
    store.add(A, "office", "remote");
    store.cacheEndpoint(A, "10.0.0.5", 9000);
    store.add(B, "laptop", "");
    store.cacheEndpoint(B, "10.0.0.6", 0);
    store.add(C, "boss", "controller");
    fn(store);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

Deno.test("resolveTarget() resolves each target form in order", () =>
  withStore((store) => {
    const cases = [
      { input: "office", expected: ["10.0.0.5", 9000, "office", "peer"] },
      { input: A.toUpperCase(), expected: ["10.0.0.5", 9000, "office", "peer"] },
      { input: "laptop", expected: ["10.0.0.6", 8423, "laptop", "peer"] },
      { input: "10.0.0.5", expected: ["10.0.0.5", 9000, "office", "endpoint"] },
      { input: "10.0.0.5:9000", expected: ["10.0.0.5", 9000, "office", "endpoint"] },
      { input: "10.0.0.6:8423", expected: ["10.0.0.6", 8423, "laptop", "endpoint"] },
      { input: `ws://192.168.1.9#${A}`, expected: ["192.168.1.9", 8423, "office", "url"] },
      { input: `ws://192.168.1.9:1234/#${C}`, expected: ["192.168.1.9", 1234, "boss", "url"] },
    ] as const;
    for (const { input, expected } of cases) {
      const r = resolveTarget(input, store);
      assertEquals([r.host, r.port, r.name, r.source], [...expected], input);
    }
    store.setDefaultPeer("laptop");
    assertEquals(resolveTarget(undefined, store).name, "laptop");
  }));

Deno.test("resolveTarget() refuses what it cannot or must not dial", () =>
  withStore((store) => {
    const cases = [
      { input: undefined, message: "no default peer is set; name one of 'office', 'laptop'" },
      { input: "ofice", message: "did you mean 'office'? (`opendesk connect office`)" },
      { input: "lapt0p:1", message: "no paired machine is named so" },
      { input: `wss://h:1#${A}`, message: "wss:// (TLS) is not supported" },
      { input: "ws://h:1", message: "needs the server's key" },
      { input: `relay://h:1#${A}`, message: "not supported" },
      { input: "boss", message: "trusted to control this machine" },
      { input: "10.9.9.9", message: "was last reached at that address" },
      { input: "no such thing!", message: "not a paired machine's name" },
    ];
    for (const { input, message } of cases) {
      assertThrows(() => resolveTarget(input, store), TargetError, message);
    }
  }));

Deno.test("resolveTarget() uses the only paired machine when no target is given", () => {
  const home = Deno.makeTempDirSync();
  try {
    const store = new TrustStore(home);
    assertThrows(() => resolveTarget(undefined, store), TargetError, "pair first");
    store.add(C, "boss", "controller");
    assertThrows(() => resolveTarget(undefined, store), TargetError, "pair first");
    store.add(A, "vm", "remote");
    store.cacheEndpoint(A, "10.0.0.5", 9000);
    const only = resolveTarget(undefined, store);
    assertEquals([only.name, only.host, only.port, only.source], ["vm", "10.0.0.5", 9000, "only"]);
    assertThrows(
      () => resolveTarget("vmm", store),
      TargetError,
      "did you mean 'vm'? (`opendesk connect vm`)",
    );
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});

Deno.test("parseHostPort() and wsUrl() handle IPv4, names and bracketed IPv6", () => {
  assertEquals(parseHostPort("example.local:80"), { host: "example.local", port: 80 });
  assertEquals(parseHostPort("[::1]:8423"), { host: "::1", port: 8423 });
  assertEquals(parseHostPort("host"), { host: "host", port: null });
  assertEquals(parseHostPort("host:99999"), null);
  assertEquals(wsUrl("::1", 5), "ws://[::1]:5");
  assertEquals(wsUrl("10.0.0.1", 5), "ws://10.0.0.1:5");
});
