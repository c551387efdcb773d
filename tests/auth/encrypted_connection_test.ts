import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { nobleAead, nodeAead } from "../../src/auth/aead.ts";
import { EncryptedConnection } from "../../src/auth/encrypted_connection.ts";
import type { Connection } from "../../src/protocol/connection.ts";
import { ConnectionClosedError } from "../../src/protocol/errors.ts";
import { createLoopbackPair } from "../../src/protocol/loopback.ts";
import { RecordingConnection, vec } from "./_helpers.ts";

const C2S = vec("pairing.session_key_c2s");
const S2C = vec("pairing.session_key_s2c");
const HELLO = vec("frames.client_hello");

/** A client end (encrypting with c2s) and the server's raw transport end. */
function clientOverRaw(
  aead = nodeAead,
): { client: EncryptedConnection; raw: Connection; sent: Uint8Array[] } {
  const [a, b] = createLoopbackPair();
  const recording = new RecordingConnection(a);
  const client = new EncryptedConnection(recording, { sendKey: C2S, receiveKey: S2C, aead });
  return { client, raw: b, sent: recording.sent };
}

/** A server end (receiving with c2s) and the client's raw transport end. */
function serverOverRaw(): { server: EncryptedConnection; raw: Connection } {
  const [a, b] = createLoopbackPair();
  return { server: new EncryptedConnection(b, { sendKey: S2C, receiveKey: C2S }), raw: a };
}

function integrityFailure(error: unknown): boolean {
  ok(error instanceof ConnectionClosedError, `expected ConnectionClosedError, got ${error}`);
  strictEqual(error.message, "frame integrity check failed");
  return true;
}

for (const aead of [nodeAead, nobleAead]) {
  Deno.test(`EncryptedConnection.send() (${aead.name}) reproduces the HELLO at counters 0 and 1`, async () => {
    const { client, raw, sent } = clientOverRaw(aead);
    await client.send(HELLO);
    await client.send(HELLO);
    deepStrictEqual(sent[0], vec("encrypted.client_hello_counter_0"));
    deepStrictEqual(sent[1], vec("encrypted.client_hello_counter_1"));
    deepStrictEqual(await raw.receive(), vec("encrypted.client_hello_counter_0"));
    client.close();
  });
}

Deno.test("EncryptedConnection back ends put identical bytes on the wire", async () => {
  const node = clientOverRaw(nodeAead);
  const noble = clientOverRaw(nobleAead);
  const messages = [new Uint8Array(0), HELLO, crypto.getRandomValues(new Uint8Array(4096))];
  for (const m of messages) {
    await node.client.send(m);
    await noble.client.send(m);
  }
  deepStrictEqual(node.sent, noble.sent);
  node.client.close();
  noble.client.close();
});

Deno.test("EncryptedConnection.receive() decrypts the vector frames in order", async () => {
  const { server, raw } = serverOverRaw();
  await raw.send(vec("encrypted.client_hello_counter_0"));
  await raw.send(vec("encrypted.client_hello_counter_1"));
  deepStrictEqual(await server.receive(), HELLO);
  deepStrictEqual(await server.receive(), HELLO);
  server.close();
});

Deno.test("EncryptedConnection.receive() closes on a flipped bit anywhere in a frame and delivers nothing", async () => {
  const frame = vec("encrypted.client_hello_counter_0");
  for (let bit = 0; bit < frame.length * 8; bit += 5) {
    const { server, raw } = serverOverRaw();
    const bad = frame.slice();
    bad[bit >> 3]! ^= 1 << (bit & 7);
    await raw.send(bad);
    await raw.send(vec("encrypted.client_hello_counter_1")); // a valid frame behind it is not delivered either
    await rejects(server.receive(), integrityFailure);
    await rejects(server.receive(), integrityFailure);
    strictEqual(server.state, "closed");
    strictEqual(raw.state, "closed");
    strictEqual((await server.closed).message, "frame integrity check failed");
  }
});

Deno.test("EncryptedConnection.receive() closes on a tampered later frame after delivering earlier ones", async () => {
  const { server, raw } = serverOverRaw();
  await raw.send(vec("encrypted.client_hello_counter_0"));
  const bad = vec("encrypted.client_hello_counter_1");
  bad[40]! ^= 0x80;
  await raw.send(bad);
  deepStrictEqual(await server.receive(), HELLO);
  await rejects(server.receive(), integrityFailure);
});

const SEQUENCES = [
  {
    name: "a replayed frame",
    frames: ["encrypted.client_hello_counter_0", "encrypted.client_hello_counter_0"],
    good: 1,
  },
  {
    name: "reordered frames",
    frames: ["encrypted.client_hello_counter_1", "encrypted.client_hello_counter_0"],
    good: 0,
  },
  { name: "a frame shorter than a tag", frames: ["frames.client_hello"], good: 0 },
];

