/**
 * A private headless sway for tests: its own runtime directory, one 1920x1080 output, no
 * input devices, pixman rendering. sway refuses to run as root, so as root it runs as
 * `nobody` (setpriv) in a 0700 directory owned by nobody; clients running as root still
 * connect, because root passes the socket's permission checks (an absolute WAYLAND_DISPLAY
 * names the socket). As any other user, sway runs as that user.
 *
 * Locally the tests skip with a printed reason when a prerequisite is missing; with CI=true
 * they run and fail instead.
 *
 * @module
 */

/** The running compositor. */
export interface Sway {
  /** Absolute path of the Wayland socket (a valid WAYLAND_DISPLAY). */
  readonly socket: string;
  /** Path of sway's IPC socket (SWAYSOCK). */
  readonly ipc: string;
  /** The runtime directory (XDG_RUNTIME_DIR). */
  readonly runtimeDir: string;
  /** Environment for clients of this compositor (no DISPLAY: GTK must use Wayland). */
  readonly env: Record<string, string>;
}

const TOOLS = ["sway", "swaymsg", "foot", "grim", "wtype", "wl-copy", "wl-paste", "setpriv", "cc"];
const NOBODY = 65534;

function which(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${command}`).isFile;
    } catch {
      return false;
    }
  });
}

/** Why sway tests cannot run here, or null when they can. */
export function swayMissing(): string | null {
  if (Deno.build.os !== "linux") return "sway runs on Linux only";
  for (const tool of TOOLS) {
    if (!which(tool)) return `${tool} is not installed (see scripts/setup.sh)`;
  }
  return null;
}

const missing = swayMissing();
/** True when the sway tests must be skipped (never with CI=true). */
export const skipSway: boolean = missing !== null && Deno.env.get("CI") !== "true";
if (skipSway) console.log(`skipping headless sway tests: ${missing}`);

async function waitForSockets(dir: string, child: Deno.ChildProcess, log: string) {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !exited) {
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    const socket = names.find((n) => /^wayland-\d+$/.test(n));
    const ipc = names.find((n) => n.startsWith("sway-ipc.") && n.endsWith(".sock"));
    if (socket && ipc) return { socket: `${dir}/${socket}`, ipc: `${dir}/${ipc}` };
    await new Promise((r) => setTimeout(r, 20));
  }
  const text = await Deno.readTextFile(log).catch(() => "");
  throw new Error(
    `headless sway did not ${exited ? "stay up" : "open its sockets in 15 s"}:\n${
      text.slice(-2000)
    }`,
  );
}

/** Runs `fn` with a fresh headless sway and stops it afterwards. */
export async function withHeadlessSway<T>(fn: (sway: Sway) => Promise<T>): Promise<T> {
  const root = Deno.uid() === 0;
  const dir = await Deno.makeTempDir({ prefix: "opendesk-sway-" });
  const log = `${dir}.log`;
  await Deno.writeTextFile(
    `${dir}/config`,
    "output HEADLESS-1 resolution 1920x1080 position 0 0\ndefault_border none\n",
  );
  await Deno.chmod(dir, 0o700);
  if (root) {
    await Deno.chown(dir, NOBODY, NOBODY);
    await Deno.chown(`${dir}/config`, NOBODY, NOBODY);
  }
  const env = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    XDG_RUNTIME_DIR: dir,
    WLR_BACKENDS: "headless",
    WLR_LIBINPUT_NO_DEVICES: "1",
    WLR_RENDERER: "pixman",
  };
  const sway = ["sway", "-c", `${dir}/config`];
  const logFile = await Deno.open(log, { write: true, create: true, truncate: true });
  const child = new Deno.Command(
    root ? "setpriv" : "env",
    {
      args: root
        ? [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          "env",
          "-i",
          ...envArgs(env),
          ...sway,
        ]
        : ["-i", ...envArgs(env), ...sway],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    },
  ).spawn();
  // sway logs to stderr: kept in a file for the error message when it fails to start.
  const drained = child.stderr.pipeTo(logFile.writable, { preventClose: true }).catch(() => {});
  try {
    const { socket, ipc } = await waitForSockets(dir, child, log);
    const clientEnv: Record<string, string> = {
      PATH: env.PATH,
      HOME: Deno.env.get("HOME") ?? "/root",
      XDG_RUNTIME_DIR: dir,
      WAYLAND_DISPLAY: socket,
      SWAYSOCK: ipc,
      GDK_BACKEND: "wayland",
      LANG: "C.UTF-8", // wtype and foot read UTF-8 arguments through the locale
    };
    return await fn({ socket, ipc, runtimeDir: dir, env: clientEnv });
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await drained;
    logFile.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.remove(log).catch(() => {});
  }
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
