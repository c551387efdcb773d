/**
 * `WaylandClipboard`: the clipboard through the data-control protocol (no
 * keyboard focus needed): several MIME types written at once and served by
 * the shim until another client takes the selection; reads of text (as
 * `text/plain;charset=utf-8`), HTML and PNG when offered, as on X11.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { type ClipboardContents, TEXT_MIME_TYPE } from "../../types/clipboard.ts";
import { WAYLAND_STATUS } from "./ffi.ts";
import type { WaylandConnection } from "./wayland_connection.ts";
import { WaylandError } from "./wayland_error.ts";

/** Deadline of one clipboard transfer, in ms. */
export const CLIPBOARD_TIMEOUT_MS = 2000;
/** MIME types carrying UTF-8 text, in order of preference. */
const TEXT_TYPES = [
  TEXT_MIME_TYPE,
  "text/plain;charset=UTF-8",
  "UTF8_STRING",
  "text/plain",
  "STRING",
  "TEXT",
];
/** Non-text MIME types read when the owner offers them. */
const EXTRA_TYPES = ["text/html", "image/png"];

function hungOwner(): RemoteError {
  return new RemoteError(
    "timeout",
    `The clipboard owner did not answer within ${CLIPBOARD_TIMEOUT_MS} ms: the application ` +
      "holding the clipboard may be hung",
  );
}

/** Packs entries as the shim expects: {u32 mime length, mime, u32 data length, data}*. */
function pack(contents: ClipboardContents): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const parts = contents.entries.map((e) => ({ mime: enc.encode(e.mime_type), data: e.data }));
  const out = new Uint8Array(parts.reduce((n, p) => n + 8 + p.mime.length + p.data.length, 0));
  const view = new DataView(out.buffer);
  let off = 0;
  for (const p of parts) {
    if (p.mime.length === 0 || p.mime.length > 255) {
      throw new RemoteError(
        "invalid_argument",
        `Invalid clipboard MIME type '${new TextDecoder().decode(p.mime)}': use 1-255 bytes`,
      );
    }
    view.setUint32(off, p.mime.length, true);
    out.set(p.mime, off + 4);
    off += 4 + p.mime.length;
    view.setUint32(off, p.data.length, true);
    out.set(p.data, off + 4);
    off += 4 + p.data.length;
  }
  return out;
}

/** The clipboard of one Wayland session. */
export class WaylandClipboard {
  #conn: WaylandConnection;
  /** Reads use the handle's one transfer slot, so they run one at a time. */
  #reads: Promise<unknown> = Promise.resolve();

  /** Creates the clipboard view over an open connection. */
  constructor(conn: WaylandConnection) {
    this.#conn = conn;
  }

  /** Replaces the clipboard with every entry of `contents`. */
  async write(contents: ClipboardContents): Promise<void> {
    await this.#conn.clipboardWrite(pack(contents), CLIPBOARD_TIMEOUT_MS).catch((e) => {
      if (e instanceof WaylandError && e.status === WAYLAND_STATUS.OD_ERR_WAYLAND_TIMEOUT) {
        throw new RemoteError(
          "timeout",
          "The compositor did not confirm the new clipboard in time",
        );
      }
      throw e;
    });
  }

  async #read(mime: string): Promise<Uint8Array | null> {
    try {
      return await this.#conn.clipboardRead(mime, CLIPBOARD_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof WaylandError && e.status === WAYLAND_STATUS.OD_ERR_WAYLAND_TIMEOUT) {
        throw hungOwner();
      }
      throw e;
    }
  }

  /** The text entry and, when offered, HTML and PNG; an empty clipboard gives no entries. */
  read(): Promise<ClipboardContents> {
    const task = async (): Promise<ClipboardContents> => {
      const offered = this.#conn.clipboardTargets();
      const entries: ClipboardContents["entries"] = [];
      const textType = TEXT_TYPES.find((t) => offered.includes(t));
      if (textType !== undefined) {
        const data = await this.#read(textType);
        if (data !== null) entries.push({ mime_type: TEXT_MIME_TYPE, data });
      }
      for (const mime of EXTRA_TYPES) {
        if (!offered.includes(mime)) continue;
        const data = await this.#read(mime);
        if (data !== null) entries.push({ mime_type: mime, data });
      }
      return { entries };
    };
    const next = this.#reads.then(task, task);
    this.#reads = next.catch(() => {});
    return next;
  }
}