for (const { name, frames, good } of SEQUENCES) {
  Deno.test(`EncryptedConnection.receive() closes on ${name}`, async () => {
    const { server, raw } = serverOverRaw();
    for (const f of frames) {
      await raw.send(name.includes("shorter") ? vec(f).subarray(0, 15) : vec(f));
    }
    for (let i = 0; i < good; i++) deepStrictEqual(await server.receive(), HELLO);
    await rejects(server.receive(), integrityFailure);
    strictEqual(raw.state, "closed");
  });
}

Deno.test("EncryptedConnection.send() keeps counter order under concurrent sends", async () => {
  const [a, b] = createLoopbackPair();
  const client = new EncryptedConnection(a, { sendKey: C2S, receiveKey: S2C });
  const server = new EncryptedConnection(b, { sendKey: S2C, receiveKey: C2S });
  const messages = Array.from({ length: 200 }, (_, i) => new Uint8Array([i & 0xff, i >> 8]));
  await Promise.all(messages.map((m) => client.send(m)));
  for (const m of messages) deepStrictEqual(await server.receive(), m);
  client.close();
});

Deno.test("EncryptedConnection.close() closes the inner connection and settles closed", async () => {
  const { server, raw } = serverOverRaw();
  const pending = server.receive();
  server.close("bye");
  await rejects(pending, ConnectionClosedError);
  await rejects(raw.receive(), ConnectionClosedError);
  strictEqual((await server.closed).message, "bye");
  await rejects(server.send(HELLO), ConnectionClosedError);
  server.close(); // idempotent
});

Deno.test("EncryptedConnection delivers frames queued before the peer closed, then rejects", async () => {
  const { server, raw } = serverOverRaw();
  await raw.send(vec("encrypted.client_hello_counter_0"));
  raw.close();
  deepStrictEqual(await server.receive(), HELLO);
  await rejects(server.receive(), ConnectionClosedError);
  strictEqual(server.state, "closed");
  await rejects(server.send(HELLO), ConnectionClosedError);
  ok((await server.closed) instanceof ConnectionClosedError);
});

Deno.test("EncryptedConnection constructor rejects keys that are not 32 bytes", () => {
  const [a, b] = createLoopbackPair();
  throws(
    () => new EncryptedConnection(a, { sendKey: new Uint8Array(16), receiveKey: S2C }),
    TypeError,
  );
  throws(
    () => new EncryptedConnection(a, { sendKey: C2S, receiveKey: new Uint8Array(33) }),
    TypeError,
  );
  a.close();
  b.close();
});

Deno.test("EncryptedConnection copies its keys, so callers may wipe theirs", async () => {
  const sendKey = C2S.slice();
  const { raw, server } = serverOverRaw();
  const client = new EncryptedConnection(raw, { sendKey, receiveKey: S2C.slice() });
  sendKey.fill(0);
  await client.send(HELLO);
  deepStrictEqual(await server.receive(), HELLO);
  client.close();
});

Deno.test("EncryptedConnection.send() rejects a non-Uint8Array without using a counter", async () => {
  const { client, raw } = clientOverRaw();
  await rejects(client.send(new ArrayBuffer(4) as unknown as Uint8Array), TypeError);
  await client.send(HELLO);
  deepStrictEqual(await raw.receive(), vec("encrypted.client_hello_counter_0"));
  client.close();
});

Deno.test("EncryptedConnection.send() closes the channel when the transport refuses a frame", async () => {
  const [a, b] = createLoopbackPair();
  const refusing: Connection = {
    send: () => Promise.reject(new RangeError("frame too large")),
    receive: () => a.receive(),
    close: (reason) => a.close(reason),
    get state() {
      return a.state;
    },
    closed: a.closed,
    remoteAddr: a.remoteAddr,
  };
  const client = new EncryptedConnection(refusing, { sendKey: C2S, receiveKey: S2C });
  await rejects(client.send(HELLO), (e: unknown) => {
    ok(e instanceof ConnectionClosedError);
    strictEqual(e.message, "Connection closed: a frame could not be sent");
    ok(e.cause instanceof RangeError);
    return true;
  });
  strictEqual(client.state, "closed");
  strictEqual(b.state, "closed");
});

Deno.test("EncryptedConnection carries large messages both ways (opened in place) and small ones after them", async () => {
  const [a, b] = createLoopbackPair();
  const client = new EncryptedConnection(a, { sendKey: C2S, receiveKey: S2C, aead: nodeAead });
  const server = new EncryptedConnection(b, { sendKey: S2C, receiveKey: C2S, aead: nodeAead });
  for (const size of [64 * 1024 + 1, 1 << 20, 3 << 20]) {
    const message = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(message.subarray(i, i + 65536));
    await client.send(message);
    deepStrictEqual(await server.receive(), message, `c2s ${size}`);
    await server.send(message);
    deepStrictEqual(await client.receive(), message, `s2c ${size}`);
  }
  await client.send(HELLO);
  deepStrictEqual(await server.receive(), HELLO);
  client.close();
  server.close();
});
