/**
 * The `screenshot` tool: a model-sized image of a display, a screen region
 * or a zoomed part of the last screenshot, with the scale stated; after it,
 * coordinates given to `computer` are read off this image. Optionally a
 * legend of the interactive elements (their `ui` refs and boxes in image
 * pixels).
 *
 * @module
 */

import { z } from "zod";
import { encodePng, type UIElement } from "./_target.ts";
import { type ImageSpace, OutsideImageError } from "./image_space.ts";
import { imageBlock, type Shot, type ShotRequest, shotText, takeShot } from "./screenshot.ts";
import { drawMarks, marksFor, marksLegend } from "./set_of_marks.ts";
import { type OpendeskTool, requireCapability, type ToolCall } from "./tool_def.ts";

/** The region form shared by `screenshot` and `computer`'s zoom: [x0, y0, x1, y1]. */
export const ZoomSchema: z.ZodType<[number, number, number, number]> = z.tuple([
  z.number().int(),
  z.number().int(),
  z.number().int(),
  z.number().int(),
]).describe(
  "[x0, y0, x1, y1] in pixels of the last screenshot: capture that part again at full detail",
);

/** Maps a zoom box in image pixels to a logical screen rectangle. */
export function zoomArea(space: ImageSpace | null, box: readonly number[]): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  if (space === null) {
    throw new OutsideImageError("There is no screenshot to zoom into yet: take a screenshot first");
  }
  return space.boxToScreen(box as [number, number, number, number]);
}

async function focusedTree(call: ToolCall): Promise<UIElement> {
  return await call.computer.uiTree({
    interactive_only: true,
    refs: true,
    max_nodes: 400,
    deadline_ms: 2000,
  }, { signal: call.signal });
}

async function legend(call: ToolCall, space: ImageSpace): Promise<string> {
  if (!call.manifest.capabilities.includes("ui.tree")) {
    return "No element list: the target has no accessibility tree (capability 'ui.tree').";
  }
  const { marks, total } = marksFor(await focusedTree(call), space);
  return marksLegend(marks, total, false);
}

/** A screenshot with numbered boxes drawn around the interactive elements, and their legend. */
async function markedShot(
  call: ToolCall,
  request: ShotRequest,
): Promise<{ shot: Shot; legend: string }> {
  const raw = await takeShot(call, { ...request, format: "raw_rgb" });
  const { pixmap, space } = raw;
  const { marks, total } = marksFor(await focusedTree(call), space);
  const pixels = new Uint8Array(pixmap.data);
  drawMarks(pixels, pixmap.width, pixmap.height, 3, marks);
  const data = encodePng(pixels, pixmap.width, pixmap.height, { channels: 3 });
  return {
    shot: { ...raw, compact: false, pixmap: { ...pixmap, data, format: "png" } },
    legend: marksLegend(marks, total),
  };
}

/** The `screenshot` tool. */
export const SCREENSHOT_TOOL: OpendeskTool = {
  name: "screenshot",
  title: "Screenshot",
  description: "Take a screenshot of the target's screen, sized for vision models (long edge at " +
    "most 1568 px, at most about 1.19 megapixels); the text states the scale. Coordinates passed " +
    "to the computer tool afterwards are pixels of this image and are mapped back to the screen " +
    "exactly.",
  input: {
    display: z.string().optional().describe(
      "Display id (see the computer tool's screen list); default the primary",
    ),
    region: z.object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    }).strict().optional().describe("Part of the screen in screen pixels (desktop coordinates)"),
    zoom: ZoomSchema.optional(),
    scale: z.number().positive().max(1).optional().describe(
      "Make the image smaller still: the largest scale wanted (the model limits apply anyway)",
    ),
    format: z.enum(["png", "jpeg"]).optional().describe("png (default) or jpeg (smaller)"),
    quality: z.number().int().min(1).max(100).optional().describe("JPEG quality (default 60)"),
    lossless: z.boolean().optional().describe(
      "Exact pixels (a larger PNG): by default a PNG keeps at most 256 colours, exact when the " +
        "screen has no more, and text stays sharp",
    ),
    cursor: z.boolean().optional().describe("Draw the mouse pointer into the image"),
    marks: z.boolean().optional().describe(
      "Set-of-Marks: draw numbered boxes around the focused window's interactive elements (PNG) and list them",
    ),
    elements: z.boolean().optional().describe(
      "Also list the focused window's interactive elements with their ui refs and boxes in image pixels",
    ),
  },
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: false },
  capabilities: ["display.capture"],
  async run(args, call) {
    requireCapability(call, "display.capture", "take screenshots");
    const zoom = args.zoom as number[] | undefined;
    const region = zoom
      ? zoomArea(call.lastImage(), zoom)
      : args.region as { x: number; y: number; width: number; height: number } | undefined;
    const request: ShotRequest = {
      region,
      display: args.display as string | undefined,
      scale: args.scale as number | undefined,
      format: args.format as "png" | "jpeg" | undefined,
      quality: args.quality as number | undefined,
      lossless: args.lossless as boolean | undefined,
      cursor: args.cursor as boolean | undefined,
    };
    const wantMarks = args.marks === true;
    if (wantMarks && !call.manifest.capabilities.includes("ui.tree")) {
      requireCapability(call, "ui.tree", "draw Set-of-Marks (it needs the accessibility tree)");
    }
    const marked = wantMarks ? await markedShot(call, request) : null;
    const shot: Shot = marked?.shot ?? await takeShot(call, request);
    call.setLastImage(shot.space);
    const content: Array<{ type: "text"; text: string } | ReturnType<typeof imageBlock>> = [
      shotText(shot, "Coordinates for the computer tool now refer to this image."),
      imageBlock(shot.pixmap),
    ];
    if (marked) content.push({ type: "text", text: marked.legend });
    else if (args.elements) content.push({ type: "text", text: await legend(call, shot.space) });
    return { content };
  },
};
