/**
 * The `wait_for` tool: polls the target until a window title or a UI
 * element appears (or disappears), or a screen area changes, within a
 * deadline — so an agent does not spend screenshots on sleeps. Progress is
 * reported after every poll; cancelling the call stops it.
 *
 * @module
 */

import { z } from "zod";
import { abortableSleep } from "./_abortable_sleep.ts";
import type { UIElement } from "./_target.ts";
import { zoomArea, ZoomSchema } from "./screenshot_tool.ts";
import { type OpendeskTool, requireCapability, textResult, type ToolCall } from "./tool_def.ts";
import { ToolError } from "./targets.ts";

const DEFAULT_TIMEOUT_S = 10;
const MAX_TIMEOUT_S = 300;
const DEFAULT_INTERVAL_MS = 250;
/** Long edge of the small images compared for screen changes. */
const CHANGE_PROBE_EDGE = 256;

type Probe = () => Promise<string | null>;

function findElement(e: UIElement, name: string, role: string | undefined): UIElement | null {
  const matches = e.name.toLowerCase().includes(name) &&
    (role === undefined || e.role.toLowerCase().includes(role));
  if (matches) return e;
  for (const c of e.children) {
    const found = findElement(c, name, role);
    if (found) return found;
  }
  return null;
}

function windowProbe(call: ToolCall, title: string, gone: boolean): Probe {
  requireCapability(call, "windows.list", "list windows");
  const needle = title.toLowerCase();
  return async () => {
    const windows = await call.computer.windows({ signal: call.signal });
    const hit = windows.find((w) => w.title.toLowerCase().includes(needle));
    if (gone) return hit ? null : `No window title contains '${title}' any more`;
    return hit ? `Window ${JSON.stringify(hit.title)} (id ${hit.id}) is there` : null;
  };
}

function elementProbe(
  call: ToolCall,
  name: string,
  role: string | undefined,
  app: string | undefined,
  gone: boolean,
): Probe {
  requireCapability(call, "ui.tree", "read the accessibility tree");
  return async () => {
    const tree = await call.computer.uiTree({
      app: app ?? null,
      refs: true,
      max_nodes: 2000,
      deadline_ms: 2000,
    }, { signal: call.signal });
    const hit = findElement(tree, name.toLowerCase(), role?.toLowerCase());
    if (gone) return hit ? null : `No element named '${name}' any more`;
    return hit
      ? `Element ${hit.role} ${JSON.stringify(hit.name)}${
        hit.ref ? ` (ref ${hit.ref})` : ""
      } is there`
      : null;
  };
}

async function screenProbe(call: ToolCall, region: number[] | undefined): Promise<Probe> {
  requireCapability(call, "display.capture", "take screenshots");
  const area = region ? zoomArea(call.lastImage(), region) : null;
  const grab = async () =>
    (await call.computer.capture({
      region: area,
      downscale: true,
      max_width: CHANGE_PROBE_EDGE,
      max_height: CHANGE_PROBE_EDGE,
      format: "raw_rgb",
    }, { signal: call.signal })).data;
  const first = await grab();
  return async () => {
    const now = await grab();
    if (now.byteLength !== first.byteLength) return "The screen area changed size";
    for (let i = 0; i < now.byteLength; i++) {
      if (now[i] !== first[i]) {
        return `The screen${region ? ` area [${region.join(", ")}]` : ""} changed`;
      }
    }
    return null;
  };
}

/** The `wait_for` tool. */
export const WAIT_FOR_TOOL: OpendeskTool = {
  name: "wait_for",
  title: "Wait for a change",
  description: "Wait until something happens on the target, checking every interval until the " +
    "timeout: a window whose title contains window_title appears (or disappears with gone), a UI " +
    "element whose name contains element_name appears (or disappears), or the screen (or a " +
    "region of the last screenshot) changes. Cheaper and faster than taking screenshots in a loop.",
  input: {
    window_title: z.string().min(1).optional(),
    element_name: z.string().min(1).optional(),
    element_role: z.string().min(1).optional().describe(
      "with element_name: the role must contain this",
    ),
    app: z.string().optional().describe(
      "with element_name: look in this app instead of the focused window",
    ),
    screen_change: z.boolean().optional().describe("wait for the screen to change"),
    region: ZoomSchema.optional().describe(
      "with screen_change: [x0, y0, x1, y1] of the last screenshot to watch (default the whole display)",
    ),
    gone: z.boolean().optional().describe("wait for the window / element to disappear instead"),
    timeout: z.number().positive().max(MAX_TIMEOUT_S).optional().describe(
      `Seconds (default ${DEFAULT_TIMEOUT_S})`,
    ),
    interval_ms: z.number().int().min(50).max(10_000).optional().describe(
      `Between checks (default ${DEFAULT_INTERVAL_MS})`,
    ),
  },
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
  capabilities: ["windows.list", "ui.tree", "display.capture"],
  async run(args, call) {
    const given = ["window_title", "element_name", "screen_change"].filter((k) => args[k]);
    if (given.length !== 1) {
      throw new ToolError(
        "Give exactly one condition: window_title, element_name or screen_change",
      );
    }
    const gone = args.gone === true;
    const probe = args.window_title
      ? windowProbe(call, args.window_title as string, gone)
      : args.element_name
      ? elementProbe(
        call,
        args.element_name as string,
        args.element_role as string | undefined,
        args.app as string | undefined,
        gone,
      )
      : await screenProbe(call, args.region as number[] | undefined);
    const timeoutS = (args.timeout as number | undefined) ?? DEFAULT_TIMEOUT_S;
    const interval = (args.interval_ms as number | undefined) ?? DEFAULT_INTERVAL_MS;
    const started = Date.now();
    const deadline = started + timeoutS * 1000;
    let checks = 0;
    for (;;) {
      const found = await probe();
      checks++;
      const elapsed = (Date.now() - started) / 1000;
      if (found !== null) {
        return textResult(`${found} (after ${elapsed.toFixed(2)} s, ${checks} checks)`);
      }
      await call.progress(Math.min(elapsed, timeoutS), timeoutS, `not yet after ${checks} checks`);
      const left = deadline - Date.now();
      if (left <= 0) {
        return {
          content: [{
            type: "text",
            text: `The condition was not met within ${timeoutS} s (${checks} checks). Take a ` +
              "screenshot to see the current state, or wait again with a longer timeout",
          }],
          isError: true,
        };
      }
      await abortableSleep(Math.min(interval, left), call.signal);
    }
  },
};
