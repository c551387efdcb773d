/**
 * Definitions of the system, display and input wire methods,
 * including the two streams. `methods.ts` assembles the table.
 *
 * @module
 */

import { defineStream, defineUnary } from "./method_def.ts";
import {
  CaptureParamsSchema,
  KeyParamsSchema,
  PointerParamsSchema,
  SubscribeDisplayParamsSchema,
  TextParamsSchema,
} from "./params.ts";
import { boolSchema } from "../types/_lax.ts";
import { preview, pyFloat } from "./summaries.ts";
import { type CapabilityManifest, CapabilityManifestSchema } from "../types/capability.ts";
import type { CapabilityAbsences } from "../capability_absences.ts";
import type { Computer } from "../computer.ts";
import { FS_WRITE_PARTS_EXTENSION } from "./methods_host.ts";
import { z } from "zod";
import { ColorSchema, DisplayFrameSchema, DisplaySchema, PixmapSchema } from "../types/display.ts";
import { EnvironmentSchema } from "../types/environment.ts";
import { PointSchema } from "../types/geometry.ts";
import { InputEventSchema } from "../types/input.ts";
import * as enc from "./wire_encode.ts";
import { items, nilResult, noParams, pick } from "./_method_util.ts";

const CAPTURE_EXT = [
  "max_width",
  "max_height",
  "max_pixels",
  "format",
  "quality",
  "cursor",
  "compact",
];

/**
 * Params of `system.capabilities`: the extensions `absent` and `extensions`
 * (opt-in, a reference client never sends them).
 */
const CapabilitiesParamsSchema: z.ZodType<
  { absent?: boolean | undefined; extensions?: boolean | undefined }
> = z.object({
  absent: boolSchema.optional(),
  extensions: boolSchema.optional(),
});

/** Absent capability → reason, as a peer sent it (anything else is ignored). */
const AbsencesSchema = z.record(z.string()).optional();
/** Extension names, as a peer sent them. */
const ExtensionsSchema = z.array(z.string()).optional();

/** The manifest, plus the reasons and extensions when the request asked for them. */
export type ManifestWithAbsences = CapabilityManifest & {
  absent?: CapabilityAbsences;
  extensions?: string[];
};

/** Request-level extensions a server offers only when its backend implements them. */
function extensionsOf(c: Computer): string[] {
  return c.writeFilePart === undefined ? [] : [FS_WRITE_PARTS_EXTENSION];
}

/**
 * `system.capabilities`: the capability manifest (with `absent: true`, also
 * why the rest is absent; with `extensions: true`, the request extensions that
 * need the server's support, such as `fs.write.offset`).
 */
export const SystemCapabilities = defineUnary({
  name: "system.capabilities",
  kind: "observation",
  observation: true,
  capability: null,
  idempotent: false,
  help: "What this machine can do: the capability manifest",
  resultDoc: "CapabilityManifest",
  params: CapabilitiesParamsSchema,
  paramDocs: [{
    name: "absent",
    type: "bool",
    doc: "Also give 'absent': why each missing capability is missing",
    extension: true,
  }, {
    name: "extensions",
    type: "bool",
    doc: "Also give 'extensions': the request extensions this server offers",
    extension: true,
  }],
  encodeParams: (p) => pick(p, ["absent", "extensions"]),
  summary: () => "system.capabilities",
  invoke: async (c, p, o): Promise<ManifestWithAbsences> => ({
    ...c.capabilities(),
    ...(p.absent === true ? { absent: (await c.absentCapabilities?.(o)) ?? {} } : {}),
    ...(p.extensions === true ? { extensions: extensionsOf(c) } : {}),
  }),
  encodeResult: (r) => ({
    ...enc.encodeManifest(r),
    ...(r.absent === undefined ? {} : { absent: { ...r.absent } }),
    ...(r.extensions === undefined ? {} : { extensions: [...r.extensions] }),
  }),
  decodeResult: (r) => {
    const absent = AbsencesSchema.safeParse(r?.absent);
    const extensions = ExtensionsSchema.safeParse(r?.extensions);
    return {
      ...CapabilityManifestSchema.parse(r),
      ...(absent.success && absent.data !== undefined ? { absent: absent.data } : {}),
      ...(extensions.success && extensions.data !== undefined
        ? { extensions: extensions.data }
        : {}),
    };
  },
});

