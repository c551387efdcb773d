import assert from "node:assert/strict";
import { readFileBytes } from "../../../src/computer/host/fs_methods.ts";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../../../src/computer/limits.ts";
import { expandPath } from "../../../src/computer/host/_paths.ts";
import type { RemoteError } from "../../../src/protocol/errors.ts";
import { openSession, rejection, tempDir } from "../_session.ts";

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

function code(error: Error): string {
  return (error as unknown as RemoteError).code;
}

Deno.test("fs.write and fs.read round-trip binary data over the wire, creating parents", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  const path = `${dir.path}/new/nested/blob.bin`;
  await s.remote.writeFile(path, allBytes);
  assert.deepEqual(await s.remote.readFile(path), allBytes);
  assert.deepEqual(await Deno.readFile(path), allBytes);
  assert.deepEqual(await s.remote.readFile(path, { offset: 250 }), allBytes.subarray(250));
  assert.deepEqual(
    await s.remote.readFile(path, { offset: 10, length: 3 }),
    new Uint8Array([10, 11, 12]),
  );
  assert.deepEqual(await s.remote.readFile(path, { offset: 999 }), new Uint8Array());
  await s.remote.writeFile(path, new Uint8Array());
  assert.equal((await Deno.stat(path)).size, 0);
});

Deno.test("fs.read refuses files over the frame limit and names size, limit and offset/length", async () => {
  await using dir = await tempDir();
  const big = `${dir.path}/big.bin`;
  const file = await Deno.open(big, { write: true, create: true });
  await file.truncate(300 * 1024 * 1024); // sparse: 300 MiB, above the default 256 MiB cap
  file.close();
  await using s = await openSession(new HostComputer());
  const error = await rejection(() => s.remote.readFile(big));
  assert.equal(code(error), "invalid_argument");
  assert.ok(error.message.includes(String(300 * 1024 * 1024)), error.message);
  assert.ok(error.message.includes(String(DEFAULT_MAX_PAYLOAD_BYTES)), error.message);
  assert.match(error.message, /'offset' and 'length'/);
  const tooLong = await rejection(() => s.remote.readFile(big, { length: 257 * 1024 * 1024 }));
  assert.equal(code(tooLong), "invalid_argument");
  const chunk = await s.remote.readFile(big, { offset: 299 * 1024 * 1024, length: 1024 });
  assert.equal(chunk.length, 1024);
});

Deno.test("fs.read with offset/length fetches a file bigger than the limit in chunks", async () => {
  await using dir = await tempDir();
  const data = crypto.getRandomValues(new Uint8Array(5000));
  await Deno.writeFile(`${dir.path}/f`, data);
  await using s = await openSession(new HostComputer({ maxPayloadBytes: 1024 }));
  assert.equal(code(await rejection(() => s.remote.readFile(`${dir.path}/f`))), "invalid_argument");
  const parts: Uint8Array[] = [];
  for (let offset = 0;; offset += 1024) {
    const part = await s.remote.readFile(`${dir.path}/f`, { offset, length: 1024 });
    parts.push(part);
    if (part.length < 1024) break;
  }
  assert.deepEqual(new Uint8Array(parts.flatMap((p) => [...p])), data);
});

