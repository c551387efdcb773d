/**
 * The `computer` tool: one tool whose actions are the ones computer-use
 * models are trained on. Coordinates are pixels of the last screenshot and
 * are mapped to screen pixels by its image space; a point outside that
 * image is an error, never clamped.
 *
 * @module
 */

import { z } from "zod";
import {
  type Chord,
  click,
  drag,
  KeyEventSchema,
  parseChord,
  type Point,
  PointerEventSchema,
  press,
  scroll,
} from "./_target.ts";
import { abortableSleep } from "./_abortable_sleep.ts";
import { OutsideImageError } from "./image_space.ts";
import { imageBlock, shotText, takeShot } from "./screenshot.ts";
import { zoomArea, ZoomSchema } from "./screenshot_tool.ts";
import { type OpendeskTool, requireCapability, textResult, type ToolCall } from "./tool_def.ts";
import { ToolError } from "./targets.ts";

/** The trained action set. */
export const COMPUTER_ACTIONS = [
  "screenshot",
  "left_click",
  "right_click",
  "middle_click",
  "double_click",
  "triple_click",
  "mouse_move",
  "left_click_drag",
  "left_mouse_down",
  "left_mouse_up",
  "scroll",
  "key",
  "hold_key",
  "type",
  "cursor_position",
  "wait",
  "zoom",
] as const;

type Action = typeof COMPUTER_ACTIONS[number];

const Coordinate = z.tuple([z.number().int(), z.number().int()]);

const CLICKS: Partial<Record<Action, { button: "left" | "right" | "middle"; count: number }>> = {
  left_click: { button: "left", count: 1 },
  right_click: { button: "right", count: 1 },
  middle_click: { button: "middle", count: 1 },
  double_click: { button: "left", count: 2 },
  triple_click: { button: "left", count: 3 },
};

const LONGEST_WAIT_S = 60;

interface Args {
  action: Action;
  coordinate?: [number, number];
  start_coordinate?: [number, number];
  text?: string;
  scroll_direction?: "up" | "down" | "left" | "right";
  scroll_amount?: number;
  duration?: number;
  region?: [number, number, number, number];
}

function need<T>(value: T | undefined, name: string, action: string): T {
  if (value === undefined) throw new ToolError(`Action '${action}' needs '${name}'`);
  return value;
}

function mapPoint(call: ToolCall, at: [number, number]): Point {
  const space = call.lastImage();
  if (space === null) {
    throw new OutsideImageError(
      "Coordinates refer to the last screenshot, and none was taken yet: take a screenshot first",
    );
  }
  return space.toScreen({ x: at[0], y: at[1] });
}

async function currentOrMapped(call: ToolCall, at: [number, number] | undefined): Promise<Point> {
  return at ? mapPoint(call, at) : await call.computer.cursorPosition({ signal: call.signal });
}

function modifiersOf(text: string | undefined) {
  if (text === undefined || text.trim() === "") return [];
  const chord = parseChord(`${text.trim()}+x`);
  return chord.modifiers;
}

function describe(at: [number, number] | undefined, screen: Point): string {
  return at
    ? `image (${at[0]}, ${at[1]}) = screen (${screen.x}, ${screen.y})`
    : `the pointer's position (${screen.x}, ${screen.y})`;
}

/** Parses an xdotool-style key sequence: chords separated by spaces (`ctrl+a Delete`). */
export function parseKeySequence(text: string): Chord[] {
  const chords = text.trim().split(/\s+/).filter((c) => c !== "");
  if (chords.length === 0) {
    throw new ToolError("Action 'key' needs a key such as 'Return' or 'ctrl+s'");
  }
  return chords.map((c) => {
    try {
      return parseChord(c);
    } catch (error) {
      throw new ToolError(
        `${(error as Error).message}; write chords like ctrl+s, ctrl+shift+t or Return`,
      );
    }
  });
}

