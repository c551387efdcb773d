import { deepStrictEqual, notDeepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { join } from "node:path";
import { IdentityError } from "../../src/auth/errors.ts";
import { Identity } from "../../src/auth/identity.ts";
import { KEYS, modeOf, tempHome, toHex, vec } from "./_helpers.ts";

Deno.test("Identity.fromPrivateKey() derives the vector public key and fingerprint", () => {
  const id = Identity.fromPrivateKey(KEYS.serverStatic);
  deepStrictEqual(id.publicKey, vec("keys.server_static_public"));
  strictEqual(id.fingerprint, "7b4e:909b:be7f:fe44");
  strictEqual(id.publicKeyHex, toHex(vec("keys.server_static_public")));
});

Deno.test("Identity.agree() computes the static DH of the vectors", () => {
  const server = Identity.fromPrivateKey(KEYS.serverStatic);
  const client = Identity.fromPrivateKey(KEYS.clientStatic);
  deepStrictEqual(server.agree(client.publicKey), client.agree(server.publicKey));
  strictEqual(server.agree(client.publicKey).length, 32);
});

Deno.test("Identity.loadOrCreate() creates identity.key (0600) in a 0700 home and reloads it", () => {
  using home = tempHome();
  const dir = join(home.path, "nested", ".opendesk");
  const first = Identity.loadOrCreate(dir);
  const path = join(dir, "identity.key");
  strictEqual(Deno.readFileSync(path).length, 32);
  strictEqual(modeOf(path), 0o600);
  strictEqual(modeOf(dir), 0o700);
  const again = Identity.loadOrCreate(dir);
  deepStrictEqual(again.publicKey, first.publicKey);
  deepStrictEqual(
    Deno.readDirSync(dir).map((e) => e.name).toArray(),
    ["identity.key"],
    "no temp files are left behind",
  );
});

Deno.test("Identity.loadOrCreate() reads a key written by the reference (raw bytes, unclamped)", () => {
  using home = tempHome();
  Deno.writeFileSync(join(home.path, "identity.key"), KEYS.clientStatic, { mode: 0o600 });
  const id = Identity.loadOrCreate(home.path);
  deepStrictEqual(id.publicKey, vec("keys.client_static_public"));
});

Deno.test("Identity.loadOrCreate() repairs the modes of the home directory and key file", () => {
  using home = tempHome();
  Identity.loadOrCreate(home.path);
  Deno.chmodSync(home.path, 0o755);
  Deno.chmodSync(join(home.path, "identity.key"), 0o644);
  Identity.loadOrCreate(home.path);
  strictEqual(modeOf(home.path), 0o700);
  strictEqual(modeOf(join(home.path, "identity.key")), 0o600);
});

Deno.test("Identity.loadOrCreate() refuses a key file of the wrong size and leaves it alone", () => {
  using home = tempHome();
  const path = join(home.path, "identity.key");
  Deno.writeFileSync(path, new Uint8Array(31).fill(9));
  throws(() => Identity.loadOrCreate(home.path), (e: unknown) => {
    ok(e instanceof IdentityError);
    ok(e.message.includes("holds 31 bytes, expected 32"));
    return true;
  });
  deepStrictEqual(Deno.readFileSync(path), new Uint8Array(31).fill(9));
});

Deno.test("Identity never shows its private key in inspect or JSON output", () => {
  const id = Identity.fromPrivateKey(KEYS.clientStatic);
  const secretHex = toHex(KEYS.clientStatic);
  const shown = [
    Deno.inspect(id),
    Deno.inspect(id, { showHidden: true, depth: 10 }),
    JSON.stringify(id),
    String(Object.keys(id)),
  ];
  for (const text of shown) ok(!text.includes(secretHex) && !text.includes("34,34,34"), text);
  strictEqual(Deno.inspect(id), `Identity { fingerprint: "${id.fingerprint}" }`);
});

Deno.test("Identity.generate() draws different keys", () => {
  notDeepStrictEqual(Identity.generate().publicKey, Identity.generate().publicKey);
});

Deno.test("Identity.fromPrivateKey() copies the key and rejects other lengths", () => {
  const raw = KEYS.serverStatic.slice();
  const id = Identity.fromPrivateKey(raw);
  raw.fill(0);
  deepStrictEqual(
    id.agree(vec("keys.client_static_public")),
    Identity.fromPrivateKey(KEYS.serverStatic).agree(vec("keys.client_static_public")),
  );
  throws(() => Identity.fromPrivateKey(new Uint8Array(33)), TypeError);
});

Deno.test("Identity.loadOrCreate() racing in several processes ends with one key for all", async () => {
  using home = tempHome();
  const moduleUrl = new URL("../../src/auth/identity.ts", import.meta.url).href;
  const script = `
    import { Identity } from ${JSON.stringify(moduleUrl)};
    console.log(Identity.loadOrCreate(${JSON.stringify(home.path)}).publicKeyHex);
  `;
  const runs = Array.from({ length: 4 }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-check", script],
      stdout: "piped",
      stderr: "piped",
    }).output());
  const outputs = await Promise.all(runs);
  const keys = outputs.map((o) => new TextDecoder().decode(o.stdout).trim());
  for (const o of outputs) strictEqual(o.code, 0, new TextDecoder().decode(o.stderr));
  strictEqual(new Set(keys).size, 1, keys.join(" "));
  strictEqual(Identity.loadOrCreate(home.path).publicKeyHex, keys[0]);
});
