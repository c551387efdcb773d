/**
 * `WaylandWindows`: toplevel windows through the foreign-toplevel protocol
 * (list, focus, close: every wlroots compositor), with bounds, process ids,
 * workspaces and moves from sway's IPC when the compositor is sway. On other
 * compositors a window's bounds and pid are null (the protocol carries no
 * geometry) and moving a window is refused with that reason.
 *
 * A toplevel is matched to sway's tree by app id and title; when several
 * windows share both, none of them gets bounds, since which is which is
 * unknown.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import type { Rect } from "../../types/geometry.ts";
import type { Window } from "../../types/window.ts";
import { parseWindowId } from "../x11/x11_windows.ts";
import { NATIVE_STATUS } from "../x11/ffi.ts";
import { SWAY_MESSAGE } from "./ffi.ts";
import type { WaylandConnection, WaylandToplevel } from "./wayland_connection.ts";
import { WaylandError } from "./wayland_error.ts";

/** How long a focus request waits for the compositor to activate the window, in ms. */
const FOCUS_WAIT_MS = 2000;

/** A window of sway's tree (the fields the driver reads). */
interface SwayNode {
  id: number;
  type: string;
  name: string | null;
  app_id?: string | null;
  pid?: number;
  rect: Rect;
  window_rect?: Rect;
  window_properties?: { class?: string };
  nodes?: SwayNode[];
  floating_nodes?: SwayNode[];
}

/** How long a move waits for sway to show the new geometry, in ms. */
const MOVE_SETTLE_MS = 1000;

/** A sway view with its workspace. */
interface SwayView {
  conId: number;
  appId: string;
  title: string;
  pid: number | null;
  bounds: Rect;
  workspace: string | null;
}

function views(node: SwayNode, workspace: string | null, out: SwayView[]): SwayView[] {
  const ws = node.type === "workspace" ? node.name : workspace;
  const children = [...node.nodes ?? [], ...node.floating_nodes ?? []];
  if ((node.type === "con" || node.type === "floating_con") && children.length === 0) {
    const inner = node.window_rect ??
      { x: 0, y: 0, width: node.rect.width, height: node.rect.height };
    out.push({
      conId: node.id,
      appId: node.app_id ?? node.window_properties?.class ?? "",
      title: node.name ?? "",
      pid: node.pid !== undefined && node.pid > 0 ? node.pid : null,
      bounds: {
        x: node.rect.x + inner.x,
        y: node.rect.y + inner.y,
        width: inner.width,
        height: inner.height,
      },
      workspace: ws,
    });
  }
  for (const child of children) views(child, ws, out);
  return out;
}

/** A toplevel with what sway knows about it (null fields when unknown). */
export interface WaylandWindow {
  /** The toplevel. */
  toplevel: WaylandToplevel;
  /** sway's view of it, when the compositor is sway and the match is unique. */
  view: SwayView | null;
}

/** Converts a window to the wire's `Window`. */
export function toWindow(w: WaylandWindow): Window {
  return {
    id: String(w.toplevel.id),
    title: w.toplevel.title,
    app_name: w.toplevel.app_id,
    pid: w.view?.pid ?? null,
    bounds: w.view?.bounds ?? null,
    focused: w.toplevel.activated,
    minimized: w.toplevel.minimized,
    workspace: w.view?.workspace ?? null,
  };
}

/** Turns the shim's NOT_FOUND into the wire's `not_found`. */
function notFound(windowId: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof WaylandError && error.status === NATIVE_STATUS.OD_ERR_NOT_FOUND) {
      throw new RemoteError("not_found", `Window '${windowId}' does not exist`, {}, {
        cause: error,
      });
    }
    throw error;
  };
}

/** The toplevel windows of one compositor. */
export class WaylandWindows {
  #conn: WaylandConnection;

  /** Creates the view over an open connection. */
  constructor(conn: WaylandConnection) {
    this.#conn = conn;
  }

  /** True when bounds and moves are available (the compositor is sway). */
  get hasBounds(): boolean {
    return this.#conn.has("SWAY_IPC");
  }

