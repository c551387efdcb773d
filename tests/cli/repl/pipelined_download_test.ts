import { pipelinedDownload } from "../../../src/cli/repl/pipelined_download.ts";
import { assert, assertEquals } from "../_util/assert.ts";

/** A read whose answer the test releases by hand, in any order. */
interface HeldRead {
  offset: number;
  length: number;
  answer(data: Uint8Array): void;
  fail(error: Error): void;
}

function heldReads(): {
  reads: HeldRead[];
  read(offset: number, length: number): Promise<Uint8Array>;
} {
  const reads: HeldRead[] = [];
  return {
    reads,
    read(offset, length) {
      return new Promise((resolve, reject) => {
        reads.push({ offset, length, answer: resolve, fail: reject });
      });
    },
  };
}

function bytesAt(offset: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (offset + i) & 0xff);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

Deno.test("pipelinedDownload() keeps inFlight reads outstanding and writes chunks in file order", async () => {
  const held = heldReads();
  const written: Uint8Array[] = [];
  const done = pipelinedDownload(10, held.read, (chunk) => {
    written.push(chunk);
    return Promise.resolve();
  }, { chunkBytes: 3, inFlight: 2 });
  await settle();
  assertEquals(held.reads.map((r) => [r.offset, r.length]), [[0, 3], [3, 3]]);
  // The second answer arrives first: nothing is written until the first one is in.
  held.reads[1]!.answer(bytesAt(3, 3));
  await settle();
  assertEquals(written.length, 0);
  assertEquals(held.reads.length, 2);
  held.reads[0]!.answer(bytesAt(0, 3));
  await settle();
  assertEquals(held.reads.map((r) => [r.offset, r.length]), [[0, 3], [3, 3], [6, 3], [9, 1]]);
  held.reads[3]!.answer(bytesAt(9, 1));
  held.reads[2]!.answer(bytesAt(6, 3));
  assertEquals(await done, 10);
  const joined = new Uint8Array(written.flatMap((c) => [...c]));
  assertEquals(joined, bytesAt(0, 10));
});

Deno.test("pipelinedDownload() never holds more than inFlight chunks while writes are slow", async () => {
  let outstanding = 0;
  let most = 0;
  const read = (offset: number, length: number): Promise<Uint8Array> => {
    outstanding++;
    most = Math.max(most, outstanding);
    return Promise.resolve(bytesAt(offset, length));
  };
  const written: number[] = [];
  const total = await pipelinedDownload(100, read, async (chunk) => {
    await settle();
    outstanding--;
    written.push(chunk.length);
  }, { chunkBytes: 7, inFlight: 3 });
  assertEquals(total, 100);
  assertEquals(written.reduce((a, b) => a + b, 0), 100);
  assertEquals(most, 3);
});

Deno.test("pipelinedDownload() stops at a short chunk and waits for the reads still out", async () => {
  const held = heldReads();
  const written: number[] = [];
  const done = pipelinedDownload(12, held.read, (chunk) => {
    written.push(chunk.length);
    return Promise.resolve();
  }, { chunkBytes: 4, inFlight: 2 });
  await settle();
  held.reads[0]!.answer(bytesAt(0, 2)); // the file shrank to 2 bytes
  let finished = false;
  done.then(() => finished = true);
  await settle();
  assert(!finished, "returned while a read was still outstanding");
  held.reads[1]!.answer(new Uint8Array(0));
  assertEquals(await done, 2);
  assertEquals(written, [2]);
  assertEquals(held.reads.length, 2);
});

Deno.test("pipelinedDownload() rejects with a read's error after the other reads settle", async () => {
  const held = heldReads();
  const done = pipelinedDownload(8, held.read, () => Promise.resolve(), {
    chunkBytes: 4,
    inFlight: 2,
  });
  let error: unknown;
  done.catch((e) => error = e);
  await settle();
  held.reads[0]!.fail(new Error("disk gone"));
  await settle();
  assertEquals(error, undefined);
  held.reads[1]!.answer(bytesAt(4, 4));
  await done.catch(() => {});
  assertEquals((error as Error).message, "disk gone");
});
