import { download, type TransferTuning, upload } from "../../../src/cli/repl/file_transfer.ts";
import type { ReplContext } from "../../../src/cli/repl/repl_context.ts";
import type { ReadFileRange } from "../../../src/computer/methods/params.ts";
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
};

/** A host backend that counts concurrent reads and can fail one at a given offset. */
class WatchedHost extends HostComputer {
  reading = 0;
  mostReading = 0;
  failAt: number | undefined;
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
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk_transfer_" });
  const host = new WatchedHost({ backend: "host-test" });
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

Deno.test("upload() sends a file within one frame as one fs.write and a bigger one in parts, intact", async () => {
  await withTransfer(async ({ ctx, dir }) => {
    for (const size of [90 * 1024, 250 * 1024 + 7]) {
      const payload = randomBytes(size);
      await Deno.writeFile(`${dir}/local-${size}.bin`, payload);
      const result = await upload(ctx, `local-${size}.bin`, `${dir}/remote/`, SMALL);
      assertEquals(result, { path: `${dir}/remote/local-${size}.bin`, bytes: size });
      assertEquals(await Deno.readFile(`${dir}/remote/local-${size}.bin`), payload);
    }
    const left = [];
    for await (const entry of Deno.readDir(`${dir}/remote`)) left.push(entry.name);
    assertEquals(left.sort(), ["local-256007.bin", "local-92160.bin"]);
  });
});
