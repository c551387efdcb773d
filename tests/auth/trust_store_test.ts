import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { join } from "node:path";
import { TrustStoreCorruptError, TrustStoreError } from "../../src/auth/errors.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { modeOf, tempHome, vec } from "./_helpers.ts";

const A = "aa".repeat(32);
const B = "bb".repeat(32);
const C = "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20";
const clock = { now: () => 1_700_000_000_500 };

function store(home: string): TrustStore {
  return new TrustStore(home, { clock });
}

function readJson(home: string): unknown {
  return JSON.parse(Deno.readTextFileSync(join(home, "trusted-peers.json")));
}

Deno.test("TrustStore.add() writes the reference's layout with role, mode 0600 in a 0700 home", () => {
  using home = tempHome();
  const dir = join(home.path, ".opendesk");
  store(dir).add(A, "laptop", "controller");
  const text = Deno.readTextFileSync(join(dir, "trusted-peers.json"));
  strictEqual(
    text,
    `[
  {
    "description": "",
    "description_override": "",
    "last_host": "",
    "last_port": 0,
    "name": "laptop",
    "paired_at": 1700000000.5,
    "public_key": "${A}",
    "rendezvous_url": "",
    "role": "controller"
  }
]`,
  );
  strictEqual(modeOf(join(dir, "trusted-peers.json")), 0o600);
  strictEqual(modeOf(dir), 0o700);
});

Deno.test("TrustStore.get() finds peers by raw key, hex in either case, or name", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(C, "desk", "remote");
  for (const ref of [vec("keys.client_static_public"), C, C.toUpperCase(), "desk"]) {
    strictEqual(s.get(ref)?.name, "desk");
  }
  strictEqual(s.get("nobody"), null);
  strictEqual(s.get(B), null);
});

Deno.test("TrustStore reads a reference file with uppercase keys and normalises them on write", () => {
  using home = tempHome();
  Deno.writeTextFileSync(
    join(home.path, "trusted-peers.json"),
    JSON.stringify([{ public_key: A.toUpperCase(), name: "old", paired_at: 1 }]),
  );
  const s = store(home.path);
  ok(s.isTrustedController(A));
  s.cacheEndpoint(A, "10.0.0.7", 8423);
  deepStrictEqual(readJson(home.path), [{
    public_key: A,
    name: "old",
    paired_at: 1,
    last_host: "10.0.0.7",
    last_port: 8423,
  }]);
});

const ROLE_CASES = [
  { role: "controller", controller: true, remote: false },
  { role: "remote", controller: false, remote: true },
  { role: "", controller: true, remote: true },
] as const;

for (const { role, controller, remote } of ROLE_CASES) {
  Deno.test(`TrustStore trust checks for role ${JSON.stringify(role)}`, () => {
    using home = tempHome();
    const s = store(home.path);
    s.add(A, "peer", role);
    strictEqual(s.isTrustedController(A), controller);
    strictEqual(s.isTrustedRemote(A), remote);
    strictEqual(s.isTrustedController(B), false);
    deepStrictEqual(s.legacyPeers().map((p) => p.name), role === "" ? ["peer"] : []);
  });
}

Deno.test("TrustStore.rename() keeps every other field, unknown ones included", () => {
  using home = tempHome();
  const entry = {
    public_key: A,
    name: "old",
    paired_at: 5.5,
    description: "kitchen pc",
    description_override: "mine",
    last_host: "172.20.0.2",
    last_port: 9000,
    role: "remote",
    future_field: { nested: [1, 2] },
  };
  Deno.writeTextFileSync(join(home.path, "trusted-peers.json"), JSON.stringify([entry]));
  const s = store(home.path);
  const renamed = s.rename("old", "new");
  strictEqual(renamed.name, "new");
  deepStrictEqual(readJson(home.path), [{ ...entry, name: "new" }]);
});

