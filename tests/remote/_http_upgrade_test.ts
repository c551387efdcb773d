import { assertEquals } from "./_assert.ts";
import {
  acceptDigest,
  checkUpgradeRequest,
  checkUpgradeResponse,
  type HttpHead,
} from "../../src/remote/_http_upgrade.ts";

function head(startLine: string, fields: Record<string, string>): HttpHead {
  return { startLine, headers: new Map(Object.entries(fields)) };
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const GOOD = {
  upgrade: "websocket",
  connection: "keep-alive, Upgrade",
  "sec-websocket-version": "13",
  "sec-websocket-key": KEY,
};

Deno.test("acceptDigest() gives RFC 6455's example answer", () => {
  assertEquals(acceptDigest(KEY), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
});

Deno.test("checkUpgradeRequest() accepts a WebSocket upgrade and names what is wrong otherwise", () => {
  assertEquals(checkUpgradeRequest(head("GET / HTTP/1.1", GOOD)), { key: KEY });
  const cases: [string, HttpHead, string][] = [
    ["POST", head("POST / HTTP/1.1", GOOD), "not an HTTP/1.1 GET request"],
    ["HTTP/1.0", head("GET / HTTP/1.0", GOOD), "not an HTTP/1.1 GET request"],
    ["no upgrade", head("GET / HTTP/1.1", { ...GOOD, upgrade: "h2c" }), "not a WebSocket upgrade"],
    [
      "version 8",
      head("GET / HTTP/1.1", { ...GOOD, "sec-websocket-version": "8" }),
      "unsupported WebSocket version",
    ],
    [
      "short key",
      head("GET / HTTP/1.1", { ...GOOD, "sec-websocket-key": "abc" }),
      "bad Sec-WebSocket-Key",
    ],
  ];
  for (const [name, h, refusal] of cases) assertEquals(checkUpgradeRequest(h), { refusal }, name);
});

Deno.test("checkUpgradeResponse() checks the status, the accept digest and extensions", () => {
  const ok = { upgrade: "websocket", "sec-websocket-accept": acceptDigest(KEY) };
  assertEquals(checkUpgradeResponse(head("HTTP/1.1 101 Switching Protocols", ok), KEY), null);
  assertEquals(
    checkUpgradeResponse(head("HTTP/1.1 426 Upgrade Required", ok), KEY),
    "the server answered 426 Upgrade Required",
  );
  assertEquals(
    checkUpgradeResponse(head("HTTP/1.1 101 x", { ...ok, "sec-websocket-accept": "x" }), KEY),
    "the server's Sec-WebSocket-Accept does not match",
  );
  assertEquals(
    checkUpgradeResponse(
      head("HTTP/1.1 101 x", { ...ok, "sec-websocket-extensions": "permessage-deflate" }),
      KEY,
    ),
    "the server chose a WebSocket extension that was not offered",
  );
});
