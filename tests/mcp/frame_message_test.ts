import { Buffer } from "node:buffer";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { assertEquals } from "../cli/_util/assert.ts";
import { frameMessage } from "../../src/mcp/_frame_message.ts";

function b64(bytes: number, seed: number): string {
  return Buffer.from(Uint8Array.from({ length: bytes }, (_, i) => (i * 31 + seed) & 255))
    .toString("base64");
}

function result(content: unknown[]): JSONRPCMessage {
  return { jsonrpc: "2.0", id: 7, result: { content } } as JSONRPCMessage;
}

Deno.test("frameMessage() gives the SDK's serializeMessage bytes, images spliced or not", () => {
  const big = b64(300_000, 1);
  const cases: Array<[string, JSONRPCMessage]> = [
    ["a request", { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }],
    ["a small image", result([{ type: "image", data: b64(100, 2), mimeType: "image/png" }])],
    [
      "a large image and unicode text",
      result([
        { type: "text", text: 'Screenshot — ✓ \u0001 "quoted"' },
        { type: "image", data: big, mimeType: "image/png" },
      ]),
    ],
    [
      "two large images",
      result([
        { type: "image", data: big, mimeType: "image/png" },
        { type: "text", text: "between" },
        { type: "image", data: b64(40_000, 3), mimeType: "image/jpeg" },
      ]),
    ],
    [
      "data that is not base64",
      result([
        { type: "image", data: 'é\n"'.repeat(10_000), mimeType: "image/png" },
      ]),
    ],
    ["structured content beside an image", {
      jsonrpc: "2.0",
      id: "x",
      result: {
        content: [{ type: "image", data: big, mimeType: "image/png" }],
        structuredContent: { note: `od-image-${big.slice(0, 10)}` },
      },
    } as JSONRPCMessage],
  ];
  for (const [label, message] of cases) {
    const before = JSON.stringify(message);
    assertEquals(
      new TextDecoder().decode(frameMessage(message)),
      serializeMessage(message),
      label,
    );
    assertEquals(JSON.stringify(message), before, `${label}: the message is left as it was`);
  }
});