Deno.test("TrustStore keeps names unique on add and rename", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "laptop", "controller");
  s.add(B, "desk", "remote");
  throws(() => s.add(C, "laptop", "remote"), TrustStoreError);
  throws(() => s.rename("desk", "laptop"), TrustStoreError);
  throws(() => s.add(C, "  ", "remote"), TrustStoreError);
  strictEqual(s.freeName("laptop"), "laptop-2");
  strictEqual(s.freeName("laptop", A), "laptop");
  // Re-adding the same key updates its name and role only.
  s.cacheEndpoint(A, "h", 1);
  const again = s.add(A, "laptop2", "remote");
  strictEqual(again.role, "remote");
  strictEqual(again.lastHost, "h");
  strictEqual(s.list().length, 2);
});

Deno.test("TrustStore.remove() clears default-peer when it pointed at the removed peer", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "laptop", "remote");
  s.add(B, "desk", "remote");
  s.setDefaultPeer("laptop");
  strictEqual(Deno.readTextFileSync(join(home.path, "default-peer")), "laptop\n");
  strictEqual(modeOf(join(home.path, "default-peer")), 0o600);
  strictEqual(s.defaultPeer()?.publicKey, A);
  s.remove("desk");
  strictEqual(s.defaultPeer()?.name, "laptop");
  s.remove(A.toUpperCase());
  strictEqual(s.defaultPeer(), null);
  throws(() => Deno.statSync(join(home.path, "default-peer")), Deno.errors.NotFound);
  throws(() => s.remove("laptop"), TrustStoreError);
});

Deno.test("TrustStore.rename() moves default-peer along; a stale default-peer is ignored", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "laptop", "remote");
  s.setDefaultPeer(A);
  s.rename(A, "travel");
  strictEqual(s.defaultPeer()?.name, "travel");
  Deno.writeTextFileSync(join(home.path, "default-peer"), "ghost\n");
  strictEqual(s.defaultPeer(), null);
});

Deno.test("TrustStore descriptions: override wins, cache ignores empty text", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "laptop", "remote");
  strictEqual(s.cacheDescription(A, "Ubuntu box"), true);
  strictEqual(s.cacheDescription(A, ""), false);
  strictEqual(s.describe("laptop"), "Ubuntu box");
  s.setDescriptionOverride("laptop", "Dad's machine");
  strictEqual(s.describe(A), "Dad's machine");
  s.setDescriptionOverride("laptop", "");
  strictEqual(s.describe(A), "Ubuntu box");
  strictEqual(s.describe("nobody"), "");
});

Deno.test("TrustStore.cacheEndpoint() writes only when the endpoint changed", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "laptop", "remote");
  const path = join(home.path, "trusted-peers.json");
  strictEqual(s.cacheEndpoint(A, "10.0.0.7", 8423), true);
  const inode = Deno.statSync(path).ino;
  strictEqual(s.cacheEndpoint(A, "10.0.0.7", 8423), false);
  strictEqual(Deno.statSync(path).ino, inode, "the file was not rewritten");
  strictEqual(s.cacheEndpoint(B, "10.0.0.8", 1), false, "unknown keys are ignored");
  strictEqual(s.get(A)?.lastPort, 8423);
  throws(() => s.cacheEndpoint(A, "h", 70000), RangeError);
});

Deno.test("TrustStore re-reads the file, so another process's pairing takes effect", () => {
  using home = tempHome();
  const s = store(home.path);
  strictEqual(s.isTrustedController(A), false);
  store(home.path).add(A, "laptop", "controller"); // another instance, as another process would
  strictEqual(s.isTrustedController(A), true);
});

Deno.test("TrustStore keeps the last good file as trusted-peers.json.bak", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "one", "remote");
  const first = Deno.readTextFileSync(join(home.path, "trusted-peers.json"));
  s.add(B, "two", "remote");
  strictEqual(Deno.readTextFileSync(join(home.path, "trusted-peers.json.bak")), first);
  strictEqual(modeOf(join(home.path, "trusted-peers.json.bak")), 0o600);
});

