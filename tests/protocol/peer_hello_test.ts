import assert from "node:assert/strict";
import {
  ConnectionClosedError,
  createLoopbackPair,
  encodeHello,
  encodeMsgpack,
  encodeReq,
  InvalidStateError,
  Peer,
  RemoteError,
  TimeoutError,
} from "../../src/protocol/mod.ts";
import { createTestLoopbackPair } from "../../src/protocol/testing/test_loopback.ts";
import { framesOf } from "./_util.ts";

Deno.test("Peer.hello() exchanges HELLOs in both directions at once", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client" });
  const server = new Peer(b, { role: "server" });
  const manifest = { capabilities: ["display.capture"], backend: "fake", protocol_version: "0.1" };
  const [fromServer, fromClient] = await Promise.all([
    client.hello(),
    server.hello({ capabilities: manifest }),
  ]);
  assert.equal(fromServer.role, "server");
  assert.deepEqual(fromServer.capabilities, manifest);
  assert.equal(fromClient.role, "client");
  assert.deepEqual(fromClient.capabilities, {});
  assert.equal(client.remoteHello, fromServer);
  assert.equal(server.remoteHello, fromClient);
  client.close();
  await server.closed;
});

Deno.test("Peer.receiveHello() lets a server read the client HELLO before sending its own", async () => {
  const [clientConn, serverConn] = createTestLoopbackPair();
  const client = new Peer(clientConn, { role: "client" });
  const server = new Peer(serverConn, { role: "server" });
  const clientHello = client.hello();
  const received = await server.receiveHello();
  assert.equal(received.role, "client");
  assert.equal(serverConn.sent.length, 0, "the server has sent nothing yet");
  await server.sendHello({ capabilities: { decided: true } });
  assert.deepEqual((await clientHello).capabilities, { decided: true });
  await assert.rejects(server.sendHello(), InvalidStateError);
  await assert.rejects(server.receiveHello(), InvalidStateError);
  client.close();
  await server.closed;
});

Deno.test("Peer.hello() rejects with the server's HELLO error and keeps the frame", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client" });
  const server = new Peer(b, { role: "server" });
  const serverSide = server.hello({
    error: { code: "busy", message: "Another controller is connected" },
  });
  await assert.rejects(client.hello(), (error: unknown) => {
    assert.ok(error instanceof RemoteError);
    assert.equal(error.code, "busy");
    assert.equal(error.message, "Another controller is connected");
    return true;
  });
  assert.equal(client.remoteHello?.error?.code, "busy");
  assert.equal(client.isClosed, true);
  await serverSide;
  server.close();
});

Deno.test("Peer.hello() times out with TimeoutError and closes the session", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client", helloTimeoutMs: 30 });
  await assert.rejects(client.hello(), (error: unknown) => {
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, /No HELLO from the peer within 30 ms/);
    return true;
  });
  assert.equal(client.isClosed, true);
  assert.equal(b.state, "closed");
  const closedWith = await client.closed;
  assert.ok(closedWith.cause instanceof TimeoutError);
});

Deno.test("Peer.hello() honours a per-call timeoutMs", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client" });
  await assert.rejects(client.hello({ timeoutMs: 10 }), TimeoutError);
  b.close();
});

Deno.test("Peer.hello() fails with ConnectionClosedError when the peer closes first", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client" });
  const pending = client.hello();
  b.close();
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof ConnectionClosedError);
    assert.match(error.message, /Peer closed before HELLO/);
    return true;
  });
});

Deno.test("Peer.receiveHello() fails with protocol on anything but a HELLO", async () => {
  const cases = [
    { name: "a REQ", bytes: encodeReq({ id: 1, method: "m" }), error: /Expected HELLO, got 'req'/ },
    { name: "garbage", bytes: Uint8Array.of(0x91, 0x01), error: /Bad HELLO: .*expected map/ },
    {
      name: "a HELLO without role",
      bytes: encodeMsgpack({ type: "hello" }),
      error: /Bad HELLO: Invalid HELLO frame/,
    },
    {
      name: "a HELLO of version 2",
      bytes: encodeMsgpack({ v: 2, type: "hello", role: "server" }),
      error: /unsupported protocol version 2/,
    },
  ];
  for (const { name, bytes, error } of cases) {
    const [a, b] = createLoopbackPair();
    const client = new Peer(a, { role: "client" });
    await b.send(bytes);
    await assert.rejects(client.receiveHello(), (e: unknown) => {
      assert.ok(e instanceof RemoteError, name);
      assert.equal(e.code, "protocol", name);
      assert.match(e.message, error, name);
      return true;
    });
    assert.equal(client.isClosed, true, name);
  }
});

Deno.test("Peer.sendHello() emits the reference's 7-key HELLO", async () => {
  const [a, b] = createTestLoopbackPair();
  const server = new Peer(b, { role: "server" });
  await server.sendHello({ capabilities: { backend: "fake" } });
  assert.deepEqual(
    b.sent[0],
    encodeHello({ role: "server", capabilities: { backend: "fake" } }),
  );
  assert.deepEqual(framesOf(b.sent)[0], {
    v: 1,
    type: "hello",
    role: "server",
    principal: "",
    auth: {},
    capabilities: { backend: "fake" },
    error: null,
  });
  a.close();
});

Deno.test("Peer.start() refuses to run while the HELLO is being read", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client", helloTimeoutMs: 1000 });
  const reading = client.receiveHello();
  assert.throws(() => client.start(), InvalidStateError);
  b.close();
  await assert.rejects(reading, ConnectionClosedError);
});
