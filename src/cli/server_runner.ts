/**
 * What `serve` and `pair` share: choosing the backend (optionally on a
 * virtual display), the console prompter for consent, starting the server
 * with errors worded for people, and waiting for Ctrl-C to shut down.
 *
 * @module
 */

import { join } from "node:path";
import { absenceLines } from "./absence_lines.ts";
import { Readable } from "node:stream";
import { AdminSocketInUseError } from "../remote/admin_server.ts";
import type { ApproveMode } from "../remote/policy.ts";
import { OpendeskServer } from "../remote/server.ts";
import type { OpendeskServerOptions, ServerEvent } from "../remote/server_options.ts";
import { TerminalPrompter } from "../remote/terminal_prompter.ts";
import type { Computer } from "../computer/computer.ts";
import { APP_LOG_DIR_ENV } from "../computer/native/app_launcher.ts";
import { selectComputer } from "../computer/native/select_computer.ts";
import {
  enterVirtualSession,
  startVirtualSession,
  type VirtualSession,
} from "../computer/native/virtual_session.ts";
import { TrustStoreError } from "../auth/errors.ts";
import type { CliDeps } from "./deps.ts";
import { CommandError, UsageError } from "./errors.ts";
import { printServerEvent } from "./server_events.ts";
import { assertPortFree, portError } from "./_port_check.ts";

/** The backend chosen for a server. */
export interface BackendChoice {
  /** The computer to serve. */
  readonly computer: Computer;
  /** Why display and input are unavailable, or null when they work. */
  readonly reason: string | null;
}

/** Test seam: replaces the backend selection. */
export interface ServerHooks {
  /** Supplies the computer instead of `selectComputer()`. */
  backend?: () => Promise<BackendChoice>;
}

/** Parses `--virtual-display WxH`. @throws {UsageError} */
export function parseDisplaySize(text: string, command: string): { width: number; height: number } {
  const match = /^(\d{2,5})x(\d{2,5})$/i.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `Option '--virtual-display' must look like 1920x1080, got '${text}'`,
      command,
    );
  }
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Parses `--approve`. @throws {UsageError} */
export function parseApprove(text: string | undefined, command: string): ApproveMode | undefined {
  if (text === undefined) return undefined;
  if (text === "console" || text === "auto" || text === "observe") return text;
  throw new UsageError(
    `Option '--approve' must be console, auto or observe, got '${text}'`,
    command,
  );
}

/** Options of {@linkcode runServer}. */
export interface RunServerOptions {
  /** Server options except the computer, prompter and event handler. */
  readonly server: Omit<OpendeskServerOptions, "computer" | "prompter" | "onEvent">;
  /** `--virtual-display` size, and `--wm` (start a window manager there). */
  readonly virtualDisplay?: { width: number; height: number; wm?: boolean };
  /** Called with the running server (e.g. to arm a pairing window); may return a promise that ends the run. */
  readonly started?: (server: OpendeskServer) => Promise<void> | void;
  /** Sees every event after it was printed. */
  readonly onEvent?: (event: ServerEvent) => void;
  /** Test seam. */
  readonly hooks?: ServerHooks;
}

async function chooseBackend(
  home: string,
  deps: CliDeps,
  session: VirtualSession | undefined,
  hooks: ServerHooks | undefined,
): Promise<BackendChoice> {
  if (hooks?.backend) return await hooks.backend();
  // Apps started with apps.open write their output under the home, not on this terminal.
  Deno.env.set(APP_LOG_DIR_ENV, join(home, "app-logs"));
  const selection = await selectComputer({
    display: session?.display ?? deps.env("DISPLAY") ?? "",
    ...(session ? { sessionBusAddress: session.busAddress, sessionEnv: session.sessionEnv } : {}),
  });
  return { computer: selection.computer, reason: selection.reason };
}

/**
 * Starts the server and keeps it running until Ctrl-C (or until `started`'s
 * promise settles), then shuts everything down.
 *
 * @returns The exit code.
 * @throws {CommandError} when the server cannot start
 */
export async function runServer(deps: CliDeps, options: RunServerOptions): Promise<number> {
  let virtual: VirtualSession | undefined;
  let computer: Computer | undefined;
  let server: OpendeskServer | undefined;
  const prompter = new TerminalPrompter({
    input: Readable.toWeb(deps.stdin) as unknown as ReadableStream<Uint8Array>,
    write: (text) => deps.stderr.write(text),
    interactive: deps.stdinIsTTY,
  });
  const stop = Promise.withResolvers<void>();
  using _interrupt = deps.onInterrupt(() => stop.resolve());
  try {
    assertPortFree(options.server.host ?? "0.0.0.0", options.server.port ?? 8423);
    if (options.virtualDisplay) {
      try {
        virtual = await startVirtualSession(options.virtualDisplay);
      } catch (error) {
        // The session's errors name what to install (Xvfb, openbox); say it once.
        const message = (error as Error).message.replace(/^Cannot start a virtual display: /, "");
        throw new CommandError(
          `Cannot start a virtual display: ${message}; install it or run without ` +
            "--virtual-display",
          1,
          { cause: error },
        );
      }
      deps.stdout.write(
        `virtual display ${virtual.display} (${virtual.width}x${virtual.height}) started\n`,
      );
      for (const note of virtual.notes) deps.stderr.write(`warning: ${note}\n`);
      enterVirtualSession(virtual);
    }
    const backend = await chooseBackend(options.server.home, deps, virtual, options.hooks);
    computer = backend.computer;
    if (backend.reason) {
      deps.stderr.write(`warning: ${backend.reason}\n`);
      deps.stdout.write("Serving files, processes and system information only.\n");
    } else {
      const absences = await computer.absentCapabilities?.() ?? {};
      for (const line of absenceLines(absences, true)) deps.stderr.write(`absent: ${line}\n`);
    }
    const print = printServerEvent(deps, {
      host: () => server?.host ?? options.server.host ?? "0.0.0.0",
      port: () => server?.port ?? options.server.port ?? 8423,
      mdns: options.server.mdns !== false,
    });
    try {
      server = await OpendeskServer.start({
        ...options.server,
        computer,
        prompter,
        onEvent: (event) => {
          print(event);
          options.onEvent?.(event);
        },
      });
    } catch (error) {
      throw describeStartError(error, options.server.port ?? 8423);
    }
    const finished = options.started
      ? Promise.resolve(options.started(server))
      : new Promise<void>(() => {});
    await Promise.race([stop.promise, finished]);
    deps.stdout.write("Shutting down…\n");
    return 0;
  } finally {
    await server?.close();
    await prompter.close().catch(() => {});
    await computer?.close().catch(() => {});
    await virtual?.stop();
  }
}

function describeStartError(error: unknown, port: number): Error {
  if (error instanceof Deno.errors.AddrInUse) return portError(error, port);
  if (error instanceof AdminSocketInUseError || error instanceof TrustStoreError) {
    return new CommandError(error.message, 1, { cause: error });
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new CommandError(`Cannot start the server: ${error.message}`, 1, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
