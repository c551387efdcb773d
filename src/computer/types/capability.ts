/**
 * Capabilities and the capability manifest (computer-v1 §3).
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
export const CapabilitySchema = z.enum(CAPABILITIES);
/** One capability name. */
export type Capability = z.infer<typeof CapabilitySchema>;

/** True when `value` is a capability name of the closed set. */
export function isCapability(value: unknown): value is Capability {
  return typeof value === "string" && (CAPABILITIES as readonly string[]).includes(value);
}

/** The manifest's `protocol_version`. */
export const MANIFEST_PROTOCOL_VERSION = "0.1";

/** What a backend can do; exactly these five keys, in this order. */
export const CapabilityManifestSchema = z.object({
  capabilities: z.array(CapabilitySchema),
  limits: z.record(z.record(z.unknown())).default({}),
  protocol_version: strSchema.default(MANIFEST_PROTOCOL_VERSION),
  backend: strSchema.default("unknown"),
  description: strSchema.default(""),
});
/** What a backend can do. */
export type CapabilityManifest = z.infer<typeof CapabilityManifestSchema>;

/**
 * Parses a received manifest leniently (protocol-v1 F17): unknown keys and
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
