import assert from "node:assert/strict";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import { PartedUploads } from "../../../src/computer/host/parted_uploads.ts";
import type { RemoteError } from "../../../src/protocol/errors.ts";
import { openSession, rejection, tempDir } from "../_session.ts";

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

function code(error: Error): string {
  return (error as unknown as RemoteError).code;
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

const file = bytes(1000, 7);
const parts = [[0, 400], [400, 800], [800, 1000]] as const;

Deno.test("fs.write parts in order and out of order become the file only when the last arrives", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  for (const [name, order] of [["in.bin", [0, 1, 2]], ["out.bin", [2, 0, 1]]] as const) {
    const path = `${dir.path}/${name}`;
    const results = [];
    for (const index of order) {
      const [from, to] = parts[index]!;
      const params = {
        path,
        data: file.subarray(from, to),
        offset: from,
        size: 1000,
        upload: name.replace(".", "-"),
      };
      assert.equal(await Deno.stat(path).then(() => true, () => false), false);
      results.push(await s.raw("fs.write", params));
    }
    assert.deepEqual(results, [{ complete: false }, { complete: false }, { complete: true }]);
    assert.deepEqual(await Deno.readFile(path), file);
  }
  assert.deepEqual(await names(dir.path), ["in.bin", "out.bin"]);
});

Deno.test("fs.write parts refuse overlaps, ranges beyond the size and half-given extension params", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  const path = `${dir.path}/f.bin`;
  const part = (offset: number, data: Uint8Array, size = 1000) =>
    s.raw("fs.write", { path, data, offset, size, upload: "u1" });
  await part(0, file.subarray(0, 400));
  for (
    const [why, call] of [
      ["overlap", () => part(300, file.subarray(300, 500))],
      ["beyond", () => part(900, bytes(200, 1))],
      ["other size", () => part(400, file.subarray(400, 800), 2000)],
      ["empty", () => part(500, new Uint8Array())],
      ["no size", () => s.raw("fs.write", { path, data: file, offset: 0, upload: "u2" })],
      [
        "bad name",
        () => s.raw("fs.write", { path, data: file, offset: 0, size: 1000, upload: "a b" }),
      ],
    ] as const
  ) {
    const error = await rejection(call);
    assert.equal(code(error), "invalid_argument", why);
  }
  // The refused parts changed nothing: the rest still completes the file.
  assert.deepEqual(await part(400, file.subarray(400, 800)), { complete: false });
  assert.deepEqual(await part(800, file.subarray(800)), { complete: true });
  assert.deepEqual(await Deno.readFile(path), file);
});

Deno.test("an upload missing a part leaves the old file intact and no temporary file after close", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/keep.txt`;
  await Deno.writeTextFile(path, "old content");
  const host = new HostComputer();
  {
    await using s = await openSession(host);
    await s.raw("fs.write", {
      path,
      data: file.subarray(0, 400),
      offset: 0,
      size: 1000,
      upload: "x",
    });
    await s.raw("fs.write", {
      path,
      data: file.subarray(800),
      offset: 800,
      size: 1000,
      upload: "x",
    });
    assert.equal(await Deno.readTextFile(path), "old content");
    assert.equal((await names(dir.path)).length, 2); // the file and the upload's temporary file
  }
  await host.close();
  assert.equal(await Deno.readTextFile(path), "old content");
  assert.deepEqual(await names(dir.path), ["keep.txt"]);
});

Deno.test("an idle upload is abandoned and its temporary file removed", async () => {
  await using dir = await tempDir();
  const uploads = new PartedUploads({ idleMs: 1 });
  const path = `${dir.path}/idle.bin`;
  await uploads.write(path, file.subarray(0, 400), { offset: 0, size: 1000, upload: "i" });
  // Waits for the exact condition: the upload is dropped and its temporary file removed.
  while (uploads.size > 0 || (await names(dir.path)).length > 0) {
    await new Promise((r) => setTimeout(r, 5));
  }
  // The same name now starts a new upload: offset 0 is no overlap any more.
  const again = await uploads.write(path, file, { offset: 0, size: 1000, upload: "i" });
  assert.deepEqual(again, { complete: true });
  assert.deepEqual(await Deno.readFile(path), file);
  await uploads.close();
});

Deno.test("system.capabilities offers fs.write.offset only when asked, and a completed part keeps the mode", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  const plain = await s.raw("system.capabilities", {});
  assert.equal("extensions" in (plain ?? {}), false);
  const asked = await s.raw("system.capabilities", { extensions: true });
  assert.deepEqual(asked?.extensions, ["fs.write.offset"]);
  const path = `${dir.path}/script.sh`;
  await Deno.writeTextFile(path, "#!/bin/sh\n");
  await Deno.chmod(path, 0o750);
  await s.raw("fs.write", { path, data: file, offset: 0, size: 1000, upload: "m" });
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o750);
  assert.deepEqual(await Deno.readFile(path), file);
});
