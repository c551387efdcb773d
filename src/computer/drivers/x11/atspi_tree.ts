/**
 * `AtspiTree`: the accessibility tree and element actions over AT-SPI through
 * the shim (`od_a11y_*`), with hard budgets (depth, node cap, deadline) and a
 * `truncated` marker when a budget cuts the walk.
 *
 * @module
 */

import { NativeHandle } from "./_native_handle.ts";
import { RemoteError } from "../../../protocol/errors.ts";
import type { UIElement } from "../../types/ui_element.ts";
import { loadNative, NATIVE_STATUS, type NativeLibrary } from "./ffi.ts";
import { NativeError } from "./native_error.ts";
import { cString, unwrap } from "./_native_util.ts";
import { decodeJson, openHandle, readGrowing } from "./_native_buffers.ts";

/** Default node cap of one walk. */
export const DEFAULT_UI_MAX_NODES = 2000;
/** Default deadline of one walk, in milliseconds. */
export const DEFAULT_UI_DEADLINE_MS = 3000;
/** `od_a11y_tree` flag: walk through libdbus's connection (opendesk.h). */
const OD_A11Y_TREE_VIA_LIBDBUS = 1;
/** Default timeout of one element action, in milliseconds. */
export const DEFAULT_UI_ACTION_TIMEOUT_MS = 2000;

/** One node as the shim writes it. */
export interface AtspiNode {
  role: string;
  name: string;
  value: string | null;
  bounds: [number, number, number, number] | null;
  focused: boolean;
  enabled: boolean;
  editable: boolean;
  /**
   * Shown on screen (AT-SPI's SHOWING and VISIBLE states): false for hidden
   * widgets and pages that are not on display. Absent means shown.
   */
  showing?: boolean;
  actions: string[];
  /** "<bus name>|<object path>", null on truncation nodes. */
  ref: string | null;
  children: AtspiNode[];
}

/** The result of one walk. */
export interface AtspiWalk {
  /** Name of the application the root belongs to. */
  app: string;
  tree: AtspiNode;
  /** The budget that cut the walk, or null when it is complete. */
  truncated: "depth" | "nodes" | "deadline" | null;
  nodes: number;
  elapsed_ms: number;
}

/** What to walk and within which budgets. */
export interface AtspiQuery {
  /** Process id of the application (0 = any). */
  pid?: number;
  /** Application name, case-insensitive substring. */
  app?: string | null;
  /** Window title (exact, else substring) within the application(s). */
  title?: string | null;
  /** Levels below the root. @default 8 */
  maxDepth?: number;
  /** @default DEFAULT_UI_MAX_NODES */
  maxNodes?: number;
  /** @default DEFAULT_UI_DEADLINE_MS */
  deadlineMs?: number;
  /**
   * Walk through libdbus's connection instead of the shim's own socket to the
   * application: the same tree, slower (for comparisons). @default false
   */
  viaLibdbus?: boolean;
}

const INTERACTIVE_ROLES = new Set([
  "push button",
  "toggle button",
  "radio button",
  "check box",
  "text",
  "entry",
  "password text",
  "combo box",
  "list item",
  "menu item",
  "check menu item",
  "radio menu item",
  "link",
  "slider",
  "spin button",
  "page tab",
]);

/** Whether a node is something a user can act on. */
export function isInteractive(node: AtspiNode): boolean {
  return node.editable || node.actions.length > 0 || INTERACTIVE_ROLES.has(node.role);
}

/** Options of {@linkcode toUIElement}. */
export interface ToUIElementOptions {
  /** Set `ref` on each element (extension `refs`). @default false */
  refs?: boolean;
  /**
   * Keep only interactive elements a person can see, and their ancestors
   * (extension): hidden elements and everything inside them are left out.
   * @default false
   */
  interactiveOnly?: boolean;
}

