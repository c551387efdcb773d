import { download, type TransferTuning, upload } from "../../../src/cli/repl/file_transfer.ts";
import type { ReplContext } from "../../../src/cli/repl/repl_context.ts";
import type {
  FilePart,
  FilePartResult,
  ReadFileRange,
} from "../../../src/computer/methods/params.ts";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import type { CallOptions } from "../../../src/computer/computer.ts";
import { RemoteError } from "../../../src/protocol/errors.ts";
import { openLoopbackSession } from "../_util/loopback_session.ts";
import { createTestDeps } from "../_util/test_deps.ts";
import { assert, assertEquals, assertRejects } from "../_util/assert.ts";

/** Small pieces so that a few hundred KiB take the chunked and multi-part paths. */
const SMALL: TransferTuning = {
  getChunkBytes: 64 * 1024,
  getInFlight: 3,
  putSingleLimitBytes: 100 * 1024,
  putPartBytes: 48 * 1024,
  putInFlight: 3,
};

/**
 * A host backend that counts concurrent reads and parts written, can fail a read or a part at a
 * given offset, and can hide the parts extension (as a server without it).
 */
class WatchedHost extends HostComputer {
  reading = 0;
  mostReading = 0;
  failAt: number | undefined;
  writing = 0;
  mostWriting = 0;
  partsWritten = 0;
  wholeWrites = 0;
  failPartAt: number | undefined;

  override async writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    this.wholeWrites++;
    return await super.writeFile(path, data, options);
  }

  override async writeFilePart(
    path: string,
    data: Uint8Array,
    part: FilePart,
    options?: CallOptions,
  ): Promise<FilePartResult> {
    this.writing++;
    this.mostWriting = Math.max(this.mostWriting, this.writing);
    try {
      if (part.offset === this.failPartAt) {
        throw new RemoteError("internal", "Cannot write file: the disk is full");
      }
      const result = await super.writeFilePart(path, data, part, options);
      this.partsWritten++;
      return result;
    } finally {
      this.writing--;
    }
  }
  override async readFile(
    path: string,
    range: ReadFileRange = {},
    options?: CallOptions,
  ): Promise<Uint8Array> {
    this.reading++;
    this.mostReading = Math.max(this.mostReading, this.reading);
    try {
      if (this.failAt !== undefined && range.offset === this.failAt) {
        throw new RemoteError("internal", "Cannot read file: the disk went away");
      }
      return await super.readFile(path, range, options);
    } finally {
      this.reading--;
    }
  }
}