async function runAction(args: Args, call: ToolCall) {
  const opts = { signal: call.signal };
  const action = args.action;
  const click1 = CLICKS[action];
  if (click1) {
    requireCapability(call, "input.pointer", "click");
    const at = await currentOrMapped(call, args.coordinate);
    await click(call.computer, at, { ...click1, modifiers: modifiersOf(args.text), ...opts });
    return textResult(`${action} at ${describe(args.coordinate, at)}`);
  }
  switch (action) {
    case "screenshot": {
      requireCapability(call, "display.capture", "take screenshots");
      const shot = await takeShot(call, {});
      call.setLastImage(shot.space);
      return {
        content: [
          shotText(shot, "Coordinates for this tool now refer to this image."),
          imageBlock(shot.pixmap),
        ],
      };
    }
    case "zoom": {
      requireCapability(call, "display.capture", "take screenshots");
      const area = zoomArea(call.lastImage(), need(args.region, "region", action));
      const shot = await takeShot(call, { region: area });
      return {
        content: [
          shotText(
            shot,
            "This is a zoomed view: coordinates still refer to the previous full screenshot.",
          ),
          imageBlock(shot.pixmap),
        ],
      };
    }
    case "mouse_move": {
      requireCapability(call, "input.pointer", "move the pointer");
      const at = mapPoint(call, need(args.coordinate, "coordinate", action));
      await call.computer.pointer(PointerEventSchema.parse({ action: "move", point: at }), opts);
      return textResult(`Moved the pointer to ${describe(args.coordinate, at)}`);
    }
    case "left_click_drag": {
      requireCapability(call, "input.pointer", "drag");
      const end = mapPoint(call, need(args.coordinate, "coordinate", action));
      const start = await currentOrMapped(call, args.start_coordinate);
      await drag(call.computer, start, end, opts);
      return textResult(
        `Dragged from screen (${start.x}, ${start.y}) to ${describe(args.coordinate, end)}`,
      );
    }
    case "left_mouse_down":
    case "left_mouse_up": {
      requireCapability(call, "input.pointer", "press mouse buttons");
      const at = await currentOrMapped(call, args.coordinate);
      const kind = action === "left_mouse_down" ? "down" : "up";
      if (args.coordinate) {
        await call.computer.pointer(PointerEventSchema.parse({ action: "move", point: at }), opts);
      }
      await call.computer.pointer(
        PointerEventSchema.parse({ action: kind, point: at, button: "left" }),
        opts,
      );
      return textResult(`Left button ${kind} at ${describe(args.coordinate, at)}`);
    }
    case "scroll": {
      requireCapability(call, "input.pointer", "scroll");
      const at = await currentOrMapped(call, args.coordinate);
      const amount = args.scroll_amount ?? 3;
      const direction = need(args.scroll_direction, "scroll_direction", action);
      const dx = direction === "right" ? amount : direction === "left" ? -amount : 0;
      const dy = direction === "up" ? amount : direction === "down" ? -amount : 0;
      await scroll(call.computer, at, { dx, dy, modifiers: modifiersOf(args.text), ...opts });
      return textResult(
        `Scrolled ${direction} by ${amount} at ${describe(args.coordinate, at)}`,
      );
    }
    case "key": {
      requireCapability(call, "input.keyboard", "press keys");
      const chords = parseKeySequence(need(args.text, "text", action));
      for (const chord of chords) {
        await press(call.computer, chord.key, { modifiers: chord.modifiers, ...opts });
      }
      return textResult(`Pressed ${need(args.text, "text", action).trim()}`);
    }
    case "hold_key": {
      requireCapability(call, "input.keyboard", "hold keys");
      const chords = parseKeySequence(need(args.text, "text", action));
      const seconds = need(args.duration, "duration", action);
      if (seconds > LONGEST_WAIT_S) {
        throw new ToolError(`A key can be held for at most ${LONGEST_WAIT_S} s`);
      }
      const keys = chords.flatMap((c) => [...c.modifiers, c.key]);
      for (const keysym of keys) {
        await call.computer.key(KeyEventSchema.parse({ action: "down", keysym }), opts);
      }
      try {
        await abortableSleep(seconds * 1000, call.signal);
      } finally {
        for (const keysym of [...keys].reverse()) {
          await call.computer.key(KeyEventSchema.parse({ action: "up", keysym }), {});
        }
      }
      return textResult(`Held ${keys.join("+")} for ${seconds} s`);
    }
    case "type": {
      requireCapability(call, "input.text", "type text");
      const text = need(args.text, "text", action);
      await call.computer.text({ text, interval_ms: 0 }, opts);
      return textResult(`Typed ${text.length} characters`);
    }
    case "cursor_position": {
      requireCapability(call, "input.pointer", "read the pointer position");
      const at = await call.computer.cursorPosition(opts);
      const image = call.lastImage()?.toImage(at) ?? null;
      return textResult(
        image
          ? `The pointer is at image (${image.x}, ${image.y}) of the last screenshot = screen (${at.x}, ${at.y})`
          : `The pointer is at screen (${at.x}, ${at.y}), outside the last screenshot${
            call.lastImage() === null ? " (none taken yet)" : ""
          }`,
      );
    }
    case "wait": {
      const seconds = need(args.duration, "duration", action);
      if (seconds > LONGEST_WAIT_S) {
        throw new ToolError(
          `Wait at most ${LONGEST_WAIT_S} s at a time; wait_for waits for a change instead`,
        );
      }
      await abortableSleep(seconds * 1000, call.signal);
      if (!call.manifest.capabilities.includes("display.capture")) {
        return textResult(`Waited ${seconds} s`);
      }
      const shot = await takeShot(call, {});
      call.setLastImage(shot.space);
      return {
        content: [
          shotText(shot, `Taken after waiting ${seconds} s; coordinates now refer to this image.`),
          imageBlock(shot.pixmap),
        ],
      };
    }
  }
  throw new ToolError(`Unknown action '${action}'`);
}

/** The `computer` tool. */
export const COMPUTER_TOOL: OpendeskTool = {
  name: "computer",
  title: "Computer",
  description: "Operate the target's screen, mouse and keyboard with the usual computer-use " +
    "actions. coordinate / start_coordinate are [x, y] pixels of the last screenshot (take one " +
    "first); they are mapped to the screen exactly, and a point outside the image is an error. " +
    "key takes xdotool-style chords separated by spaces (ctrl+s, ctrl+shift+t Return); for " +
    "clicks and scroll, text holds modifier keys to hold (shift, ctrl+alt). zoom shows part of " +
    "the last screenshot in more detail without changing the coordinate space.",
  input: {
    action: z.enum(COMPUTER_ACTIONS).describe("What to do"),
    coordinate: Coordinate.optional().describe("[x, y] in pixels of the last screenshot"),
    start_coordinate: Coordinate.optional().describe(
      "left_click_drag: where the drag starts (default the pointer's position)",
    ),
    text: z.string().optional().describe(
      "type: the text; key / hold_key: the chord(s); clicks and scroll: modifier keys to hold",
    ),
    scroll_direction: z.enum(["up", "down", "left", "right"]).optional(),
    scroll_amount: z.number().int().min(1).max(100).optional().describe("Wheel clicks (default 3)"),
    duration: z.number().min(0).max(LONGEST_WAIT_S).optional().describe(
      "wait / hold_key: seconds",
    ),
    region: ZoomSchema.optional(),
  },
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  capabilities: ["display.capture", "input.pointer", "input.keyboard", "input.text"],
  run: (args, call) => runAction(args as unknown as Args, call),
};