  /** Every toplevel, with sway's data where it is known. */
  async list(): Promise<WaylandWindow[]> {
    const toplevels = await this.#conn.toplevels();
    if (!this.hasBounds) return toplevels.map((toplevel) => ({ toplevel, view: null }));
    const tree = await this.#conn.sway<SwayNode>(SWAY_MESSAGE.GET_TREE, "");
    const all = views(tree, null, []);
    const key = (appId: string, title: string) => `${appId}\u0000${title}`;
    const count = new Map<string, number>();
    for (const v of all) {
      count.set(key(v.appId, v.title), (count.get(key(v.appId, v.title)) ?? 0) + 1);
    }
    const sameKey = new Map<string, number>();
    for (const t of toplevels) {
      sameKey.set(key(t.app_id, t.title), (sameKey.get(key(t.app_id, t.title)) ?? 0) + 1);
    }
    return toplevels.map((toplevel) => {
      const k = key(toplevel.app_id, toplevel.title);
      const unique = count.get(k) === 1 && sameKey.get(k) === 1;
      return { toplevel, view: unique ? all.find((v) => key(v.appId, v.title) === k)! : null };
    });
  }

  async #find(windowId: string): Promise<WaylandWindow> {
    const id = parseWindowId(windowId);
    const found = (await this.list()).find((w) => w.toplevel.id === id);
    if (!found) throw new RemoteError("not_found", `Window '${windowId}' does not exist`);
    return found;
  }

  /** The focused window, or null. */
  async focused(): Promise<WaylandWindow | null> {
    const active = this.#conn.activeToplevel();
    if (active === 0) return null;
    return (await this.list()).find((w) => w.toplevel.id === active) ?? null;
  }

  /** Activates a window and waits until the compositor reports it active. */
  focus(windowId: string): Promise<void> {
    return this.#conn.focus(parseWindowId(windowId), FOCUS_WAIT_MS).catch(notFound(windowId));
  }

  /** Asks a window to close (its app may refuse or ask the user). */
  close(windowId: string): Promise<void> {
    return this.#conn.requestClose(parseWindowId(windowId)).catch(notFound(windowId));
  }

  /**
   * Moves and resizes a window to logical `bounds`. On sway the window is made
   * floating first: a tiled window's place is decided by its container.
   *
   * @throws {RemoteError} `not_found` for a missing window; `invalid_argument` when bounds are
   *   unusable or unknown for this window.
   */
  async move(windowId: string, bounds: Rect): Promise<void> {
    const w = await this.#find(windowId);
    const values = [bounds.x, bounds.y, bounds.width, bounds.height];
    if (!values.every(Number.isFinite) || bounds.width < 1 || bounds.height < 1) {
      throw new RemoteError(
        "invalid_argument",
        "Cannot move a window to an empty or non-finite rectangle",
      );
    }
    if (w.view === null) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot move window '${windowId}': ${
          this.hasBounds
            ? "sway lists several windows with its app id and title, so which one it is is unknown"
            : "the compositor is not sway, and Wayland offers clients no way to place windows"
        }`,
      );
    }
    const [x, y, width, height] = values.map(Math.round);
    const replies = await this.#conn.sway<{ success: boolean; error?: string }[]>(
      SWAY_MESSAGE.RUN_COMMAND,
      `[con_id=${w.view.conId}] floating enable, resize set ${width} ${height}, ` +
        `move absolute position ${x} ${y}`,
    );
    const failed = replies.find((r) => !r.success);
    if (failed) {
      throw new RemoteError(
        "internal",
        `sway refused to move window '${windowId}': ${failed.error ?? ""}`,
      );
    }
    await this.#settled(w.view.conId, { x: x!, y: y!, width: width!, height: height! });
  }

  /**
   * Waits until sway's tree shows the view at `bounds`: sway applies a
   * resize once the client acknowledged it, so the tree lags the command.
   * A client may refuse the size (a minimum size): after `MOVE_SETTLE_MS`
   * the move counts as done with what sway shows.
   */
  async #settled(conId: number, bounds: Rect): Promise<void> {
    const deadline = Date.now() + MOVE_SETTLE_MS;
    for (;;) {
      const tree = await this.#conn.sway<SwayNode>(SWAY_MESSAGE.GET_TREE, "");
      const view = views(tree, null, []).find((v) => v.conId === conId);
      const b = view?.bounds;
      const there = b !== undefined && b.x === bounds.x && b.y === bounds.y &&
        b.width === bounds.width && b.height === bounds.height;
      if (there || view === undefined || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