Deno.test("fs.* report missing paths as not_found and wrong kinds as invalid_argument", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/file.txt`, "x");
  await using s = await openSession(new HostComputer());
  const r = s.remote;
  const cases: [string, () => Promise<unknown>, string, RegExp][] = [
    ["read missing", () => r.readFile(`${dir.path}/nope`), "not_found", /does not exist/],
    ["read a directory", () => r.readFile(dir.path), "invalid_argument", /is a directory/],
    ["stat missing", () => r.stat(`${dir.path}/nope`), "not_found", /does not exist/],
    ["list missing", () => r.listDir(`${dir.path}/nope`), "not_found", /does not exist/],
    ["list a file", () => r.listDir(`${dir.path}/file.txt`), "invalid_argument", /not a directory/],
    [
      "write over a directory",
      () => r.writeFile(dir.path, new Uint8Array([1])),
      "invalid_argument",
      /is a directory/,
    ],
    [
      "write below a file",
      () => r.writeFile(`${dir.path}/file.txt/x`, new Uint8Array()),
      "invalid_argument",
      /not a directory/,
    ],
    [
      "move missing",
      () => r.move(`${dir.path}/nope`, `${dir.path}/b`),
      "not_found",
      /does not exist/,
    ],
    [
      "mkdir without parents",
      () => r.mkdir(`${dir.path}/a/b`, { parents: false }),
      "not_found",
      /parents=true/,
    ],
    [
      "mkdir over a file",
      () => r.mkdir(`${dir.path}/file.txt`),
      "invalid_argument",
      /not a directory/,
    ],
    ["empty path", () => r.stat(""), "invalid_argument", /empty/],
  ];
  for (const [name, run, expected, message] of cases) {
    const error = await rejection(run);
    assert.equal(code(error), expected, `${name}: ${error.message}`);
    assert.match(error.message, message, name);
  }
  assert.equal(await Deno.readTextFile(`${dir.path}/file.txt`), "x");
});

Deno.test("fs.* answer over-long paths with invalid_argument and symlink loops with not_found", async () => {
  await using dir = await tempDir();
  await Deno.symlink(`${dir.path}/loop-b`, `${dir.path}/loop-a`);
  await Deno.symlink(`${dir.path}/loop-a`, `${dir.path}/loop-b`);
  await using s = await openSession(new HostComputer());
  const r = s.remote;
  const longName = `${dir.path}/${"n".repeat(300)}`;
  const longPath = `${dir.path}/${"d/".repeat(3000)}f`;
  const loop = `${dir.path}/loop-a`;
  const cases: [string, () => Promise<unknown>, string, RegExp][] = [
    ["read a long name", () => r.readFile(longName), "invalid_argument", /too long/],
    ["stat a long path", () => r.stat(longPath), "invalid_argument", /too long/],
    [
      "write a long name",
      () => r.writeFile(longName, new Uint8Array([1])),
      "invalid_argument",
      /too long/,
    ],
    ["read a loop", () => r.readFile(loop), "not_found", /symbolic links form a loop/],
    ["stat a loop", () => r.stat(`${loop}/x`), "not_found", /symbolic links form a loop/],
    ["list a loop", () => r.listDir(loop), "not_found", /symbolic links form a loop/],
  ];
  for (const [name, run, expected, message] of cases) {
    const error = await rejection(run);
    assert.equal(code(error), expected, `${name}: ${error.message}`);
    assert.match(error.message, message, name);
  }
});

Deno.test("fs.list and fs.stat describe entries; fs.delete, fs.move and fs.mkdir change the tree", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  const r = s.remote;
  await r.mkdir(`${dir.path}/d/e`);
  await r.mkdir(`${dir.path}/d/e`); // an existing directory is fine
  await r.writeFile(`${dir.path}/d/e/f.txt`, new TextEncoder().encode("hello"));
  await r.writeFile(`${dir.path}/b.txt`, new TextEncoder().encode("b"));
  await Deno.symlink(`${dir.path}/gone`, `${dir.path}/dangling`);
  const entries = await r.listDir(dir.path);
  assert.deepEqual(entries.map((e) => [e.name, e.is_dir]), [["b.txt", false], ["d", true], [
    "dangling",
    false,
  ]]);
  assert.equal(entries[0]!.path, `${dir.path}/b.txt`);
  assert.equal(entries[0]!.size, 1);
  assert.ok(Math.abs(entries[0]!.mtime! - Date.now() / 1000) < 60);
  assert.equal(entries[0]!.mode! & 0o170000, 0o100000);
  const stat = await r.stat(`${dir.path}/d/e/f.txt`);
  assert.deepEqual([stat.name, stat.size, stat.is_dir], ["f.txt", 5, false]);
  await r.move(`${dir.path}/b.txt`, `${dir.path}/d`); // into an existing directory
  assert.equal(await Deno.readTextFile(`${dir.path}/d/b.txt`), "b");
  await r.move(`${dir.path}/d/b.txt`, `${dir.path}/renamed.txt`);
  assert.equal(await Deno.readTextFile(`${dir.path}/renamed.txt`), "b");
  await r.delete(`${dir.path}/d`);
  await r.delete(`${dir.path}/d`); // missing is fine
  await r.delete(`${dir.path}/dangling`);
  assert.deepEqual((await r.listDir(dir.path)).map((e) => e.name), ["renamed.txt"]);
});

Deno.test("fs.write replaces files atomically: readers see the old or the new file, never a part", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/target.bin`;
  await Deno.writeTextFile(path, "old");
  await Deno.chmod(path, 0o600);
  const data = new Uint8Array(24 * 1024 * 1024).fill(7);
  await using s = await openSession(new HostComputer());
  const seen = new Set<number>();
  let done = false;
  const writing = s.remote.writeFile(path, data).finally(() => done = true);
  while (!done) {
    seen.add((await Deno.stat(path)).size);
    await new Promise((r) => setTimeout(r, 1));
  }
  await writing;
  seen.add((await Deno.stat(path)).size);
  assert.deepEqual([...seen].filter((n) => n !== 3 && n !== data.length), []);
  assert.ok(seen.has(data.length));
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600, "the file keeps its mode");
  const leftovers = [];
  for await (const e of Deno.readDir(dir.path)) if (e.name !== "target.bin") leftovers.push(e.name);
  assert.deepEqual(leftovers, [], "no temp files are left behind");
});