/** `system.environment`: platform facts. */
export const SystemEnvironment = defineUnary({
  name: "system.environment",
  kind: "observation",
  observation: true,
  capability: null,
  idempotent: true,
  help: "OS, version, hostname, locale, time zone and displays",
  resultDoc: "Environment",
  ...noParams,
  summary: () => "system.environment",
  invoke: (c, _p, o) => c.environment(o),
  encodeResult: enc.encodeEnvironment,
  decodeResult: (r) => EnvironmentSchema.parse(r),
});

/** `display.displays`: the monitors. */
export const DisplayDisplays = defineUnary({
  name: "display.displays",
  kind: "observation",
  observation: true,
  capability: "display.capture",
  idempotent: true,
  help: "List the monitors and their logical bounds",
  resultDoc: "{items: [Display]}",
  ...noParams,
  summary: () => "display.displays",
  invoke: (c, _p, o) => c.displays(o),
  encodeResult: (r) => enc.encodeItems(r, enc.encodeDisplay),
  decodeResult: (r) => items(DisplaySchema).parse(r).items,
});

/** `display.capture`: one screenshot. */
export const DisplayCapture = defineUnary({
  name: "display.capture",
  kind: "observation",
  observation: true,
  capability: "display.capture",
  idempotent: true,
  help: "Take a screenshot of a display or a logical region (PNG)",
  resultDoc: "Pixmap",
  params: CaptureParamsSchema,
  paramDocs: [
    { name: "display_id", type: "str?", default: "nil", doc: "Display to capture (nil = primary)" },
    { name: "region", type: "Rect?", default: "nil", doc: "Logical area to capture" },
    { name: "downscale", type: "bool", default: "true", doc: "Allow reducing the resolution" },
    { name: "max_width", type: "int", doc: "Largest image width", extension: true },
    { name: "max_height", type: "int", doc: "Largest image height", extension: true },
    { name: "max_pixels", type: "int", doc: "Largest width × height", extension: true },
    { name: "format", type: "str", doc: "png, jpeg, raw_rgba or raw_rgb", extension: true },
    { name: "quality", type: "int", doc: "JPEG quality 1–100", extension: true },
    { name: "cursor", type: "bool", doc: "Draw the pointer into the image", extension: true },
    {
      name: "compact",
      type: "bool",
      doc: "Fewer bytes for models: palette PNG (lossy above 256 colours), optimised JPEG",
      extension: true,
    },
  ],
  summary: () => "display.capture",
  encodeParams: (p) => ({
    display_id: p.display_id,
    region: p.region === null ? null : enc.encodeRect(p.region),
    downscale: p.downscale,
    ...pick(p, CAPTURE_EXT),
  }),
  invoke: (c, p, o) => c.capture(p, o),
  encodeResult: enc.encodePixmap,
  decodeResult: (r) => PixmapSchema.parse(r),
});

/** `display.pixel`: the colour at one logical point (an opendesk extension). */
export const DisplayPixel = defineUnary({
  name: "display.pixel",
  kind: "observation",
  observation: true,
  capability: "display.capture",
  idempotent: true,
  help: "The colour of the desktop at a logical point",
  resultDoc: "{r: int, g: int, b: int}",
  params: z.object({ point: PointSchema }),
  paramDocs: [{ name: "point", type: "Point", doc: "Logical point to read", extension: true }],
  summary: (p) => `display.pixel at (${pyFloat(p.point.x)}, ${pyFloat(p.point.y)})`,
  encodeParams: (p) => ({ point: enc.encodePoint(p.point) }),
  invoke: (c, p, o) => c.pixel(p.point, o),
  encodeResult: (r) => ({ r: r.r, g: r.g, b: r.b }),
  decodeResult: (r) => ColorSchema.parse(r),
});

/** `display.cursor_position`: the pointer position. */
export const DisplayCursorPosition = defineUnary({
  name: "display.cursor_position",
  kind: "observation",
  observation: true,
  capability: "input.pointer",
  idempotent: true,
  help: "Where the pointer is, in logical pixels",
  resultDoc: "Point",
  ...noParams,
  summary: () => "display.cursor_position",
  invoke: (c, _p, o) => c.cursorPosition(o),
  encodeResult: enc.encodePoint,
  decodeResult: (r) => PointSchema.parse(r),
});

