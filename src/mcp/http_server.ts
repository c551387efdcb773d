/**
 * The Streamable HTTP transport of `opendesk mcp --http`: loopback only,
 * every request must carry the bearer token, and the SDK's DNS-rebinding
 * protection refuses a foreign `Host` or `Origin`. Each MCP session gets
 * its own server (own targets and local backend); sessions are capped in
 * number and end after an idle deadline.
 *
 * @module
 */

import { timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { OpendeskMcp } from "./server.ts";

/** The addresses `--http` accepts. */
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
/** Most MCP sessions open at once. */
export const HTTP_MAX_SESSIONS = 8;
/** A session without requests for this long is closed. */
export const HTTP_IDLE_MS = 30 * 60_000;

/** Parses `--http HOST:PORT`; only loopback hosts are accepted. @throws {RangeError} */
export function parseLoopbackAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const host = m ? (m[1] ?? m[2])! : "";
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw new RangeError(`'--http' must look like 127.0.0.1:PORT, got '${text}'`);
  }
  if (!LOOPBACK.has(host.toLowerCase())) {
    throw new RangeError(
      `'--http' listens on loopback only (127.0.0.1, ::1 or localhost), got '${host}': the MCP ` +
        "channel can drive this computer, so it is never exposed to the network",
    );
  }
  return { host: host.toLowerCase() === "localhost" ? "127.0.0.1" : host, port };
}

/** Options of {@linkcode serveMcpHttp}. */
export interface McpHttpOptions {
  readonly host: string;
  readonly port: number;
  /** The bearer token every request must carry. */
  readonly token: string;
  /** Builds a server for a new session. */
  readonly create: () => Promise<OpendeskMcp>;
  readonly log: (line: string) => void;
}

/** A running HTTP endpoint. */
export interface McpHttpServer {
  /** The port bound. */
  readonly port: number;
  /** The endpoint URL. */
  readonly url: string;
  /** Stops listening and closes every session. */
  close(): Promise<void>;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  mcp: OpendeskMcp;
  timer?: ReturnType<typeof setTimeout>;
}

function tokenMatches(header: string | null, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function jsonError(status: number, message: string, extra: HeadersInit = {}): Response {
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }),
    { status, headers: { "content-type": "application/json", ...extra } },
  );
}

/** Serves MCP over Streamable HTTP on a loopback address. */
export function serveMcpHttp(options: McpHttpOptions): Promise<McpHttpServer> {
  const sessions = new Map<string, Session>();
  let allowedHosts: string[] = [];
  let allowedOrigins: string[] = [];

  const end = async (id: string): Promise<void> => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    clearTimeout(s.timer);
    await s.transport.close().catch(() => {});
    await s.mcp.close().catch(() => {});
  };
  const touch = (id: string, s: Session): void => {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void end(id), HTTP_IDLE_MS);
  };

  const handle = async (req: Request): Promise<Response> => {
    if (!tokenMatches(req.headers.get("authorization"), options.token)) {
      return jsonError(
        401,
        "Missing or wrong bearer token: send 'Authorization: Bearer <token>' " +
          "with the token opendesk mcp printed at start-up",
        { "www-authenticate": "Bearer" },
      );
    }
    if (new URL(req.url).pathname !== "/mcp") return jsonError(404, "The MCP endpoint is /mcp");
    const id = req.headers.get("mcp-session-id");
    if (id !== null) {
      const s = sessions.get(id);
      if (!s) return jsonError(404, "Unknown or expired MCP session: initialize a new one");
      touch(id, s);
      return await s.transport.handleRequest(req);
    }
    if (req.method !== "POST") return jsonError(400, "Start a session with an initialize POST");
    if (sessions.size >= HTTP_MAX_SESSIONS) {
      return jsonError(503, `Too many MCP sessions (${HTTP_MAX_SESSIONS}): close one first`);
    }
    const mcp = await options.create();
    let created: string | null = null;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      enableDnsRebindingProtection: true,
      allowedHosts,
      allowedOrigins,
      onsessioninitialized: (sid: string) => {
        created = sid;
        const s: Session = { transport, mcp };
        sessions.set(sid, s);
        touch(sid, s);
      },
      onsessionclosed: (sid: string) => void end(sid),
    });
    await mcp.prepare();
    await mcp.server.connect(transport);
    const response = await transport.handleRequest(req);
    if (created === null) {
      await transport.close().catch(() => {});
      await mcp.close().catch(() => {});
    }
    return response;
  };

  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        hostname: options.host,
        port: options.port,
        onListen: () => {},
        onError: (error) => {
          options.log(`http error: ${(error as Error).message}`);
          return jsonError(500, "Internal error");
        },
      }, handle);
      const port = server.addr.port;
      const hostPart = options.host.includes(":") ? `[${options.host}]` : options.host;
      allowedHosts = [`${hostPart}:${port}`, `localhost:${port}`];
      allowedOrigins = [`http://${hostPart}:${port}`, `http://localhost:${port}`];
      resolve({
        port,
        url: `http://${hostPart}:${port}/mcp`,
        async close() {
          for (const id of [...sessions.keys()]) await end(id);
          await server.shutdown();
        },
      });
    } catch (error) {
      reject(error);
    }
  });
}
