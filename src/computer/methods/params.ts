/**
 * Parameter schemas of the wire methods, with the reference's defaults.
 * Extension parameters (opendesk's own) are optional and have no default: a
 * reference client never sends them, and results keep the reference's shape
 * unless one was given.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, bytesSchema, floatSchema, intSchema, strSchema } from "../types/_lax.ts";
import { ClipboardContentsSchema } from "../types/clipboard.ts";
import { type PixmapFormat, PixmapFormatSchema } from "../types/enums.ts";
import { type Rect, RectSchema } from "../types/geometry.ts";
import { KeyEventSchema, PointerEventSchema, TextInputSchema } from "../types/input.ts";
import { type UIElement, type UIElementInit, UIElementSchema } from "../types/ui_element.ts";

const positiveInt: z.ZodType<number> = intSchema.refine((n) => n > 0, "must be a positive integer");
const nonNegativeInt: z.ZodType<number> = intSchema.refine(
  (n) => n >= 0,
  "must be a non-negative integer",
);

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
  /**
   * Extension: fewer bytes for models. PNG: a palette of at most 256
   * colours (exact when the image has no more; otherwise quantised, lossy).
   * JPEG: optimised Huffman tables (same pixels). Default false.
   */
  compact: boolSchema.optional(),
};

/** No parameters. */
export const EmptyParamsSchema: z.ZodType<Record<string, never>> = z.object({});

/** Capture-size and encoding extensions, shared by capture and subscribe. */
export interface CaptureExtensions {
  /** Largest pixel width of the image. */
  max_width?: number | undefined;
  /** Largest pixel height of the image. */
  max_height?: number | undefined;
  /** Largest pixel count (width × height). */
  max_pixels?: number | undefined;
  /** Image encoding (default png). */
  format?: PixmapFormat | undefined;
  /** JPEG quality 1–100. */
  quality?: number | undefined;
  /** Draw the pointer into the image. */
  cursor?: boolean | undefined;
  /** Fewer bytes: palette PNG (lossy above 256 colours), optimised JPEG. */
  compact?: boolean | undefined;
}

/** `display.capture` parameters (defaults applied). */
export interface CaptureParams extends CaptureExtensions {
  /** Display to capture; null = primary. */
  display_id: string | null;
  /** Logical area to capture; null = the whole display. */
  region: Rect | null;
  /** Allow reducing the resolution (width ≤ 1920); false = native pixels. */
  downscale: boolean;
}

/** `display.capture` parameters as callers write them. */
export interface CaptureParamsInit extends CaptureExtensions {
  display_id?: string | null | undefined;
  region?: Rect | null | undefined;
  downscale?: boolean | undefined;
}

/** `display.capture` parameters. */
export const CaptureParamsSchema: z.ZodType<CaptureParams, z.ZodTypeDef, CaptureParamsInit> = z
  .object({
    display_id: strSchema.nullable().default(null),
    region: RectSchema.nullable().default(null),
    downscale: boolSchema.default(true),
    ...captureExtensions,
  });

/** `display.subscribe` parameters (defaults applied). */
export interface SubscribeDisplayParams extends CaptureExtensions {
  display_id: string | null;
  /** Frames per second (the server caps it). */
  fps: number;
  region: Rect | null;
  /** Extension: send changed areas only (frames then carry `patch`). */
  delta?: boolean | undefined;
  /** Extension: with `delta`, a full keyframe at least every N frames. */
  keyframe_interval?: number | undefined;
  /** Extension: downscale frames like `display.capture` (default true). */
  downscale?: boolean | undefined;
}

/** `display.subscribe` parameters as callers write them. */
export type SubscribeDisplayParamsInit =
  & Omit<SubscribeDisplayParams, "display_id" | "fps" | "region">
  & {
    display_id?: string | null | undefined;
    fps?: number | undefined;
    region?: Rect | null | undefined;
  };

