import assert from "node:assert/strict";
import { ConnectionClosedError, createLoopbackPair } from "../../src/protocol/mod.ts";
import { createTestLoopbackPair } from "../../src/protocol/testing/test_loopback.ts";

Deno.test("createLoopbackPair() delivers messages in order, queued until read", async () => {
  const [a, b] = createLoopbackPair();
  for (let i = 0; i < 5; i++) await a.send(Uint8Array.of(i));
  await b.send(Uint8Array.of(9));
  const got = [];
  for (let i = 0; i < 5; i++) got.push((await b.receive())[0]);
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(await a.receive()), [9]);
  a.close();
});

Deno.test("createLoopbackPair() resolves a waiting receive() on send", async () => {
  const [a, b] = createLoopbackPair();
  const pending = b.receive();
  await a.send(Uint8Array.of(7));
  assert.deepEqual(Array.from(await pending), [7]);
  b.close();
});

Deno.test("createLoopbackPair() copies sent bytes so the sender may reuse its buffer", async () => {
  const [a, b] = createLoopbackPair();
  const buffer = Uint8Array.of(1, 2, 3);
  await a.send(buffer);
  buffer.fill(0);
  assert.deepEqual(Array.from(await b.receive()), [1, 2, 3]);
  a.close();
});

Deno.test("createLoopbackPair() close() closes both ends, drains queued messages, then rejects", async () => {
  const [a, b] = createLoopbackPair();
  await a.send(Uint8Array.of(1));
  await a.send(Uint8Array.of(2));
  const waiting = a.receive();
  a.close("done");
  assert.equal(a.state, "closed");
  assert.equal(b.state, "closed");
  await assert.rejects(waiting, ConnectionClosedError);
  assert.deepEqual(Array.from(await b.receive()), [1]);
  assert.deepEqual(Array.from(await b.receive()), [2]);
  await assert.rejects(b.receive(), /Connection closed by peer: done/);
  await assert.rejects(a.send(Uint8Array.of(3)), ConnectionClosedError);
  await assert.rejects(b.send(Uint8Array.of(3)), ConnectionClosedError);
  const [closedA, closedB] = await Promise.all([a.closed, b.closed]);
  assert.match(closedA.message, /Connection closed: done/);
  assert.match(closedB.message, /Connection closed by peer: done/);
  a.close(); // idempotent
});

Deno.test("createLoopbackPair() rejects sends that are not Uint8Array", async () => {
  const [a, b] = createLoopbackPair();
  await assert.rejects(a.send(new ArrayBuffer(1) as unknown as Uint8Array), TypeError);
  b.close();
});

Deno.test("createTestLoopbackPair() logs sends and reorders held messages", async () => {
  const [a, b] = createTestLoopbackPair();
  await a.send(Uint8Array.of(1));
  a.hold();
  await a.send(Uint8Array.of(2));
  await a.send(Uint8Array.of(3));
  assert.equal(a.heldCount, 2);
  assert.deepEqual(a.sent.map((m) => m[0]), [1, 2, 3]);
  assert.deepEqual(Array.from(await b.receive()), [1]);
  await a.release((held) => held.reverse());
  assert.equal(a.heldCount, 0);
  assert.deepEqual(Array.from(await b.receive()), [3]);
  assert.deepEqual(Array.from(await b.receive()), [2]);
  await a.send(Uint8Array.of(4));
  assert.deepEqual(Array.from(await b.receive()), [4]);
  b.close();
  assert.equal(a.state, "closed");
});

Deno.test("createTestLoopbackPair() release() can drop held messages", async () => {
  const [a, b] = createTestLoopbackPair();
  a.hold();
  await a.send(Uint8Array.of(1));
  await a.send(Uint8Array.of(2));
  await a.release((held) => held.slice(1));
  assert.deepEqual(Array.from(await b.receive()), [2]);
  a.close();
});
