/**
 * Parameter schemas of the wire methods (computer-v1 §5), with the reference's
 * defaults. Extension parameters (hardening H10) are optional and have no
 * default: a reference client never sends them, and results keep the
 * reference's shape unless one was given.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, bytesSchema, floatSchema, intSchema, strSchema } from "./types/_lax.ts";
import { ClipboardContentsSchema } from "./types/clipboard.ts";
import { PixmapFormatSchema } from "./types/enums.ts";
import { RectSchema } from "./types/geometry.ts";
import { KeyEventSchema, PointerEventSchema, TextInputSchema } from "./types/input.ts";
import { UIElementSchema } from "./types/ui_element.ts";

const positiveInt = intSchema.refine((n) => n > 0, "must be a positive integer");
const nonNegativeInt = intSchema.refine((n) => n >= 0, "must be a non-negative integer");

/** Capture-size and encoding extensions shared by capture and subscribe. */
const captureExtensions = {
  /** Extension: largest pixel width of the image. */
  max_width: positiveInt.optional(),
  /** Extension: largest pixel height of the image. */
  max_height: positiveInt.optional(),
  /** Extension: largest pixel count (width × height) of the image. */
  max_pixels: positiveInt.optional(),
  /** Extension: image encoding (default png). */
  format: PixmapFormatSchema.optional(),
  /** Extension: JPEG quality 1–100. */
  quality: intSchema.refine((n) => n >= 1 && n <= 100, "must be an integer from 1 to 100")
    .optional(),
  /** Extension: draw the pointer into the image. */
  cursor: boolSchema.optional(),
};

/** No parameters. */
export const EmptyParamsSchema = z.object({});

/** `display.capture` parameters. */
export const CaptureParamsSchema = z.object({
  display_id: strSchema.nullable().default(null),
  region: RectSchema.nullable().default(null),
  downscale: boolSchema.default(true),
  ...captureExtensions,
});
/** `display.capture` parameters (defaults applied). */
export type CaptureParams = z.infer<typeof CaptureParamsSchema>;
/** `display.capture` parameters as callers write them. */
export type CaptureParamsInit = z.input<typeof CaptureParamsSchema>;

/** `display.subscribe` parameters. */
export const SubscribeDisplayParamsSchema = z.object({
  display_id: strSchema.nullable().default(null),
  fps: positiveInt.default(30),
  region: RectSchema.nullable().default(null),
  /** Extension: send changed areas only (frames then carry `patch`). */
  delta: boolSchema.optional(),
  /** Extension: with `delta`, send a full keyframe at least every N frames. */
  keyframe_interval: positiveInt.optional(),
  /** Extension: downscale frames like `display.capture` (default true). */
  downscale: boolSchema.optional(),
  ...captureExtensions,
});
/** `display.subscribe` parameters (defaults applied). */
export type SubscribeDisplayParams = z.infer<typeof SubscribeDisplayParamsSchema>;
/** `display.subscribe` parameters as callers write them. */
export type SubscribeDisplayParamsInit = z.input<typeof SubscribeDisplayParamsSchema>;

/** `input.pointer` parameters. */
export const PointerParamsSchema = z.object({ event: PointerEventSchema });
/** `input.key` parameters. */
export const KeyParamsSchema = z.object({ event: KeyEventSchema });
/** `input.text` parameters. */
export const TextParamsSchema = z.object({ text_input: TextInputSchema });

/** Parameters naming a window. */
export const WindowIdParamsSchema = z.object({ window_id: strSchema });
/** `windows.move` parameters. */
export const MoveWindowParamsSchema = z.object({ window_id: strSchema, bounds: RectSchema });
/** Parameters naming an app. */
export const AppNameParamsSchema = z.object({ name: strSchema });

/** `ui.tree` parameters. */
export const UiTreeParamsSchema = z.object({
  window_id: strSchema.nullable().default(null),
  app: strSchema.nullable().default(null),
  max_depth: nonNegativeInt.default(8),
  /** Extension: stop after this many elements (a truncation node marks the cut). */
  max_nodes: positiveInt.optional(),
  /** Extension: stop walking after this many milliseconds. */
  deadline_ms: positiveInt.optional(),
  /** Extension: keep only interactive elements and their ancestors. */
  interactive_only: boolSchema.optional(),
  /** Extension: give each element a `ref` that `ui.action` accepts. */
  refs: boolSchema.optional(),
});
/** `ui.tree` parameters (defaults applied). */
export type UiTreeParams = z.infer<typeof UiTreeParamsSchema>;
/** `ui.tree` parameters as callers write them. */
export type UiTreeParamsInit = z.input<typeof UiTreeParamsSchema>;

/** `ui.action` / `ui.perform` parameters. `element` may be left out only when `ref` is given. */
export const UiActionParamsSchema = z.object({
  element: UIElementSchema.optional(),
  action: strSchema.default("click"),
  app: strSchema.nullable().default(null),
  /** Extension: an element `ref` from a `ui.tree` called with `refs: true`. */
  ref: strSchema.optional(),
}).superRefine((value, ctx) => {
  if (value.element === undefined && value.ref === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["element"],
      message: "is required (a UIElement map) unless 'ref' is given",
    });
  }
});
/** `ui.action` parameters (defaults applied). */
export type UiActionParams = z.infer<typeof UiActionParamsSchema>;
/** `ui.action` parameters as callers write them. */
export type UiActionParamsInit = z.input<typeof UiActionParamsSchema>;

/** `clipboard.write` parameters. */
export const ClipboardWriteParamsSchema = z.object({ contents: ClipboardContentsSchema });

/** Parameters naming a path. */
export const PathParamsSchema = z.object({ path: strSchema });

/** `fs.read` parameters. */
export const ReadFileParamsSchema = z.object({
  path: strSchema,
  /** Extension: first byte to read. */
  offset: nonNegativeInt.optional(),
  /** Extension: most bytes to read. */
  length: nonNegativeInt.optional(),
});
/** `fs.read` range options (the extension params). */
export type ReadFileRange = Omit<z.input<typeof ReadFileParamsSchema>, "path">;

/** `fs.write` parameters. */
export const WriteFileParamsSchema = z.object({ path: strSchema, data: bytesSchema });
/** `fs.move` parameters. */
export const MoveParamsSchema = z.object({ src: strSchema, dst: strSchema });
/** `fs.mkdir` parameters. */
export const MkdirParamsSchema = z.object({ path: strSchema, parents: boolSchema.default(true) });
/** `fs.mkdir` options. */
export type MkdirOptions = Omit<z.input<typeof MkdirParamsSchema>, "path">;

const envSchema = z.record(strSchema).nullable().default(null);
const timeoutSchema = floatSchema.refine((n) => n > 0, "must be a positive number of seconds")
  .nullable().default(null);

/** `process.shell` parameters. */
export const ShellParamsSchema = z.object({
  command: strSchema,
  timeout: timeoutSchema,
  cwd: strSchema.nullable().default(null),
  env: envSchema,
});
/** `process.shell` options (everything but the command). */
export type ShellOptions = Omit<z.input<typeof ShellParamsSchema>, "command">;

/** `process.exec` parameters. */
export const ExecParamsSchema = z.object({
  argv: z.array(strSchema).min(1, "must hold at least the program name"),
  timeout: timeoutSchema,
  cwd: strSchema.nullable().default(null),
  env: envSchema,
  stdin: bytesSchema.nullable().default(null),
});
/** `process.exec` options (everything but argv). */
export type ExecOptions = Omit<z.input<typeof ExecParamsSchema>, "argv">;
