import assert from "node:assert/strict";
import {
  allocateFramePayload,
  decodeFrame,
  encodeMsgpack,
  encodeRes,
  type ResFrame,
} from "../../src/protocol/mod.ts";
import { PAYLOAD_TAILROOM } from "../../src/protocol/frame_payload.ts";

function filled(size: number, seed: number): Uint8Array {
  const out = allocateFramePayload(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

Deno.test("allocateFramePayload() gives zeroed bytes of the asked size", () => {
  const payload = allocateFramePayload(100_000);
  assert.equal(payload.length, 100_000);
  assert.ok(payload.every((b) => b === 0));
});

Deno.test("encodeRes() builds a frame around a payload without copying it, same bytes as a copy", () => {
  const payload = filled(300_000, 1);
  const expected = encodeRes({ id: 7, result: { data: payload.slice(), name: "x" } });
  const frame = encodeRes({ id: 7, result: { data: payload, name: "x" } });
  assert.equal(frame.buffer, payload.buffer);
  assert.deepEqual(frame, expected);
  const decoded = decodeFrame(frame) as ResFrame;
  assert.deepEqual(decoded.result?.data, payload.slice());
});

Deno.test("encodeRes() claims a payload's room once: a second frame of it is a copy", () => {
  const payload = filled(70_000, 2);
  const first = encodeRes({ id: 1, result: { data: payload } });
  const second = encodeRes({ id: 2, result: { data: payload } });
  assert.equal(first.buffer, payload.buffer);
  assert.notEqual(second.buffer, payload.buffer);
  // The first frame is untouched by the second.
  assert.equal((decodeFrame(first) as ResFrame).id, 1);
  assert.deepEqual((decodeFrame(second) as ResFrame).result?.data, payload.slice());
});

Deno.test("encodeMsgpack() copies parts of a payload and payloads after a long prefix", () => {
  const payload = filled(70_000, 3);
  const part = payload.subarray(0, 69_000);
  const partBytes = encodeMsgpack({ data: part });
  assert.notEqual(partBytes.buffer, payload.buffer);
  const longPrefix = encodeMsgpack({ key: "k".repeat(300), data: payload });
  assert.notEqual(longPrefix.buffer, payload.buffer);
  assert.deepEqual(payload, filled(70_000, 3), "the payload was not written to");
});

Deno.test("encodeMsgpack() moves out of a payload's room when the rest does not fit after it", () => {
  const payload = filled(70_000, 4);
  const tail = "t".repeat(PAYLOAD_TAILROOM * 4);
  const bytes = encodeMsgpack({ data: payload, tail });
  const copy = encodeMsgpack({ data: payload.slice(), tail });
  assert.deepEqual(bytes, copy);
  assert.deepEqual(payload, filled(70_000, 4));
  // The writer is back on its own buffer: small messages still encode as before.
  assert.deepEqual(encodeMsgpack({ a: 1 }), Uint8Array.of(0x81, 0xa1, 0x61, 0x01));
});