/** `input.pointer`: one pointer event. */
export const InputPointer = defineUnary({
  name: "input.pointer",
  kind: "action",
  observation: false,
  capability: "input.pointer",
  idempotent: false,
  help: "Send a pointer event: move, down, up or scroll at a logical point",
  params: PointerParamsSchema,
  paramDocs: [{ name: "event", type: "PointerEvent", doc: "The event (action, point, button, …)" }],
  summary: (p) =>
    `send pointer ${p.event.action} at (${pyFloat(p.event.point.x)}, ${pyFloat(p.event.point.y)})`,
  encodeParams: (p) => ({ event: enc.encodePointerEvent(p.event) }),
  invoke: (c, p, o) => c.pointer(p.event, o),
  ...nilResult,
});

/** `input.key`: one key event. */
export const InputKey = defineUnary({
  name: "input.key",
  kind: "action",
  observation: false,
  capability: "input.keyboard",
  idempotent: false,
  help: "Send a key down or up event (keysym such as 'return', 'a', 'ctrl')",
  params: KeyParamsSchema,
  paramDocs: [{ name: "event", type: "KeyEvent", doc: "The event (action, keysym, …)" }],
  summary: (p) => `send key ${p.event.action} '${p.event.keysym}'`,
  encodeParams: (p) => ({ event: enc.encodeKeyEvent(p.event) }),
  invoke: (c, p, o) => c.key(p.event, o),
  ...nilResult,
});

/** `input.text`: type text. */
export const InputText = defineUnary({
  name: "input.text",
  kind: "action",
  observation: false,
  capability: "input.text",
  idempotent: false,
  help: "Type a string",
  params: TextParamsSchema,
  paramDocs: [{ name: "text_input", type: "TextInput", doc: "{text, interval_ms = 20}" }],
  summary: (p) =>
    `type ${[...p.text_input.text].length} chars: '${preview(p.text_input.text, 40)}'`,
  encodeParams: (p) => ({ text_input: enc.encodeTextInput(p.text_input) }),
  invoke: (c, p, o) => c.text(p.text_input, o),
  ...nilResult,
});

/** `display.subscribe` (stream): live frames. */
export const DisplaySubscribe = defineStream({
  name: "display.subscribe",
  observation: true,
  capability: "display.stream",
  idempotent: false,
  help: "Stream display frames at up to fps frames per second",
  resultDoc: "stream of DisplayFrame",
  params: SubscribeDisplayParamsSchema,
  paramDocs: [
    { name: "display_id", type: "str?", default: "nil", doc: "Display (nil = primary)" },
    { name: "fps", type: "int", default: "30", doc: "Frames per second (capped by the server)" },
    { name: "region", type: "Rect?", default: "nil", doc: "Logical area" },
    {
      name: "delta",
      type: "bool",
      doc: "Send changed areas only (frames carry patch)",
      extension: true,
    },
    { name: "keyframe_interval", type: "int", doc: "Full frame every N frames", extension: true },
    { name: "downscale", type: "bool", doc: "Allow reducing the resolution", extension: true },
    { name: "max_width", type: "int", doc: "Largest image width", extension: true },
    { name: "max_height", type: "int", doc: "Largest image height", extension: true },
    { name: "max_pixels", type: "int", doc: "Largest width × height", extension: true },
    { name: "format", type: "str", doc: "png, jpeg, raw_rgba or raw_rgb", extension: true },
    { name: "quality", type: "int", doc: "JPEG quality 1–100", extension: true },
    { name: "cursor", type: "bool", doc: "Draw the pointer into the frames", extension: true },
    {
      name: "compact",
      type: "bool",
      doc: "Fewer bytes: palette PNG (lossy above 256 colours), optimised JPEG",
      extension: true,
    },
  ],
  summary: () => "display.subscribe",
  encodeParams: (p) => ({
    display_id: p.display_id,
    fps: p.fps,
    region: p.region === null ? null : enc.encodeRect(p.region),
    ...pick(p, ["delta", "keyframe_interval", "downscale", ...CAPTURE_EXT]),
  }),
  open: (c, p, o) => c.subscribeDisplay(p, o),
  encodeItem: (item, p) => enc.encodeDisplayFrame(item, { delta: p.delta === true }),
  decodeItem: (item) => DisplayFrameSchema.parse(item),
});

/** `input.subscribe` (stream): the user's input events. */
export const InputSubscribe = defineStream({
  name: "input.subscribe",
  observation: true,
  capability: "input.pointer",
  idempotent: false,
  help: "Stream the pointer and key events happening on the machine",
  resultDoc: "stream of PointerEvent | KeyEvent",
  ...noParams,
  summary: () => "input.subscribe",
  open: (c, _p, o) => c.subscribeInput(o),
  encodeItem: (item) => enc.encodeInputEvent(item),
  decodeItem: (item) => InputEventSchema.parse(item),
});
