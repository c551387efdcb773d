/**
 * Runs `opendesk mcp`: over stdio (the default; stdout carries only MCP
 * messages, logs go to stderr) or over Streamable HTTP on loopback with a
 * bearer token.
 *
 * @module
 */

import { encodeBase64Url } from "./_base64url.ts";
import { DenoStdioServerTransport } from "./_deno_stdio_transport.ts";
import type { LocalBackend } from "./_target.ts";
import type { McpApproveMode } from "./consent.ts";
import { serveMcpHttp } from "./http_server.ts";
import { createOpendeskMcp } from "./server.ts";

/** Options of {@linkcode runMcp}. */
export interface RunMcpOptions {
  readonly home: string;
  readonly version: string;
  readonly target?: string | undefined;
  readonly approve?: McpApproveMode | undefined;
  readonly audit?: boolean;
  /** `--http`: serve Streamable HTTP here instead of stdio. */
  readonly http?: { host: string; port: number } | undefined;
  /** The bearer token for `--http` (random when absent). */
  readonly token?: string | undefined;
  /** Replaces the local backend selection (tests, benchmarks). */
  readonly backend?: () => Promise<LocalBackend>;
  /** Log lines (stderr). */
  readonly log: (line: string) => void;
  /** Resolves when the user interrupts (Ctrl-C). */
  readonly interrupted: Promise<void>;
}

/** A fresh random bearer token (32 bytes, base64url). */
export function randomToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Runs until stdin closes (stdio) or the user interrupts; resolves with the exit code. */
export async function runMcp(options: RunMcpOptions): Promise<number> {
  const make = () =>
    createOpendeskMcp({
      home: options.home,
      version: options.version,
      target: options.target,
      approve: options.approve,
      audit: options.audit ?? true,
      ...(options.backend ? { backend: options.backend } : {}),
      log: options.log,
    });
  if (options.http) {
    const token = options.token ?? randomToken();
    const http = await serveMcpHttp({
      host: options.http.host,
      port: options.http.port,
      token,
      create: () => Promise.resolve(make()),
      log: options.log,
    });
    options.log(`opendesk mcp: Streamable HTTP at ${http.url}`);
    if (options.token === undefined) options.log(`bearer token: ${token}`);
    else options.log("bearer token: read from the token file");
    await options.interrupted;
    await http.close();
    return 0;
  }
  const mcp = make();
  await mcp.prepare();
  const transport = new DenoStdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await mcp.server.connect(transport);
  options.log(`opendesk mcp: serving over stdio`);
  await Promise.race([closed, options.interrupted]);
  await mcp.close();
  return 0;
}
