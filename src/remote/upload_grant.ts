/**
 * One put, one prompt: approving the first part of an upload in parts
 * (`fs.write` with `offset`, `size` and `upload`) once also approves the
 * other parts of that upload, and nothing else. A part is covered when it
 * names the same upload, path and size, lies inside the file, and its offset
 * was not covered before; the grant ends after {@linkcode UPLOAD_GRANT_IDLE_MS}
 * without a part, and when the session ends.
 *
 * @module
 */

/** How long after its last part an upload grant lapses. */
export const UPLOAD_GRANT_IDLE_MS = 120_000;
/** Most upload grants a session holds (a new one drops the oldest). */
export const MAX_UPLOAD_GRANTS = 8;

interface UploadGrant {
  path: string;
  size: number;
  until: number;
  offsets: Set<number>;
}

interface PartParams {
  path?: unknown;
  offset?: unknown;
  size?: unknown;
  upload?: unknown;
}

function partOf(
  method: string,
  params: unknown,
): { id: string; path: string; offset: number; size: number } | undefined {
  if (method !== "fs.write") return undefined;
  const p = params as PartParams | undefined;
  if (
    typeof p?.upload !== "string" || typeof p.path !== "string" ||
    typeof p.offset !== "number" || typeof p.size !== "number"
  ) return undefined;
  return { id: p.upload, path: p.path, offset: p.offset, size: p.size };
}

/** The approved uploads of every session. */
export class UploadGrants {
  #sessions = new Map<string, Map<string, UploadGrant>>();

  /** Records that `method` with `params` was approved once for `sessionId`. */
  approved(sessionId: string, method: string, params: unknown, now: number): void {
    const part = partOf(method, params);
    if (part === undefined) return;
    const grants = this.#sessions.get(sessionId) ?? new Map<string, UploadGrant>();
    this.#sessions.set(sessionId, grants);
    grants.delete(part.id);
    if (grants.size >= MAX_UPLOAD_GRANTS) grants.delete(grants.keys().next().value!);
    grants.set(part.id, {
      path: part.path,
      size: part.size,
      until: now + UPLOAD_GRANT_IDLE_MS,
      offsets: new Set([part.offset]),
    });
  }

  /** True (and the offset used up) when the call is another part of an approved upload. */
  covers(sessionId: string, method: string, params: unknown, now: number): boolean {
    const part = partOf(method, params);
    if (part === undefined) return false;
    const grants = this.#sessions.get(sessionId);
    const grant = grants?.get(part.id);
    if (!grants || !grant) return false;
    if (now > grant.until) {
      grants.delete(part.id);
      return false;
    }
    const inside = part.offset < part.size;
    if (grant.path !== part.path || grant.size !== part.size || !inside) return false;
    if (grant.offsets.has(part.offset)) return false;
    grant.offsets.add(part.offset);
    grant.until = now + UPLOAD_GRANT_IDLE_MS;
    return true;
  }

  /** Forgets a session's upload grants (it ended). */
  end(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }
}