function convert(node: AtspiNode, options: ToUIElementOptions, root = false): UIElement | null {
  // The root (an application or a window) is kept: applications carry no SHOWING state.
  if (options.interactiveOnly && !root && node.showing === false) return null;
  const children: UIElement[] = [];
  for (const child of node.children) {
    const converted = convert(child, options);
    if (converted !== null) children.push(converted);
  }
  const truncation = node.ref === null;
  if (options.interactiveOnly && !truncation && children.length === 0 && !isInteractive(node)) {
    return null;
  }
  const el: UIElement = {
    role: node.role,
    name: node.name,
    value: node.value,
    bounds: node.bounds === null
      ? null
      : { x: node.bounds[0], y: node.bounds[1], width: node.bounds[2], height: node.bounds[3] },
    focused: node.focused,
    enabled: node.enabled,
    actions: [...node.actions],
    children,
    metadata: {},
  };
  if (options.refs && node.ref !== null) el.ref = node.ref;
  return el;
}

/** Converts a walk into the wire's `UIElement` (root metadata: `app`, and `truncated` if cut). */
export function toUIElement(walk: AtspiWalk, options: ToUIElementOptions = {}): UIElement {
  const root = convert(walk.tree, options, true) ??
    convert({ ...walk.tree, children: [] }, { ...options, interactiveOnly: false }, true)!;
  root.metadata = { app: walk.app };
  if (walk.truncated !== null) root.metadata.truncated = walk.truncated;
  return root;
}

/**
 * The AT-SPI accessibility tree of the session.
 *
 * @example Usage
 * ```ts ignore
 * import { AtspiTree } from "./atspi_tree.ts";
 * const atspi = await AtspiTree.open();
 * const walk = await atspi.walk({ app: "gedit", maxDepth: 6 });
 * await atspi.close();
 * ```
 */
export class AtspiTree {
  #lib: NativeLibrary;
  #handle: NativeHandle;

