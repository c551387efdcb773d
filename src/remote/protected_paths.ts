/**
 * Paths a controller may touch only with an explicit approval at the
 * serving terminal, in every approval mode and for reads too: opendesk's own
 * home (the private identity key, the trust store), SSH and GnuPG keys,
 * browser profiles, keyrings, the server's own `/proc` entries and the
 * terminal the server runs in (reading `/proc/self/fd/0` would steal what is
 * typed there, approval answers included).
 *
 * A requested path is protected when it, the path it resolves to through
 * symbolic links, or (for deleting and moving) anything inside it is one of
 * these paths or lies under one.
 *
 * @module
 */

import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";

/** One protected path and why it is protected. */
export interface ProtectedPath {
  /** Absolute path; everything under it is protected too. */
  path: string;
  /** Shown in the prompt and the audit log. */
  why: string;
}

/** Options of {@linkcode defaultProtectedPaths}. */
export interface ProtectedPathsOptions {
  /** opendesk's home directory (identity key, trust store). */
  home: string;
  /**
   * The user's home directory.
   * @default {HOME or USERPROFILE}
   */
  userHome?: string | undefined;
  /**
   * The server's process id (its `/proc/<pid>`).
   * @default {Deno.pid}
   */
  pid?: number;
}

/** The built-in list for this machine and process. */
export function defaultProtectedPaths(options: ProtectedPathsOptions): ProtectedPath[] {
  const userHome = options.userHome || Deno.env.get("HOME") || Deno.env.get("USERPROFILE");
  const pid = options.pid ?? Deno.pid;
  const list: ProtectedPath[] = [
    { path: resolve(options.home), why: "opendesk's home (private identity key, trusted peers)" },
  ];
  if (userHome) {
    const inHome = (rel: string, why: string) => list.push({ path: join(userHome, rel), why });
    inHome(".ssh", "SSH keys");
    inHome(".gnupg", "GnuPG keys");
    inHome(".opendesk", "opendesk's home (private identity key, trusted peers)");
    for (const rel of [".mozilla", "snap/firefox", ".config/google-chrome", ".config/chromium"]) {
      inHome(rel, "browser profile (passwords, cookies)");
    }
    for (const rel of [".config/BraveSoftware", ".config/microsoft-edge", ".config/vivaldi"]) {
      inHome(rel, "browser profile (passwords, cookies)");
    }
    inHome("Library/Application Support/Google/Chrome", "browser profile (passwords, cookies)");
    inHome("Library/Application Support/Firefox", "browser profile (passwords, cookies)");
    inHome(".local/share/keyrings", "keyring");
    inHome(".password-store", "password store");
    inHome(".pki", "certificate and key database");
    inHome("Library/Keychains", "keychain");
    inHome(".aws", "cloud credentials");
    inHome(".kube", "cluster credentials");
  }
  if (Deno.build.os === "linux") {
    const own = "this server's own process (memory, environment, open files, terminal)";
    for (const path of ["/proc/self", "/proc/thread-self", `/proc/${pid}`, "/dev/fd"]) {
      list.push({ path, why: own });
    }
    for (const path of ["/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/tty"]) {
      list.push({ path, why: "the terminal this server runs in" });
    }
    for (const fd of [0, 1, 2]) {
      const terminal = readLink(`/proc/${pid}/fd/${fd}`);
      if (terminal && /^\/dev\/(pts\/\d+|tty\w*)$/.test(terminal)) {
        list.push({ path: terminal, why: "the terminal this server runs in" });
      }
    }
  }
  return dedupe(list);
}

/** Options of {@linkcode findProtectedPath}. */
export interface FindProtectedPathOptions {
  /**
   * Also protected when a protected path lies inside `path` (deleting or
   * moving a parent directory).
   * @default {false}
   */
  containing?: boolean;
}

/**
 * The protected entry `path` falls under, or `null`.
 * @param path the path as the controller sent it (`~` expanded here, relative to the cwd)
 * @param list the protected paths
 */
export function findProtectedPath(
  path: string,
  list: readonly ProtectedPath[],
  options: FindProtectedPathOptions = {},
): ProtectedPath | null {
  const candidates = resolvedForms(path);
  for (const entry of list) {
    for (const target of [entry.path, entryRealPath(entry.path)]) {
      for (const candidate of candidates) {
        if (within(candidate, target)) return entry;
        if (options.containing && within(target, candidate)) return entry;
      }
    }
  }
  return null;
}

/** The absolute path and, when it (or a parent) exists, the path through symbolic links. */
function resolvedForms(path: string): string[] {
  const absolute = resolve(expandHome(path));
  const forms = new Set([absolute]);
  // The longest existing ancestor's real path plus the rest: catches symlinked directories
  // and files that do not exist yet.
  let head = absolute;
  const rest: string[] = [];
  while (true) {
    if (exists(head)) {
      forms.add(join(realPathOf(head), ...rest));
      break;
    }
    const parent = dirname(head);
    if (parent === head) break;
    rest.unshift(basename(head));
    head = parent;
  }
  return [...forms];
}

function within(path: string, root: string): boolean {
  const p = normalize(path);
  const r = normalize(root);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/**
 * Expands a leading `~` (HOME) or `~user` (from /etc/passwd) the way the
 * `fs.*` methods do, so a rule cannot be sidestepped by spelling a path
 * another way; other paths are returned unchanged.
 */
export function expandHome(path: string): string {
  if (!path.startsWith("~")) return path;
  const slash = path.search(/[\\/]/);
  const user = slash === -1 ? path.slice(1) : path.slice(1, slash);
  const rest = slash === -1 ? "" : path.slice(slash);
  const home = user === "" ? Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") : passwdHome(user);
  return home ? home + rest : path;
}

function passwdHome(user: string): string | undefined {
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const fields = line.split(":");
      if (fields[0] === user && fields[5]) return fields[5];
    }
  } catch {
    // No passwd file (Windows): no expansion.
  }
  return undefined;
}

/** How long a protected entry's real path is reused (every fs.* call checks every entry). */
const ENTRY_REAL_PATH_TTL_MS = 1000;
const entryRealPaths = new Map<string, { real: string; at: number }>();

/**
 * The real path of a protected entry, reused for a second: resolving each of
 * the ~30 entries on every call cost ~2 ms under load (most do not exist, and
 * a missing path throws). The path a controller sends is always resolved anew.
 */
function entryRealPath(path: string): string {
  const now = Date.now();
  const cached = entryRealPaths.get(path);
  if (cached && now - cached.at < ENTRY_REAL_PATH_TTL_MS) return cached.real;
  const real = realPathOf(path);
  if (entryRealPaths.size > 1024) entryRealPaths.clear();
  entryRealPaths.set(path, { real, at: now });
  return real;
}

function realPathOf(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path;
  }
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function readLink(path: string): string | null {
  try {
    return Deno.readLinkSync(path);
  } catch {
    return null;
  }
}

function dedupe(list: ProtectedPath[]): ProtectedPath[] {
  const seen = new Set<string>();
  return list.filter((e) => isAbsolute(e.path) && !seen.has(e.path) && seen.add(e.path));
}
