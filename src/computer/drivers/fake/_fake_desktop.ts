/**
 * The window, app and accessibility state of `FakeComputer`, drawn onto its
 * screen: windows are filled rectangles in stacking order.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { assignRefs, defaultWindowTree, findElement, shapeTree } from "./_fake_ui.ts";
import type { FakeScreen, Rgba } from "./fake_screen.ts";
import {
  FOCUS_ACTION,
  SET_TEXT_ACTION,
  type UiActionParams,
  type UiTreeParams,
} from "../../methods/params.ts";

/** Roles whose text the fake lets `set_text` replace. */
const EDITABLE_ROLES = new Set(["text", "entry", "password text", "editbar"]);
import type { Rect } from "../../types/geometry.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";

function colorOf(id: string): Rgba {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) & 0xffffff;
  return [64 + (h & 0x7f), 64 + ((h >> 8) & 0x7f), 64 + ((h >> 16) & 0x7f), 255];
}

/** Windows, apps and UI trees of the fake desktop. */
export class FakeDesktop {
  #screen: FakeScreen;
  #scale: number;
  #windows: Window[] = [];
  #trees = new Map<string, UIElement>();
  #nextWindow = 1;

  constructor(screen: FakeScreen, scale: number) {
    this.#screen = screen;
    this.#scale = scale;
  }

  /** The windows in stacking order (bottom first). */
  get windows(): readonly Window[] {
    return this.#windows;
  }

  /** Opens a new focused window with a default UI tree. */
  addWindow(app: string, title: string, bounds: Rect): Window {
    const id = String(this.#nextWindow++);
    for (const w of this.#windows) w.focused = false;
    const window: Window = {
      id,
      title,
      app_name: app,
      pid: 4000 + Number(id),
      bounds,
      focused: true,
      minimized: false,
      workspace: "1",
    };
    this.#windows.push(window);
    this.setTree(id, defaultWindowTree(window));
    this.render();
    return window;
  }

  /** Replaces a window's tree and gives its elements refs. */
  setTree(windowId: string, tree: UIElement): void {
    assignRefs(tree, windowId);
    this.#trees.set(windowId, tree);
  }

  /** Redraws the screen: background, then every visible window. */
  render(): void {
    this.#screen.clear();
    const s = this.#scale;
    for (const w of this.#windows) {
      if (w.minimized || w.bounds === null) continue;
      const b = w.bounds;
      this.#screen.fill(
        { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s },
        colorOf(w.id),
      );
    }
  }

  /** @throws {RemoteError} `not_found` */
  window(id: string): Window {
    const w = this.#windows.find((x) => x.id === id);
    if (!w) {
      throw new RemoteError(
        "not_found",
        `Window '${id}' not found; windows.list shows the open windows`,
        { window_id: id },
      );
    }
    return w;
  }

  /** @throws {RemoteError} `not_found` when the app has no window */
  appWindows(name: string): Window[] {
    const found = this.#windows.filter((w) => w.app_name.toLowerCase() === name.toLowerCase());
    if (found.length === 0) {
      throw new RemoteError(
        "not_found",
        `App '${name}' is not running; apps.list shows the running apps`,
        { name },
      );
    }
    return found;
  }

  /** Focuses a window and raises it. */
  focus(w: Window): void {
    for (const x of this.#windows) x.focused = x === w;
    w.minimized = false;
    this.#windows = [...this.#windows.filter((x) => x !== w), w];
    this.render();
  }

  /** Removes windows. */
  remove(gone: Window[]): void {
    const set = new Set(gone);
    this.#windows = this.#windows.filter((w) => !set.has(w));
    for (const w of gone) this.#trees.delete(w.id);
    this.render();
  }

  /** Moves a window; its default tree follows. */
  move(w: Window, bounds: Rect): void {
    if (bounds.width <= 0 || bounds.height <= 0) {
      throw new RemoteError(
        "invalid_argument",
        "Invalid bounds: width and height must be positive",
        { param: "bounds" },
      );
    }
    w.bounds = { ...bounds };
    this.setTree(w.id, defaultWindowTree(w));
    this.render();
  }

  /** Focuses the app's window, or opens one. */
  open(name: string): void {
    if (name.trim() === "") {
      throw new RemoteError("invalid_argument", "Cannot open app: the name is empty", {
        param: "name",
      });
    }
    const existing = this.#windows.find((w) => w.app_name.toLowerCase() === name.toLowerCase());
    if (existing) this.focus(existing);
    else {this.addWindow(name, name, {
        x: 20 + 10 * this.#nextWindow,
        y: 20,
        width: 160,
        height: 100,
      });}
  }

  /** The `ui.tree` answer. */
  tree(p: UiTreeParams): UIElement {
    let w: Window | undefined;
    if (p.window_id !== null) {
      w = this.window(p.window_id);
    } else if (p.app !== null) {
      const app = p.app.toLowerCase();
      w = this.#windows.find((x) => x.app_name.toLowerCase().includes(app));
      if (!w) {
        throw new RemoteError(
          "not_found",
          `No app matches '${p.app}'; apps.list shows the running apps`,
          { app: p.app },
        );
      }
    } else {
      w = this.#windows.find((x) => x.focused);
      if (!w) throw new RemoteError("not_found", "No window is focused; pass window_id or app");
    }
    return shapeTree(this.#trees.get(w.id)!, {
      maxDepth: p.max_depth,
      maxNodes: p.max_nodes,
      interactiveOnly: p.interactive_only,
      refs: p.refs,
    });
  }

  /**
   * Performs `ui.action`: finds the element (by ref, or role + name + bounds
   * within 5 px), checks it offers the action, applies `toggle`.
   *
   * @returns the element acted on
   */
  act(p: UiActionParams): UIElement {
    const windows = p.app === null ? this.#windows : this.appWindows(p.app);
    let target: UIElement | null = null;
    for (const w of windows) {
      target = findElement(this.#trees.get(w.id)!, { ref: p.ref, element: p.element });
      if (target) break;
    }
    if (!target) {
      const what = p.ref !== undefined
        ? `ref '${p.ref}'`
        : `${p.element!.role} '${p.element!.name}'`;
      throw new RemoteError("not_found", `No element matches ${what}; fetch a fresh ui.tree`);
    }
    if (p.action === FOCUS_ACTION) {
      // One element holds the focus: the others lose it.
      const blur = (e: UIElement): void => {
        e.focused = false;
        e.children.forEach(blur);
      };
      for (const tree of this.#trees.values()) blur(tree);
      target.focused = true;
      return target;
    }
    if (p.action === SET_TEXT_ACTION) {
      if (!EDITABLE_ROLES.has(target.role)) {
        throw new RemoteError(
          "invalid_argument",
          `Element '${target.name || target.role}' is not editable, so its text cannot be set`,
        );
      }
      target.value = p.text ?? "";
      return target;
    }
    if (!target.actions.includes(p.action)) {
      throw new RemoteError(
        "invalid_argument",
        `Element '${target.name || target.role}' has no action '${p.action}'; it offers: ${
          target.actions.join(", ") || "none"
        }`,
        { action: p.action },
      );
    }
    if (p.action === "toggle") target.value = target.value === "true" ? "false" : "true";
    return target;
  }
}
