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
  const tools = ["openbox", "dbus-daemon", "xdotool", "xclip", "xwininfo", "notify-send", "xterm"];
  for (const tool of tools) {
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
    clearEnv: true,
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
    async waitFor(match, timeoutMs = 10_000) {
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
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const out = await new Deno.Command("xprop", {
      args: ["-root", "_NET_SUPPORTING_WM_CHECK"],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "null",
    }).output();
    if (new TextDecoder().decode(out.stdout).includes("window id")) return;
    await sleep(50);
  }
  throw new Error("openbox did not start within 20 s");
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

/** Waits (up to 60 s) until the session bus's accessibility bus answers `GetAddress`. */
async function waitForA11yBus(env: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = "";
  for (;;) {
    const res = await new Deno.Command("dbus-send", {
      args: [
        "--session",
        "--print-reply",
        "--reply-timeout=10000",
        "--dest=org.a11y.Bus",
        "/org/a11y/bus",
        "org.a11y.Bus.GetAddress",
      ],
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (res.success && new TextDecoder().decode(res.stdout).includes("unix:")) return;
    last = new TextDecoder().decode(res.stderr).trim();
    if (Date.now() > deadline) throw new Error(`The accessibility bus never answered: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
    // The session's whole environment: a private HOME and XDG_RUNTIME_DIR, a fixed locale, and
    // nothing else inherited (children run with clearEnv), so the user's session bus, display,
    // settings and locale never leak into a test.
    const home = await Deno.makeTempDir({ prefix: "opendesk-desktop-home-" });
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home,
      XDG_RUNTIME_DIR: home,
      LANG: "C.UTF-8",
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
      // The accessibility bus starts on first use and may take seconds on a loaded machine;
      // backends decide at open whether ui.* work, so tests start once it answers.
      if (bus) await waitForA11yBus(env);
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
            clearEnv: true,
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
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  }, { width: 1280, height: 800 });
}

/**
 * Polls `check` every 20 ms until it returns a value other than undefined; after `timeoutMs`
 * fails with `what` (the awaited condition, in words) in the message.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = "the condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(20);
  }
}

/**
 * Settles like `promise`, or fails naming `what` when it has not settled within `ms`: a bound
 * that turns a hang into a clear failure (not a timing assertion; generous on purpose).
 */
export async function within<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not return within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The id of the active window as xdotool reads it, or 0 while there is none (the window manager
 * clears _NET_ACTIVE_WINDOW between focus changes, and xdotool fails then).
 */
export async function activeWindow(run: Desktop["run"]): Promise<number> {
  return Number((await run("xdotool", ["getactivewindow"]).catch(() => "0")).trim());
}
