/**
 * `AppLauncher`: starts applications by freedesktop desktop entry (id or
 * `Name=`, from `$XDG_DATA_HOME/applications` and `$XDG_DATA_DIRS/*\/applications`)
 * or by executable on PATH, as a detached process group.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { APP_LOG_DIR_ENV } from "../desktop_driver.ts";

/** A parsed desktop entry. */
export interface DesktopEntry {
  /** Desktop file id, e.g. `org.gnome.gedit.desktop`. */
  id: string;
  path: string;
  name: string;
  /** Exec split into arguments, field codes removed. */
  argv: string[];
  /** StartupWMClass, when given. */
  wmClass: string | null;
}

/** What {@linkcode AppLauncher.launch} started. */
export interface LaunchedApp {
  pid: number;
  argv: string[];
  /** The desktop entry used, or null for a PATH executable. */
  entry: DesktopEntry | null;
}

// The directory for started apps' output is named by APP_LOG_DIR_ENV (a rule
// of the driver contract): each app's stdout and stderr are appended to
// `<dir>/<name>.log` there.
export { APP_LOG_DIR_ENV };

/** A log grows to this size before it is moved to `<name>.log.1` at the next start. */
const APP_LOG_MAX_BYTES = 1024 * 1024;

/** Options of {@linkcode AppLauncher}. */
export interface AppLauncherOptions {
  /** Environment for lookups and the started app (DISPLAY, PATH, XDG_*). @default Deno.env */
  env?: Record<string, string>;
}

/**
 * Splits an Exec value into arguments (desktop entry spec: double quotes with
 * backslash escapes) and removes field codes (`%f`, `%U`, …; `%%` is `%`).
 */
export function parseExec(exec: string): string[] {
  const args: string[] = [];
  let cur = "", quoted = false, any = false;
  for (let i = 0; i < exec.length; i++) {
    const c = exec[i]!;
    if (quoted) {
      if (c === "\\" && i + 1 < exec.length) cur += exec[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === " " || c === "\t") {
      if (cur.length > 0 || any) args.push(cur);
      cur = "";
      any = false;
    } else {
      cur += c;
    }
  }
  if (cur.length > 0 || any) args.push(cur);
  const out: string[] = [];
  for (const a of args) {
    const replaced = a.replace(/%[fFuUdDnNickvm]/g, "").replaceAll("%%", "%");
    if (replaced.length > 0 || a.length === 0) out.push(replaced); // "" stays, "%U" goes
  }
  return out;
}

function parseEntry(text: string, id: string, path: string): DesktopEntry | null {
  const fields: Record<string, string> = {};
  let inMain = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inMain = line === "[Desktop Entry]";
      continue;
    }
    const eq = line.indexOf("=");
    if (!inMain || eq <= 0 || line.startsWith("#")) continue;
    const key = line.slice(0, eq).trim();
    if (!(key in fields)) fields[key] = line.slice(eq + 1).trim();
  }
  if (fields.Type !== "Application" || fields.Hidden === "true" || !fields.Exec) return null;
  const argv = parseExec(fields.Exec);
  if (argv.length === 0) return null;
  return { id, path, name: fields.Name ?? id, argv, wmClass: fields.StartupWMClass ?? null };
}

/**
 * Finds and starts applications.
 *
 * @example Usage
 * ```ts ignore
 * import { AppLauncher } from "./app_launcher.ts";
 * const launched = await new AppLauncher().launch("gedit");
 * console.log(launched.pid);
 * ```
 */
export class AppLauncher {
  #env: Record<string, string>;

  /** Creates a launcher. */
  constructor(options: AppLauncherOptions = {}) {
    this.#env = options.env ?? Deno.env.toObject();
  }

  /** The applications directories, most important first. */
  applicationDirs(): string[] {
    const home = this.#env.HOME ?? "";
    const dataHome = this.#env.XDG_DATA_HOME || `${home}/.local/share`;
    const dataDirs = (this.#env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":");
    return [dataHome, ...dataDirs].filter((d) => d.length > 0).map((d) => `${d}/applications`);
  }

  /** All desktop entries (the first of each id wins). */
  async entries(): Promise<DesktopEntry[]> {
    const seen = new Map<string, DesktopEntry>();
    for (const dir of this.applicationDirs()) {
      for (const [id, path] of await listDesktopFiles(dir, "")) {
        if (seen.has(id)) continue;
        try {
          const entry = parseEntry(await Deno.readTextFile(path), id, path);
          if (entry) seen.set(id, entry);
        } catch {
          // unreadable entry: skipped
        }
      }
    }
    return [...seen.values()];
  }

  /** The desktop entry for `name`: by id (with or without `.desktop`), else by Name. */
  async findEntry(name: string): Promise<DesktopEntry | null> {
    const all = await this.entries();
    const lower = name.toLowerCase();
    return all.find((e) => e.id === name || e.id === `${name}.desktop`) ??
      all.find((e) => e.name.toLowerCase() === lower) ??
      all.find((e) => e.id.toLowerCase().replace(/\.desktop$/, "").split(".").pop() === lower) ??
      null;
  }

  /** The absolute path of an executable on PATH, or null. */
  which(command: string): string | null {
    if (command.includes("/")) return isExecutable(command) ? command : null;
    for (const dir of (this.#env.PATH ?? "").split(":")) {
      if (dir.length > 0 && isExecutable(`${dir}/${command}`)) return `${dir}/${command}`;
    }
    return null;
  }

  /**
   * Starts `name` detached (own process group, no stdio): a desktop entry, or
   * else an executable on PATH.
   *
   * @throws {RemoteError} `not_found` when neither exists.
   */
  async launch(name: string): Promise<LaunchedApp> {
    if (name.trim().length === 0) {
      throw new RemoteError("invalid_argument", "Cannot open an app: the name is empty");
    }
    const entry = await this.findEntry(name);
    const argv = entry?.argv ?? [name];
    const program = this.which(argv[0]!);
    if (program === null) {
      throw new RemoteError(
        "not_found",
        entry
          ? `Cannot open '${name}': its desktop entry runs '${argv[0]}', which is not on PATH`
          : `Cannot open '${name}': no desktop entry or program of that name; ` +
            "check apps.list or the installed applications",
      );
    }
    const { [APP_LOG_DIR_ENV]: logDir, ...env } = this.#env;
    const log = logDir ? openAppLog(logDir, name) : null;
    // With a log, `sh` redirects both streams into it and then becomes the app (same pid).
    const child = new Deno.Command(log ? "/bin/sh" : program, {
      args: log ? ["-c", 'exec "$@" >>"$0" 2>&1', log, program, ...argv.slice(1)] : argv.slice(1),
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    child.unref();
    return { pid: child.pid, argv: [program, ...argv.slice(1)], entry };
  }
}

/** Prepares `<dir>/<name>.log` (dir 0700, file 0600; a full log moves to `.log.1`). */
function openAppLog(dir: string, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_").slice(0, 100);
  const path = `${dir}/${safe}.log`;
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    if (Deno.statSync(path).size > APP_LOG_MAX_BYTES) Deno.renameSync(path, `${path}.1`);
  } catch {
    // No log yet.
  }
  Deno.writeTextFileSync(path, `--- ${new Date().toISOString()} started ${name}\n`, {
    append: true,
    mode: 0o600,
  });
  return path;
}

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

async function listDesktopFiles(dir: string, prefix: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) out.push(...await listDesktopFiles(path, `${prefix}${e.name}-`));
      else if (e.name.endsWith(".desktop")) out.push([`${prefix}${e.name}`, path]);
    }
  } catch {
    // missing directory
  }
  return out;
}
