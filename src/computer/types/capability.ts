/**
 * Capabilities and the capability manifest.
 *
 * @module
 */

import { z } from "zod";
import { strSchema } from "./_lax.ts";

/** The closed set of capability names; a manifest may only carry these. */
export const CAPABILITIES = [
  "display.capture",
  "display.multi_monitor",
  "display.stream",
  "input.pointer",
  "input.keyboard",
  "input.text",
  "input.pen",
  "input.touch",
  "input.ime",
  "ui.tree",
  "ui.actions",
  "ui.subscribe",
  "windows.list",
  "windows.manipulate",
  "windows.subscribe",
  "app.lifecycle",
  "clipboard.read",
  "clipboard.write",
  "clipboard.multi_mime",
  "fs.read",
  "fs.write",
  "fs.watch",
  "process.list",
  "process.shell",
  "process.spawn",
  "ocr",
  "audio.volume",
  "audio.play",
  "audio.stream",
  "power.lock",
  "power.sleep",
  "notifications.list",
  "notifications.subscribe",
] as const;

/** One capability name. */
/** One capability name. */
export type Capability = typeof CAPABILITIES[number];
/** One capability name. */
export const CapabilitySchema: z.ZodType<Capability> = z.enum(CAPABILITIES);

/** True when `value` is a capability name of the closed set. */
export function isCapability(value: unknown): value is Capability {
  return typeof value === "string" && (CAPABILITIES as readonly string[]).includes(value);
}

/** The manifest's `protocol_version`. */
export const MANIFEST_PROTOCOL_VERSION = "0.1";

/** What a backend can do; exactly these five keys, in this order. */
export interface CapabilityManifest {
  /** A set; opendesk emits it in catalogue order. */
  capabilities: Capability[];
  /** Per-capability limits, e.g. `{"display.stream": {max_fps: 30}}`. */
  limits: Record<string, Record<string, unknown>>;
  protocol_version: string;
  /** `local/<os>`, `fake`, … */
  backend: string;
  description: string;
}

/** A manifest before defaults are applied. */
export interface CapabilityManifestInit {
  capabilities: Capability[];
  limits?: Record<string, Record<string, unknown>> | undefined;
  protocol_version?: string | undefined;
  backend?: string | undefined;
  description?: string | undefined;
}

/** What a backend can do; exactly these five keys, in this order. */
export const CapabilityManifestSchema: z.ZodType<
  CapabilityManifest,
  z.ZodTypeDef,
  CapabilityManifestInit
> = z.object({
  capabilities: z.array(CapabilitySchema),
  limits: z.record(z.record(z.unknown())).default({}),
  protocol_version: strSchema.default(MANIFEST_PROTOCOL_VERSION),
  backend: strSchema.default("unknown"),
  description: strSchema.default(""),
});

/**
 * Parses a received manifest leniently : unknown keys and
 * unknown capability strings are dropped instead of voiding the manifest.
 *
 * @returns the manifest and the capability strings that were dropped
 */
export function parseManifestLenient(
  value: unknown,
): { manifest: CapabilityManifest; unknown: string[] } {
  const map = typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
  const raw = Array.isArray(map.capabilities) ? map.capabilities : [];
  const unknown = raw.filter((c) => !isCapability(c)).map((c) => String(c));
  const parsed = CapabilityManifestSchema.safeParse({
    ...map,
    capabilities: raw.filter(isCapability),
  });
  if (parsed.success) return { manifest: parsed.data, unknown };
  return {
    manifest: {
      capabilities: raw.filter(isCapability),
      limits: {},
      protocol_version: MANIFEST_PROTOCOL_VERSION,
      backend: typeof map.backend === "string" ? map.backend : "unknown",
      description: typeof map.description === "string" ? map.description : "",
    },
    unknown,
  };
}