/** `display.subscribe` parameters. */
export const SubscribeDisplayParamsSchema: z.ZodType<
  SubscribeDisplayParams,
  z.ZodTypeDef,
  SubscribeDisplayParamsInit
> = z.object({
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

/** `ui.tree` parameters (defaults applied). */
export interface UiTreeParams {
  window_id: string | null;
  /** App name (substring, case-insensitive). */
  app: string | null;
  max_depth: number;
  /** Extension: stop after this many elements (a truncation node marks the cut). */
  max_nodes?: number | undefined;
  /** Extension: stop walking after this many milliseconds. */
  deadline_ms?: number | undefined;
  /** Extension: keep only interactive elements and their ancestors. */
  interactive_only?: boolean | undefined;
  /** Extension: give each element a `ref` that `ui.action` accepts. */
  refs?: boolean | undefined;
}

/** `ui.tree` parameters as callers write them. */
export type UiTreeParamsInit = Omit<UiTreeParams, "window_id" | "app" | "max_depth"> & {
  window_id?: string | null | undefined;
  app?: string | null | undefined;
  max_depth?: number | undefined;
};

/** `ui.tree` parameters. */
export const UiTreeParamsSchema: z.ZodType<UiTreeParams, z.ZodTypeDef, UiTreeParamsInit> = z
  .object({
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

/** `ui.action` parameters (defaults applied). */
export interface UiActionParams {
  /** The element (located again by role, name and bounds); optional only with `ref`. */
  element?: UIElement | undefined;
  action: string;
  app: string | null;
  /** Extension: an element `ref` from `ui.tree` with `refs: true`. */
  ref?: string | undefined;
  /** Extension: the new contents of an editable element, with `action: "set_text"`. */
  text?: string | undefined;
}

/** `ui.action` parameters as callers write them. */
export interface UiActionParamsInit {
  element?: UIElementInit | undefined;
  action?: string | undefined;
  app?: string | null | undefined;
  ref?: string | undefined;
  text?: string | undefined;
}

/** The `ui.action` action that replaces an editable element's text (an opendesk extension). */
export const SET_TEXT_ACTION = "set_text";

/** The `ui.action` action that moves the keyboard focus to the element (an opendesk extension). */
export const FOCUS_ACTION = "focus";

/** `ui.action` / `ui.perform` parameters. `element` may be left out only when `ref` is given. */
export const UiActionParamsSchema: z.ZodType<UiActionParams, z.ZodTypeDef, UiActionParamsInit> = z
  .object({
    element: UIElementSchema.optional(),
    action: strSchema.default("click"),
    app: strSchema.nullable().default(null),
    /** Extension: an element `ref` from a `ui.tree` called with `refs: true`. */
    ref: strSchema.optional(),
    /** Extension: new contents of an editable element, with `action: "set_text"`. */
    text: strSchema.optional(),
  }).superRefine((value, ctx) => {
    if (value.element === undefined && value.ref === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["element"],
        message: "is required (a UIElement map) unless 'ref' is given",
      });
    }
    if (value.action === SET_TEXT_ACTION && value.text === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["text"],
        message: "is required (a string) with action 'set_text'",
      });
    }
    if (value.text !== undefined && value.action !== SET_TEXT_ACTION) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["text"],
        message: "is only used with action 'set_text'",
      });
    }
  });

/** `clipboard.write` parameters. */
export const ClipboardWriteParamsSchema = z.object({ contents: ClipboardContentsSchema });

/** Parameters naming a path. */
export const PathParamsSchema = z.object({ path: strSchema });

/** `fs.read` range options (opendesk's extension params). */
export interface ReadFileRange {
  /** First byte to read. */
  offset?: number | undefined;
  /** Most bytes to read. */
  length?: number | undefined;
}

/** `fs.read` parameters. */
export const ReadFileParamsSchema: z.ZodType<ReadFileRange & { path: string }> = z.object({
  path: strSchema,
  /** Extension: first byte to read. */
  offset: nonNegativeInt.optional(),
  /** Extension: most bytes to read. */
  length: nonNegativeInt.optional(),
});

