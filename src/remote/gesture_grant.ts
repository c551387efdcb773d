/**
 * One intent, one prompt: approving the first event of a pointer or key
 * gesture once also approves the rest of that gesture, and nothing else.
 *
 * - Pointer: after an approved `input.pointer` event at point P, for
 *   {@linkcode GESTURE_WINDOW_MS}, presses and releases at P (within
 *   {@linkcode POINT_TOLERANCE} logical pixels) are covered, and so are moves
 *   while a button pressed at P is held (a drag) and the release that ends
 *   it. Scrolls and moves elsewhere with no button held ask again.
 * - Keys: after an approved key press, further presses and releases are
 *   covered while at least one key of the chord is still held, for at most
 *   {@linkcode GESTURE_WINDOW_MS}; once every key is up, the next key asks.
 *
 * At most {@linkcode GESTURE_MAX_EVENTS} events are covered per approval.
 *
 * @module
 */

/** How long an approved gesture covers its follow-up events. */
export const GESTURE_WINDOW_MS = 2_000;
/** How far (logical pixels) a press or release may be from the approved point. */
export const POINT_TOLERANCE = 2;
/** Most follow-up events one approval covers. */
export const GESTURE_MAX_EVENTS = 16;

interface PointerGrant {
  kind: "pointer";
  point: { x: number; y: number };
  held: Set<string>;
  until: number;
  left: number;
}

interface KeyGrant {
  kind: "key";
  held: Set<string>;
  until: number;
  left: number;
}

interface EventParams {
  event?: {
    action?: string;
    point?: { x: number; y: number };
    button?: string | null;
    keysym?: string;
  };
}

/** The open gesture grants of every session. */
export class GestureGrants {
  #grants = new Map<string, PointerGrant | KeyGrant>();

  /** Records that `method` with `params` was approved once for `sessionId`. */
  approved(sessionId: string, method: string, params: unknown, now: number): void {
    const event = (params as EventParams | undefined)?.event;
    if (!event) return;
    const until = now + GESTURE_WINDOW_MS;
    if (method === "input.pointer" && event.point && event.action !== "scroll") {
      const held = new Set<string>();
      if (event.action === "down") held.add(event.button ?? "left");
      this.#grants.set(sessionId, {
        kind: "pointer",
        point: event.point,
        held,
        until,
        left: GESTURE_MAX_EVENTS,
      });
    } else if (method === "input.key" && event.action === "down" && event.keysym) {
      this.#grants.set(sessionId, {
        kind: "key",
        held: new Set([event.keysym]),
        until,
        left: GESTURE_MAX_EVENTS,
      });
    } else {
      this.#grants.delete(sessionId);
    }
  }

  /** True (and the grant advanced) when the call continues an approved gesture. */
  covers(sessionId: string, method: string, params: unknown, now: number): boolean {
    const grant = this.#grants.get(sessionId);
    const event = (params as EventParams | undefined)?.event;
    if (!grant || !event) return false;
    if (now > grant.until || grant.left <= 0) {
      this.#grants.delete(sessionId);
      return false;
    }
    const covered = grant.kind === "pointer"
      ? method === "input.pointer" && coversPointer(grant, event)
      : method === "input.key" && coversKey(grant, event);
    if (!covered) return false;
    grant.left--;
    if (grant.kind === "key" && grant.held.size === 0) this.#grants.delete(sessionId);
    return true;
  }

  /** Forgets a session's gesture (it ended, or asked for something else). */
  end(sessionId: string): void {
    this.#grants.delete(sessionId);
  }
}

function coversPointer(grant: PointerGrant, event: NonNullable<EventParams["event"]>): boolean {
  const point = event.point;
  if (!point) return false;
  const atPoint = Math.abs(point.x - grant.point.x) <= POINT_TOLERANCE &&
    Math.abs(point.y - grant.point.y) <= POINT_TOLERANCE;
  const button = event.button ?? "left";
  switch (event.action) {
    case "down":
      if (!atPoint) return false;
      grant.held.add(button);
      return true;
    case "up":
      if (grant.held.delete(button)) return true;
      return atPoint;
    case "move":
      return atPoint || grant.held.size > 0;
    default:
      return false;
  }
}

function coversKey(grant: KeyGrant, event: NonNullable<EventParams["event"]>): boolean {
  if (!event.keysym || grant.held.size === 0) return false;
  if (event.action === "down") {
    grant.held.add(event.keysym);
    return true;
  }
  if (event.action === "up") return grant.held.delete(event.keysym);
  return false;
}