  private constructor(lib: NativeLibrary, handle: Deno.PointerObject) {
    this.#lib = lib;
    this.#handle = new NativeHandle(
      handle,
      "The accessibility connection is closed",
      (h) => lib.symbols.od_a11y_close(h),
    );
  }

  /**
   * Connects to the accessibility bus of the session bus at `sessionBusAddress`
   * (`""` = the environment's).
   *
   * @throws {NativeError} `OD_ERR_DBUS` without a session bus, `OD_ERR_A11Y` without AT-SPI.
   */
  static async open(sessionBusAddress = "", lib: NativeLibrary = loadNative()): Promise<AtspiTree> {
    const handle = await openHandle(
      (out) => lib.symbols.od_a11y_open(cString(sessionBusAddress), out),
      "connect to the accessibility bus (AT-SPI)",
    );
    return new AtspiTree(lib, handle);
  }

  /**
   * Walks one tree within the budgets.
   *
   * @throws {RemoteError} `not_found` when no application/window matches, `timeout` when
   *   the applications did not answer before the deadline.
   */
  walk(query: AtspiQuery = {}): Promise<AtspiWalk> {
    const deadline = query.deadlineMs ?? DEFAULT_UI_DEADLINE_MS;
    const app = cString(query.app ?? ""), title = cString(query.title ?? "");
    return this.#handle.track((async () => {
      const h = this.#handle.pointer;
      try {
        const bytes = await readGrowing(
          (buf, cap, len) =>
            this.#lib.symbols.od_a11y_tree(
              h,
              query.pid ?? 0,
              app,
              title,
              query.maxDepth ?? 8,
              query.maxNodes ?? DEFAULT_UI_MAX_NODES,
              deadline,
              query.viaLibdbus ? OD_A11Y_TREE_VIA_LIBDBUS : 0,
              buf,
              cap,
              len,
            ),
          "read the accessibility tree",
          256 * 1024,
        );
        const walk = decodeJson<AtspiWalk>(bytes);
        lowerActions(walk.tree);
        return walk;
      } catch (error) {
        throw mapError(error, query, deadline);
      }
    })());
  }

  /**
   * Runs an action on the element `ref` (`click` falls back to press/activate/…).
   *
   * @throws {RemoteError} `not_found` (element or action gone), `timeout`, `invalid_argument`.
   */
  doAction(ref: string, action = "click", timeoutMs = DEFAULT_UI_ACTION_TIMEOUT_MS): Promise<void> {
    return this.#handle.track((async () => {
      const status = await this.#lib.symbols.od_a11y_do_action(
        this.#handle.pointer,
        cString(ref),
        cString(action),
        timeoutMs,
      );
      throwActionStatus(status, `run '${action}' on element '${ref}'`, timeoutMs);
    })());
  }

  /**
   * Replaces the text of an editable element.
   *
   * @throws {RemoteError} `not_found`, `timeout`, `invalid_argument`.
   */
  setText(ref: string, text: string, timeoutMs = DEFAULT_UI_ACTION_TIMEOUT_MS): Promise<void> {
    return this.#handle.track((async () => {
      const status = await this.#lib.symbols.od_a11y_set_text(
        this.#handle.pointer,
        cString(ref),
        cString(text),
        timeoutMs,
      );
      throwActionStatus(status, `set the text of element '${ref}'`, timeoutMs);
    })());
  }

  /**
   * Moves the keyboard focus to an element (AT-SPI Component.GrabFocus).
   *
   * @throws {RemoteError} `not_found`, `timeout`; an element that refuses the focus fails.
   */
  grabFocus(ref: string, timeoutMs = DEFAULT_UI_ACTION_TIMEOUT_MS): Promise<void> {
    return this.#handle.track((async () => {
      const status = await this.#lib.symbols.od_a11y_grab_focus(
        this.#handle.pointer,
        cString(ref),
        timeoutMs,
      );
      throwActionStatus(status, `move the focus to element '${ref}'`, timeoutMs);
    })());
  }

  /** Closes the accessibility connections once pending calls end. Idempotent. */
  close(): Promise<void> {
    return this.#handle.close();
  }
}

/** AT-SPI reports some action names capitalised ("Click"); the wire uses lower case. */
function lowerActions(node: AtspiNode): void {
  node.actions = node.actions.map((a) => a.toLowerCase());
  for (const child of node.children) lowerActions(child);
}

function mapError(error: unknown, query: AtspiQuery, deadline: number): unknown {
  if (!(error instanceof NativeError)) return error;
  const what = query.title
    ? `window '${query.title}'`
    : query.app
    ? `application '${query.app}'`
    : query.pid
    ? `process ${query.pid}`
    : "the active window";
  if (error.status === NATIVE_STATUS.OD_ERR_NOT_FOUND) {
    return new RemoteError(
      "not_found",
      `No accessible ${what} found: check that it is running and exposes AT-SPI`,
    );
  }
  if (error.status === NATIVE_STATUS.OD_ERR_A11Y_TIMEOUT) {
    return new RemoteError(
      "timeout",
      `Cannot find ${what} within ${deadline} ms: an application did not answer (it may be hung)`,
    );
  }
  return error;
}

function throwActionStatus(status: number, action: string, timeoutMs: number): void {
  switch (status) {
    case NATIVE_STATUS.OD_OK:
      return;
    case NATIVE_STATUS.OD_ERR_NOT_FOUND:
      throw new RemoteError("not_found", `Cannot ${action}: the element or action does not exist`);
    case NATIVE_STATUS.OD_ERR_A11Y_TIMEOUT:
      throw new RemoteError("timeout", `Cannot ${action}: no answer within ${timeoutMs} ms`);
    case NATIVE_STATUS.OD_ERR_INVALID_ARGUMENT:
      throw new RemoteError("invalid_argument", `Cannot ${action}: invalid element reference`);
    default:
      unwrap(status, action);
  }
}
