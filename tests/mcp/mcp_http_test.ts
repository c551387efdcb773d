/**
 * `opendesk mcp --http` as a child process: the SDK's Streamable HTTP
 * client with the bearer token works; a request without it gets 401; a
 * foreign Host or Origin is refused; nothing listens on a non-loopback
 * address, and a non-loopback `--http` is a usage error.
 */
import { assert, assertEquals, assertMatch } from "../cli/_util/assert.ts";
import { childEnv, connectHttp, FAKE_MAIN, imageOf, Lines, MAIN } from "./_harness.ts";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

interface HttpChild {
  url: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

async function startHttp(extra: string[] = []): Promise<HttpChild> {
  const home = await Deno.makeTempDir({ prefix: "od-mcp-http-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      FAKE_MAIN,
      "--http",
      "127.0.0.1:0",
      "--approve",
      "auto",
      ...extra,
    ],
    env: childEnv(home),
    clearEnv: true,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines = new Lines();
  const pump = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) lines.push(chunk);
  })();
  const urlLine = await lines.waitFor((l) => l.includes("Streamable HTTP at "));
  const url = urlLine.slice(urlLine.indexOf("http://"));
  const tokenLine = await lines.waitFor((l) => l.startsWith("bearer token: "));
  return {
    url,
    port: Number(new URL(url).port),
    token: tokenLine.slice("bearer token: ".length),
    async stop() {
      child.kill("SIGINT");
      await child.status;
      await pump;
      await child.stdin.close().catch(() => {});
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** Sends a raw HTTP request (so Host can be anything); returns the status code. */
async function rawStatus(port: number, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "0" },
    },
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = [
    "POST /mcp HTTP/1.1",
    "content-type: application/json",
    "accept: application/json, text/event-stream",
    `content-length: ${new TextEncoder().encode(body).byteLength}`,
    "connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(`${head}\r\n\r\n${body}`));
  let text = "";
  const buf = new Uint8Array(4096);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
    if (text.includes("\r\n")) break;
  }
  conn.close();
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

Deno.test("opendesk mcp --http: the SDK client with the token drives the tools", async () => {
  const server = await startHttp();
  try {
    assertMatch(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connectHttp(server.url, server.token);
    try {
      assertEquals(client.getServerVersion()?.name, "opendesk");
      const tools = (await client.listTools()).tools as unknown as Array<{ name: string }>;
      assert(tools.some((t) => t.name === "computer"));
      const shot = await client.callTool({ name: "screenshot", arguments: {} }) as CallToolResult;
      assertEquals(imageOf(shot)?.mimeType, "image/png");
      const click = await client.callTool({
        name: "computer",
        arguments: { action: "left_click", coordinate: [4, 4] },
      }) as CallToolResult;
      assert(!click.isError);
    } finally {
      await client.close();
    }
  } finally {
    await server.stop();
  }
});

Deno.test("opendesk mcp --http: no token is 401, a foreign Host or Origin is refused", async () => {
  const server = await startHttp();
  try {
    const host = `127.0.0.1:${server.port}`;
    const auth = `Bearer ${server.token}`;
    assertEquals(await rawStatus(server.port, { host }), 401);
    assertEquals(await rawStatus(server.port, { host, authorization: "Bearer wrong" }), 401);
    assertEquals(
      await rawStatus(server.port, { host: `evil.example:${server.port}`, authorization: auth }),
      403,
    );
    assertEquals(
      await rawStatus(server.port, { host, authorization: auth, origin: "http://evil.example" }),
      403,
    );
    assertEquals(
      await rawStatus(server.port, { host, authorization: auth, origin: `http://${host}` }),
      200,
    );
  } finally {
    await server.stop();
  }
});

Deno.test("opendesk mcp --http: nothing listens on a non-loopback address", async () => {
  const server = await startHttp();
  try {
    const external = Deno.networkInterfaces().find((i) =>
      i.family === "IPv4" && !i.address.startsWith("127.")
    );
    if (external) {
      const refused = await Deno.connect({ hostname: external.address, port: server.port }).then(
        (c) => {
          c.close();
          return false;
        },
        () => true,
      );
      assert(refused, `port ${server.port} answers on ${external.address}`);
    } else {
      console.log("no non-loopback IPv4 interface: only the usage error is checked");
    }
  } finally {
    await server.stop();
  }
  const home = await Deno.makeTempDir({ prefix: "od-mcp-http-" });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", MAIN, "mcp", "--http", "0.0.0.0:0"],
    env: childEnv(home),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  await Deno.remove(home, { recursive: true });
  assertEquals(out.code, 2);
  assertMatch(new TextDecoder().decode(out.stderr), /listens on loopback only/);
});