async function withTransfer(
  fn: (t: { ctx: ReplContext; host: WatchedHost; dir: string }) => Promise<void>,
  options: { parts?: boolean } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk_transfer_" });
  const host = new WatchedHost({ backend: "host-test" });
  // A backend without the method: the server then does not offer the extension.
  if (options.parts === false) Object.defineProperty(host, "writeFilePart", { value: undefined });
  const loop = await openLoopbackSession(host);
  const deps = createTestDeps({ cwd: dir });
  const ctx = {
    session: loop.session,
    deps,
    out: (text: string) => deps.stdout.write(text),
    err: (text: string) => deps.stderr.write(text),
    call: (method: string, params: Record<string, unknown>) => loop.session.call(method, params),
  } as unknown as ReplContext;
  try {
    await fn({ ctx, host, dir });
  } finally {
    await loop.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("download() fetches a file of many chunks with reads in flight and writes it in order", async () => {
  await withTransfer(async ({ ctx, host, dir }) => {
    const payload = randomBytes(600 * 1024 + 123);
    await Deno.writeFile(`${dir}/src.bin`, payload);
    const result = await download(ctx, `${dir}/src.bin`, "copy.bin", SMALL);
    assertEquals(result, { path: `${dir}/copy.bin`, bytes: payload.length });
    assertEquals(await Deno.readFile(`${dir}/copy.bin`), payload);
    assertEquals(host.mostReading > 1, true, "the chunk reads never overlapped");
    assert(host.mostReading <= SMALL.getInFlight, `${host.mostReading} reads at once`);
    assertEquals(await exists(`${dir}/copy.bin.part`), false);
  });
});

Deno.test("download() removes the .part file and leaves no target when a chunk fails", async () => {
  await withTransfer(async ({ ctx, host, dir }) => {
    await Deno.writeFile(`${dir}/src.bin`, randomBytes(400 * 1024));
    host.failAt = 3 * SMALL.getChunkBytes;
    await assertRejects(
      () => download(ctx, `${dir}/src.bin`, "copy.bin", SMALL),
      Error,
      "the disk went away",
    );
    assertEquals(await exists(`${dir}/copy.bin.part`), false);
    assertEquals(await exists(`${dir}/copy.bin`), false);
  });
});

Deno.test("upload() sends a small file as one fs.write and a bigger one as parts in flight, intact", async () => {
  await withTransfer(async ({ ctx, host, dir }) => {
    for (const size of [40 * 1024, 250 * 1024 + 7]) {
      const payload = randomBytes(size);
      await Deno.writeFile(`${dir}/local-${size}.bin`, payload);
      const result = await upload(ctx, `local-${size}.bin`, `${dir}/remote/`, SMALL);
      assertEquals(result, { path: `${dir}/remote/local-${size}.bin`, bytes: size });
      assertEquals(await Deno.readFile(`${dir}/remote/local-${size}.bin`), payload);
    }
    assertEquals(host.wholeWrites, 1);
    assertEquals(host.partsWritten, 6);
    assert(host.mostWriting <= SMALL.putInFlight);
    const left = [];
    for await (const entry of Deno.readDir(`${dir}/remote`)) left.push(entry.name);
    assertEquals(left.sort(), ["local-256007.bin", "local-40960.bin"]);
  });
});

Deno.test("an interrupted upload leaves the old file intact and nothing under the target's name", async () => {
  await withTransfer(async ({ ctx, host, dir }) => {
    await Deno.writeFile(`${dir}/big.bin`, randomBytes(300 * 1024));
    await Deno.mkdir(`${dir}/remote`);
    await Deno.writeTextFile(`${dir}/remote/big.bin`, "the old file");
    host.failPartAt = 3 * SMALL.putPartBytes;
    await assertRejects(
      () => upload(ctx, "big.bin", `${dir}/remote/`, SMALL),
      Error,
      "disk is full",
    );
    assertEquals(await Deno.readTextFile(`${dir}/remote/big.bin`), "the old file");
    await host.close(); // the server's end: unfinished uploads are dropped
    const left = [];
    for await (const entry of Deno.readDir(`${dir}/remote`)) left.push(entry.name);
    assertEquals(left, ["big.bin"]);
  });
});

Deno.test("upload() to a server without the parts extension falls back to one fs.write, then to joined part files", async () => {
  await withTransfer(async ({ ctx, host, dir }) => {
    for (const size of [90 * 1024, 250 * 1024 + 7]) {
      const payload = randomBytes(size);
      await Deno.writeFile(`${dir}/local-${size}.bin`, payload);
      const result = await upload(ctx, `local-${size}.bin`, `${dir}/remote/`, SMALL);
      assertEquals(result, { path: `${dir}/remote/local-${size}.bin`, bytes: size });
      assertEquals(await Deno.readFile(`${dir}/remote/local-${size}.bin`), payload);
    }
    assertEquals(host.partsWritten, 0);
    assertEquals(host.wholeWrites, 1 + Math.ceil((250 * 1024 + 7) / SMALL.putPartBytes));
    const left = [];
    for await (const entry of Deno.readDir(`${dir}/remote`)) left.push(entry.name);
    assertEquals(left.sort(), ["local-256007.bin", "local-92160.bin"]);
  }, { parts: false });
});
