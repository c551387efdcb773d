/**
 * What `serve` and `pair` share: choosing the backend (optionally on a
 * virtual display), the console prompter for consent, starting the server
 * with errors worded for people, and waiting for Ctrl-C to shut down.
 *
 * @module
 */

import { join } from "node:path";
import { absenceLines } from "../render/absence_lines.ts";
import { Readable } from "node:stream";
import { AdminSocketInUseError } from "../../remote/admin_server.ts";
import type { ApproveMode } from "../../remote/policy.ts";
import { OpendeskServer } from "../../remote/server.ts";
import type { OpendeskServerOptions, ServerEvent } from "../../remote/server_options.ts";
import { TerminalPrompter } from "../../remote/terminal_prompter.ts";
import type { Computer } from "../../computer/computer.ts";
import {
  APP_LOG_DIR_ENV,
  selectComputer,
  startVirtualDesktop,
  type VirtualDesktop,
} from "../../computer/mod.ts";
import { TrustStoreError } from "../../auth/errors.ts";
import type { CliDeps } from "../deps.ts";
import { CommandError, UsageError } from "../errors.ts";
import { printServerEvent } from "./server_events.ts";
import { assertPortFree, portError } from "./_port_check.ts";

/** The backend chosen for a server. */
export interface BackendChoice {
  /** The computer to serve. */
  readonly computer: Computer;
  /** Why display and input are unavailable, or null when they work. */
  readonly reason: string | null;
  /** Which desktop driver serves, and why it was chosen (absent without one). */
  readonly chosen?: string;
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
  /** `--driver NAME`: the desktop driver to use instead of the registry's first available. */
  readonly driver?: string;
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
  options: RunServerOptions,
  virtual: VirtualDesktop | undefined,
): Promise<BackendChoice> {
  if (options.hooks?.backend) return await options.hooks.backend();
  // Apps started with apps.open write their output under the home, not on this terminal.
  Deno.env.set(APP_LOG_DIR_ENV, join(home, "app-logs"));
  const env = (name: string) => virtual?.env[name] ?? deps.env(name);
  let selection;
  try {
    selection = await selectComputer({
      env,
      ...(virtual === undefined ? {} : { session: virtual.env }),
      ...(options.driver === undefined ? {} : { name: options.driver }),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message, "serve");
    throw error;
  }
  return selection.driver
    ? { computer: selection.computer, reason: null, chosen: selection.reason }
    : { computer: selection.computer, reason: selection.reason };
}

/**
 * Starts the server and keeps it running until Ctrl-C (or until `started`'s
 * promise settles), then shuts everything down.
 *
 * @returns The exit code.
 * @throws {CommandError} when the server cannot start
 */
export async function runServer(deps: CliDeps, options: RunServerOptions): Promise<number> {
  let virtual: VirtualDesktop | undefined;
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
        virtual = await startVirtualDesktop(options.virtualDisplay, options.driver);
      } catch (error) {
        // The driver's errors name what to install; say it once.
        const message = (error as Error).message.replace(/^Cannot start a virtual display: /, "");
        throw new CommandError(
          `Cannot start a virtual display: ${message}; install it or run without ` +
            "--virtual-display",
          1,
          { cause: error },
        );
      }
      deps.stdout.write(`${virtual.description} started\n`);
      for (const note of virtual.notes) deps.stderr.write(`warning: ${note}\n`);
      virtual.enter();
    }
    const backend = await chooseBackend(options.server.home, deps, options, virtual);
    computer = backend.computer;
    if (backend.chosen) deps.stdout.write(`Using ${backend.chosen}.\n`);
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
