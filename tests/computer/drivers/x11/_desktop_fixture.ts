/**
 * Test set-up for the part 2 desktop tests: a private Xvfb (from
 * `_x11_fixture.ts`) with the openbox window manager, optionally a private
 * D-Bus session bus (AT-SPI and notifications live there), and GTK test apps
 * (`_fixtures/gtk_app.py`, run with Debian's /usr/bin/python3).
 *
 * Locally the tests skip with a printed reason when a prerequisite is
 * missing; with CI=true they run and fail instead.
 *
 * @module
 */

import { skipX11, withXvfb } from "./_x11_fixture.ts";

export const PYTHON = "/usr/bin/python3";
export const GTK_APP = new URL("./_fixtures/gtk_app.py", import.meta.url).pathname;

function which(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${command}`).isFile;
    } catch {
      return false;
    }
  });
}

function missingDesktop(): string | null {
  for (const tool of ["openbox", "dbus-daemon", "xdotool", "xclip", "xwininfo", "notify-send"]) {
    if (!which(tool)) return `${tool} is not installed (see scripts/setup.sh)`;
  }
  try {
    const ok = new Deno.Command(PYTHON, {
      args: ["-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
    if (!ok) return "python3-gi with GTK 3 is missing";
  } catch {
    return `${PYTHON} is missing`;
  }
  return null;
}

const missing = skipX11 ? "no X11 test prerequisites" : missingDesktop();
/** True when the desktop tests must be skipped (never with CI=true). */
export const skipDesktop: boolean = missing !== null && Deno.env.get("CI") !== "true";
if (skipDesktop && !skipX11) console.log(`skipping desktop tests: ${missing}`);

/** A running GTK test app. */
export interface GtkApp {
  readonly pid: number;
  /** Lines printed after "ready". */
  readonly lines: string[];
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGKILLs the app (also when stopped) and waits for it. */
  kill(): Promise<void>;
  readonly exited: Promise<Deno.CommandStatus>;
}

/** The private session. */
export interface Desktop {
  readonly display: string;
  /** Private session bus address ("" without `dbus`). */
  readonly busAddress: string;
  /** DISPLAY (+ DBUS_SESSION_BUS_ADDRESS) for child processes. */
  readonly env: Record<string, string>;
  /** Starts `gtk_app.py` with `args` and waits for "ready". */
  spawnApp(args: string[]): Promise<GtkApp>;
  /** Runs a command in the session; returns stdout (throws on failure). */
  run(command: string, args: string[]): Promise<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnGtk(env: Record<string, string>, args: string[]): Promise<GtkApp> {
  const child = new Deno.Command(PYTHON, {
    args: [GTK_APP, ...args],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines: string[] = [];
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const pump = (async () => {
    let buf = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === "ready") ready();
        else lines.push(line);
      }
    }
    ready();
  })();
  const exited = child.status.then(async (s) => {
    await pump;
    return s;
  });
  const app: GtkApp = {
    pid: child.pid,
    lines,
    exited,
    async waitFor(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`App never printed the line; got ${lines}`);
        await sleep(20);
      }
    },
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await exited;
    },
  };
  return readyP.then(() => app);
}

async function waitForWm(env: Record<string, string>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await new Deno.Command("xprop", {
      args: ["-root", "_NET_SUPPORTING_WM_CHECK"],
      env,
      stdout: "piped",
      stderr: "null",
    }).output();
    if (new TextDecoder().decode(out.stdout).includes("window id")) return;
    await sleep(50);
  }
  throw new Error("openbox did not start");
}

export async function startBus(): Promise<{ address: string; child: Deno.ChildProcess }> {
  const child = new Deno.Command("dbus-daemon", {
    args: ["--session", "--nofork", "--print-address=1"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("dbus-daemon did not start");
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return { address: text.trim(), child };
}

/** Options of {@linkcode withDesktop}. */
export interface WithDesktopOptions {
  /** Start a private session bus. @default false */
  dbus?: boolean;
  /** Start openbox. @default true */
  wm?: boolean;
}

/** Runs `fn` in a fresh Xvfb + openbox (+ D-Bus) session that is torn down afterwards. */
export function withDesktop<T>(
  fn: (desktop: Desktop) => Promise<T>,
  options: WithDesktopOptions = {},
): Promise<T> {
  return withXvfb(async (xvfb) => {
    const bus = options.dbus ? await startBus() : null;
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      DISPLAY: xvfb.display,
      ...(bus ? { DBUS_SESSION_BUS_ADDRESS: bus.address } : {}),
    };
    const apps: GtkApp[] = [];
    let wm: Deno.ChildProcess | null = null;
    try {
      if (options.wm !== false) {
        wm = new Deno.Command("openbox", {
          args: ["--sm-disable"],
          env,
          clearEnv: true,
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn();
        await waitForWm(env);
      }
      return await fn({
        display: xvfb.display,
        busAddress: bus?.address ?? "",
        env,
        async spawnApp(args) {
          const app = await spawnGtk(env, args);
          apps.push(app);
          return app;
        },
        async run(command, args) {
          const res = await new Deno.Command(command, {
            args,
            env,
            stdin: "null",
            stdout: "piped",
            stderr: "piped",
          }).output();
          if (!res.success) {
            throw new Error(`${command} failed: ${new TextDecoder().decode(res.stderr)}`);
          }
          return new TextDecoder().decode(res.stdout);
        },
      });
    } finally {
      for (const app of apps) await app.kill();
      if (wm) {
        wm.kill("SIGTERM");
        await wm.status;
      }
      if (bus) {
        bus.child.kill("SIGTERM");
        await bus.child.status;
      }
    }
  }, { width: 1280, height: 800 });
}

/** Polls `check` every 20 ms until it returns a value other than undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("Condition not met in time");
    await sleep(20);
  }
}