/**
 * Extension of `fs.write`: the data is one part of a file of `size` bytes, to
 * be written at `offset`; `upload` names the upload the parts belong to.
 */
export interface FilePart {
  /** Where the part's bytes go in the file. */
  offset: number;
  /** The whole file's size. */
  size: number;
  /** The client's name for this upload (letters, digits, `-`, `_`; 1–64 characters). */
  upload: string;
}

/** What writing one part did. */
export interface FilePartResult {
  /** True when this part completed the file and it was renamed into place. */
  complete: boolean;
}

/** `fs.write` parameters; the part extension needs all three of `offset`, `size`, `upload`. */
export const WriteFileParamsSchema: z.ZodType<
  {
    path: string;
    data: Uint8Array;
    offset?: number | undefined;
    size?: number | undefined;
    upload?: string | undefined;
  },
  z.ZodTypeDef,
  unknown
> = z.object({
  path: strSchema,
  data: bytesSchema,
  /** Extension: where `data` goes in the file. */
  offset: nonNegativeInt.optional(),
  /** Extension: the whole file's size. */
  size: nonNegativeInt.optional(),
  /** Extension: the upload the part belongs to. */
  upload: strSchema.regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'")
    .optional(),
}).refine(
  (p) =>
    (p.offset === undefined) === (p.size === undefined) &&
    (p.offset === undefined) === (p.upload === undefined),
  { message: "'offset', 'size' and 'upload' go together: give all three or none" },
);
/** `fs.move` parameters. */
export const MoveParamsSchema = z.object({ src: strSchema, dst: strSchema });
/** `fs.mkdir` options. */
export interface MkdirOptions {
  /** Create missing parents too. @default true */
  parents?: boolean | undefined;
}

/** `fs.mkdir` parameters. */
export const MkdirParamsSchema: z.ZodType<
  { path: string; parents: boolean },
  z.ZodTypeDef,
  MkdirOptions & { path: string }
> = z.object({ path: strSchema, parents: boolSchema.default(true) });

/** `process.shell` options (everything but the command). */
export interface ShellOptions {
  /** Seconds before the command's process tree is killed (`timeout` error). */
  timeout?: number | null | undefined;
  /** Working directory. */
  cwd?: string | null | undefined;
  /** Variables merged over the server's environment. */
  env?: Record<string, string> | null | undefined;
}

/** `process.exec` options (everything but argv). */
export interface ExecOptions extends ShellOptions {
  /** Bytes written to the program's stdin. */
  stdin?: Uint8Array | null | undefined;
}

interface ShellParams {
  command: string;
  timeout: number | null;
  cwd: string | null;
  env: Record<string, string> | null;
}

interface ExecParams {
  argv: string[];
  timeout: number | null;
  cwd: string | null;
  env: Record<string, string> | null;
  stdin: Uint8Array | null;
}

const envSchema = z.record(strSchema).nullable().default(null);
const timeoutSchema = floatSchema.refine((n) => n > 0, "must be a positive number of seconds")
  .nullable().default(null);

/** `process.shell` parameters. */
export const ShellParamsSchema: z.ZodType<
  ShellParams,
  z.ZodTypeDef,
  ShellOptions & { command: string }
> = z.object({
  command: strSchema,
  timeout: timeoutSchema,
  cwd: strSchema.nullable().default(null),
  env: envSchema,
});

/** `process.exec` parameters. */
export const ExecParamsSchema: z.ZodType<
  ExecParams,
  z.ZodTypeDef,
  ExecOptions & { argv: string[] }
> = z.object({
  argv: z.array(strSchema).min(1, "must hold at least the program name"),
  timeout: timeoutSchema,
  cwd: strSchema.nullable().default(null),
  env: envSchema,
  stdin: bytesSchema.nullable().default(null),
});
