/**
 * Clipboard types.
 *
 * @module
 */

import { z } from "zod";
import { bytesSchema, strSchema } from "./_lax.ts";

/** The MIME type of a text clipboard entry. */
export const TEXT_MIME_TYPE = "text/plain;charset=utf-8";

/** One representation of the clipboard's content. */
export interface ClipboardEntry {
  mime_type: string;
  data: Uint8Array;
}

/** One representation of the clipboard's content. */
export const ClipboardEntrySchema: z.ZodType<ClipboardEntry> = z.object({
  mime_type: strSchema,
  data: bytesSchema,
});

/** The clipboard's content, one entry per MIME type. */
export interface ClipboardContents {
  entries: ClipboardEntry[];
}

/** The clipboard's content. */
export const ClipboardContentsSchema: z.ZodType<ClipboardContents> = z.object({
  entries: z.array(ClipboardEntrySchema),
});

/**
 * The text of the clipboard: the first entry whose MIME type starts with
 * `text/`, decoded as UTF-8 with replacement, or `null` when there is none.
 */
export function clipboardTextOf(contents: ClipboardContents): string | null {
  const entry = contents.entries.find((e) => e.mime_type.startsWith("text/"));
  return entry ? new TextDecoder().decode(entry.data) : null;
}

/** Clipboard contents holding one UTF-8 text entry. */
export function textClipboard(text: string): ClipboardContents {
  return { entries: [{ mime_type: TEXT_MIME_TYPE, data: new TextEncoder().encode(text) }] };
}
