/**
 * `startVirtualSession`: a complete private desktop for `opendesk serve
 * --virtual-display`: an Xvfb display, a private `XDG_RUNTIME_DIR`, a private
 * D-Bus session bus, the AT-SPI accessibility bus and, on request, the
 * openbox window manager. Nothing is shared with other sessions on the
 * machine, so AT-SPI never finds another session's bus, and everything is
 * stopped (with whatever it started) by `stop()`.
 *
 * Only Xvfb is required; a missing session bus or AT-SPI is reported in
 * `notes` with what to install, and the capabilities that need them are left
 * out by the backend.
 *
 * @module
 */

import {
  dieWithParent,
  findProgram,
  firstLine,
  type SessionService,
  spawnService,
  stopServices,
} from "./_session_services.ts";
import { startVirtualDisplay, type VirtualDisplayOptions } from "./virtual_display.ts";

/** Where Debian, Fedora and Arch install the AT-SPI bus launcher. */
const ATSPI_LAUNCHERS = [
  "/usr/libexec/at-spi-bus-launcher",
  "/usr/lib/at-spi2-core/at-spi-bus-launcher",
  "/usr/lib/at-spi-bus-launcher",
  "at-spi-bus-launcher",
];

/** Variables of the server's own session that must not leak into the private one. */
const SESSION_VARIABLES = [
  "DISPLAY",
  "WAYLAND_DISPLAY",
  "DBUS_SESSION_BUS_ADDRESS",
  "XDG_RUNTIME_DIR",
  "AT_SPI_BUS_ADDRESS",
  "XDG_SESSION_ID",
  "XDG_SEAT_PATH",
];

/** Options of {@linkcode startVirtualSession}. */
export interface VirtualSessionOptions extends VirtualDisplayOptions {
  /** Start the openbox window manager. @default false */
  wm?: boolean;
  /** Environment the session's variables are added to. @default Deno.env */
  env?: Record<string, string>;
}

/** A running private desktop session. */
export interface VirtualSession {
  /** `DISPLAY`, e.g. `:3`. */
  readonly display: string;
  readonly width: number;
  readonly height: number;
  /** The private session bus address ("" when dbus-daemon is not installed). */
  readonly busAddress: string;
  /** The private runtime directory (mode 0700, removed by `stop()`). */
  readonly runtimeDir: string;
  /** DISPLAY, DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR: what processes in the session get. */
  readonly sessionEnv: Readonly<Record<string, string>>;
  /** What could not be started and what to install, one line each. */
  readonly notes: readonly string[];
  /** Pids of the service processes (Xvfb, dbus-daemon, AT-SPI launcher, window manager). */
  readonly pids: readonly number[];
  /** Stops every service and what it started, then removes the runtime directory. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Makes this process part of `session`: the outer session's variables
 * (another bus, another accessibility bus, a Wayland display, a logind
 * session) are removed and the session's own are set, so everything started
 * from here, and the native shim's own look-ups, see only the private session.
 */
export function enterVirtualSession(session: VirtualSession): void {
  for (const name of SESSION_VARIABLES) Deno.env.delete(name);
  for (const [name, value] of Object.entries(session.sessionEnv)) Deno.env.set(name, value);
}

/** Polls for `path` to exist until `ms` passes. */
async function waitForFile(path: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await Deno.stat(path);
      return true;
    } catch {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Starts the session.
 *
 * @throws {Error} When Xvfb cannot start, or `wm` is set and openbox is missing or does not start.
 */
export async function startVirtualSession(
  options: VirtualSessionOptions,
): Promise<VirtualSession> {
  const { wm, env: baseEnv, ...displayOptions } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = { ...(baseEnv ?? Deno.env.toObject()) };
  for (const name of SESSION_VARIABLES) delete base[name];
  const path = base.PATH ?? "/usr/bin:/bin";
  // Xvfb too ends with this process; a missing Xvfb keeps startVirtualDisplay's own error.
  const xvfbPath = findProgram([displayOptions.command ?? "Xvfb"], Deno.env.get("PATH") ?? "");
  const xvfb = await startVirtualDisplay(
    xvfbPath === null
      ? displayOptions
      : { ...displayOptions, command: xvfbPath, launcher: dieWithParent() },
  );
  const runtimeDir = await Deno.makeTempDir({ prefix: "opendesk-session-" });
  await Deno.chmod(runtimeDir, 0o700);
  const services: SessionService[] = [];
  const notes: string[] = [];
  const sessionEnv: Record<string, string> = { DISPLAY: xvfb.display, XDG_RUNTIME_DIR: runtimeDir };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await stopServices(services);
      await xvfb.stop();
      await Deno.remove(runtimeDir, { recursive: true }).catch(() => {});
    })();
    return stopped;
  };
  try {
    const dbus = findProgram(["dbus-daemon"], path);
    if (dbus === null) {
      notes.push("no session bus: dbus-daemon is not installed (Debian: dbus)");
    } else {
      const bus = spawnService(
        "the session bus",
        dbus,
        [
          "--session",
          "--nofork",
          "--print-address=1",
          `--address=unix:path=${runtimeDir}/bus`,
        ],
        { ...base, ...sessionEnv },
        true,
      );
      services.push(bus);
      const address = await firstLine(bus.child.stdout, timeoutMs);
      if (address) sessionEnv.DBUS_SESSION_BUS_ADDRESS = address;
      else notes.push("no session bus: dbus-daemon did not start");
    }
    if (sessionEnv.DBUS_SESSION_BUS_ADDRESS) {
      const launcher = findProgram(ATSPI_LAUNCHERS, path);
      if (launcher === null) {
        notes.push("no AT-SPI: at-spi-bus-launcher is not installed (Debian: at-spi2-core)");
      } else {
        const env = { ...base, ...sessionEnv };
        services.push(spawnService("AT-SPI", launcher, ["--launch-immediately"], env));
      }
    }
    if (wm) {
      const openbox = findProgram(["openbox"], path);
      if (openbox === null) {
        throw new Error("the window manager openbox is not installed (Debian: openbox)");
      }
      // openbox runs --startup once it manages the screen: that marks it ready.
      const ready = `${runtimeDir}/wm-ready`;
      services.push(spawnService("openbox", openbox, [
        "--sm-disable",
        "--startup",
        `/bin/sh -c ': > "${ready}"'`,
      ], { ...base, ...sessionEnv }));
      if (!(await waitForFile(ready, timeoutMs))) {
        throw new Error(`openbox did not start on ${xvfb.display} within ${timeoutMs} ms`);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    display: xvfb.display,
    width: xvfb.width,
    height: xvfb.height,
    busAddress: sessionEnv.DBUS_SESSION_BUS_ADDRESS ?? "",
    runtimeDir,
    sessionEnv,
    notes,
    pids: [xvfb.pid, ...services.map((s) => s.child.pid)],
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