Deno.test("fs.write leaves no temp file and keeps the old content when the write fails", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/keep.txt`;
  await Deno.writeTextFile(path, "precious");
  await using s = await openSession(new HostComputer());
  // A path whose parent is a file cannot be written; the old file is untouched.
  await rejection(() => s.remote.writeFile(`${path}/child`, new Uint8Array([1])));
  assert.equal(await Deno.readTextFile(path), "precious");
  const names = [];
  for await (const e of Deno.readDir(dir.path)) names.push(e.name);
  assert.deepEqual(names, ["keep.txt"]);
});

Deno.test("expandPath() expands ~ and ~user and rejects empty and NUL paths", () => {
  const home = Deno.env.get("HOME")!;
  assert.equal(expandPath("~"), home);
  assert.equal(expandPath("~/x/y"), `${home}/x/y`);
  assert.equal(expandPath("~root/z"), "/root/z");
  assert.equal(expandPath("/abs/~"), "/abs/~");
  assert.throws(() => expandPath(""), /empty/);
  assert.throws(() => expandPath("a\0b"), /NUL/);
  assert.throws(() => expandPath("~no-such-user-opendesk/x"), /home directory is unknown/);
});

Deno.test("fs.stat over the wire expands ~ to the server's home", async () => {
  await using s = await openSession(new HostComputer());
  const entry = await s.remote.stat("~");
  assert.equal(entry.path, Deno.env.get("HOME"));
  assert.ok(entry.is_dir);
});

Deno.test("fs.read returns whole files of sizes around its buffer boundaries", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  for (const size of [0, 1, 65_535, 65_536 * 3 + 7, 2 * 1024 * 1024 + 1]) {
    const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
    const path = `${dir.path}/f${size}.bin`;
    await Deno.writeFile(path, data);
    assert.deepEqual(await s.remote.readFile(path), data, `size ${size}`);
    assert.deepEqual(await s.remote.readFile(path, { offset: 1, length: 3 }), data.slice(1, 4));
  }
});

Deno.test("readFileBytes() keeps reading a file that grows after its size was taken (a FIFO)", async () => {
  await using dir = await tempDir();
  const fifo = `${dir.path}/pipe`;
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.ok(made.success, "mkfifo failed");
  const data = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13) & 0xff);
  const writing = (async () => {
    const file = await Deno.open(fifo, { write: true });
    for (let at = 0; at < data.length; at += 50_000) {
      await file.write(data.subarray(at, at + 50_000));
    }
    file.close();
  })();
  const read = await readFileBytes(fifo, {}, DEFAULT_MAX_PAYLOAD_BYTES);
  await writing;
  assert.deepEqual(read, data);
});