const CORRUPT = [
  { name: "truncated JSON", text: '[{"public_key": "aa' },
  { name: "an object instead of an array", text: '{"public_key": "x"}' },
  { name: "an empty file", text: "" },
];

for (const { name, text } of CORRUPT) {
  Deno.test(`TrustStore reports ${name} and never overwrites it`, () => {
    using home = tempHome();
    const path = join(home.path, "trusted-peers.json");
    Deno.writeTextFileSync(path, text);
    const s = store(home.path);
    for (
      const action of [
        () => s.list(),
        () => s.isTrustedController(A),
        () => s.add(A, "x", "remote"),
      ]
    ) {
      throws(action, (e: unknown) => {
        ok(e instanceof TrustStoreCorruptError);
        strictEqual(e.path, path);
        ok(e.message.startsWith(`Cannot read trusted peers from "${path}": `), e.message);
        ok(e.message.includes(".bak"), e.message);
        return true;
      });
    }
    strictEqual(Deno.readTextFileSync(path), text, "byte-for-byte untouched");
    // Nothing else is written; the writer's lock file is the only new entry.
    deepStrictEqual(Deno.readDirSync(home.path).map((e) => e.name).toArray().sort(), [
      "trust.lock",
      "trusted-peers.json",
    ]);
  });
}

Deno.test("TrustStore keeps and flags odd entries instead of dropping them", () => {
  using home = tempHome();
  const raw = [
    { public_key: A, name: "iso-date", paired_at: "2024-01-01T00:00:00" },
    { name: "no key" },
    "not an object",
    { public_key: B, name: "iso-date" },
  ];
  Deno.writeTextFileSync(join(home.path, "trusted-peers.json"), JSON.stringify(raw));
  const s = store(home.path);
  const peer = s.get(A)!;
  strictEqual(peer.pairedAt, null);
  deepStrictEqual(peer.issues, ["paired_at is not a number"]);
  ok(s.isTrustedController(A));
  strictEqual(s.issues().length, 4);
  throws(() => s.get("iso-date"), /ambiguous/);
  s.rename(B, "second");
  const written = readJson(home.path) as unknown[];
  strictEqual(written.length, 4, "every entry is kept on rewrite");
  deepStrictEqual(written[1], { name: "no key" });
  strictEqual(written[2], "not an object");
  strictEqual(s.issues().length, 3);
});

Deno.test("TrustStore survives a crash that left a temp file: the original stays authoritative", () => {
  using home = tempHome();
  const s = store(home.path);
  s.add(A, "laptop", "controller");
  const before = Deno.readTextFileSync(join(home.path, "trusted-peers.json"));
  // What a writer killed between write and rename leaves behind:
  Deno.writeTextFileSync(join(home.path, "trusted-peers.json.0123456789ab.tmp"), '[{"torn');
  strictEqual(Deno.readTextFileSync(join(home.path, "trusted-peers.json")), before);
  ok(s.isTrustedController(A));
  s.add(B, "desk", "remote");
  strictEqual(s.list().length, 2);
});

Deno.test("TrustStore.setRole() settles a legacy entry", () => {
  using home = tempHome();
  Deno.writeTextFileSync(
    join(home.path, "trusted-peers.json"),
    JSON.stringify([{ public_key: A, name: "old" }]),
  );
  const s = store(home.path);
  strictEqual(s.legacyPeers().length, 1);
  s.setRole("old", "remote");
  strictEqual(s.legacyPeers().length, 0);
  strictEqual(s.isTrustedController(A), false);
});

Deno.test("TrustStore with no file is empty and creates nothing on read", () => {
  using home = tempHome();
  const dir = join(home.path, "fresh");
  const s = store(dir);
  deepStrictEqual(s.list(), []);
  strictEqual(s.defaultPeer(), null);
  throws(() => Deno.statSync(dir), Deno.errors.NotFound);
  throws(() => s.add("xyz", "n", "remote"), SyntaxError);
});
