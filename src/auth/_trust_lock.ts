/**
 * The cross-process lock of the trust files (`trusted-peers.json`, its
 * `.bak`, `peer-roles.json`, `default-peer`): every read-modify-write of
 * them runs while holding an exclusive `flock` on `<home>/trust.lock`, so
 * two processes never interleave and a revocation is never undone by a
 * writer that read the file before it. Internal to the trust store.
 *
 * The lock is re-entrant within one process: `flock` locks belong to an open
 * file description, so a nested `open` + `lock` of the same file in the same
 * process would wait for itself.
 *
 * @module
 */

import { join } from "node:path";
import { HomeFile } from "./constants.ts";
import { ensureHomeDir } from "./home.ts";
import { sweepStaleTempFiles } from "./_temp_sweep.ts";

const held = new Map<string, number>();

/**
 * Runs `fn` while holding the exclusive lock of `home`'s trust files; the
 * home is created (mode 0700) first. Temp files left by writers that died
 * are removed once the lock is taken (only this lock's holders write them).
 *
 * @param home the home directory
 * @param fn the read-modify-write to run
 * @returns what `fn` returns
 */
export function withTrustLock<T>(home: string, fn: () => T): T {
  const depth = held.get(home) ?? 0;
  if (depth > 0) {
    held.set(home, depth + 1);
    try {
      return fn();
    } finally {
      held.set(home, depth);
    }
  }
  ensureHomeDir(home);
  const file = Deno.openSync(join(home, HomeFile.TRUST_LOCK), {
    read: true,
    write: true,
    create: true,
    mode: 0o600,
  });
  try {
    file.lockSync(true);
    held.set(home, 1);
    try {
      sweepStaleTempFiles(home);
      return fn();
    } finally {
      held.delete(home);
      file.unlockSync();
    }
  } finally {
    file.close();
  }
}
