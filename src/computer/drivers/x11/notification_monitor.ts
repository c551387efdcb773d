/**
 * `NotificationMonitor`: notifications shown on the desktop, observed as
 * `org.freedesktop.Notifications.Notify` calls on the session bus by the
 * shim's monitor connection (`od_notifications_*`), kept in a bounded ring.
 *
 * @module
 */

import type { Notification } from "../../types/notification.ts";
import { loadNative, NATIVE_STATUS, type NativeLibrary } from "./ffi.ts";
import { NativeError } from "./native_error.ts";
import { cString } from "./_native_util.ts";
import { decodeJson, openHandle, readGrowing } from "./_native_buffers.ts";

/** Default number of notifications kept. */
export const DEFAULT_NOTIFICATION_CAPACITY = 200;

interface RawNotification {
  id: number;
  sender: string;
  serial: number;
  app: string;
  title: string;
  body: string;
  timestamp: number;
}

/** Options of {@linkcode NotificationMonitor.open}. */
export interface NotificationMonitorOptions {
  /** Session bus address. @default the environment's session bus */
  sessionBusAddress?: string;
  /** Notifications kept (oldest dropped first). @default DEFAULT_NOTIFICATION_CAPACITY */
  capacity?: number;
}

/**
 * Records desktop notifications from the moment it is opened.
 *
 * @example Usage
 * ```ts ignore
 * import { NotificationMonitor } from "./notification_monitor.ts";
 * const monitor = await NotificationMonitor.open();
 * console.log(await monitor.list());
 * await monitor.close();
 * ```
 */
export class NotificationMonitor {
  #lib: NativeLibrary;
  #handle: Deno.PointerObject | null;

  private constructor(lib: NativeLibrary, handle: Deno.PointerObject) {
    this.#lib = lib;
    this.#handle = handle;
  }

  /**
   * Becomes a monitor of the session bus.
   *
   * @throws {NativeError} `OD_ERR_DBUS` without a session bus or when monitoring is refused.
   */
  static async open(options: NotificationMonitorOptions = {}): Promise<NotificationMonitor> {
    const lib = loadNative();
    const handle = await openHandle(
      (out) =>
        lib.symbols.od_notifications_open(
          cString(options.sessionBusAddress ?? ""),
          options.capacity ?? DEFAULT_NOTIFICATION_CAPACITY,
          out,
        ),
      "monitor notifications on the session bus",
    );
    return new NotificationMonitor(lib, handle);
  }

  /** The notifications seen so far, oldest first. */
  async list(): Promise<Notification[]> {
    const h = this.#handle;
    if (h === null) throw new NativeError(NATIVE_STATUS.OD_ERR_STATE, "The monitor is closed");
    const bytes = await readGrowing(
      (buf, cap, len) => this.#lib.symbols.od_notifications_list(h, buf, cap, len),
      "list notifications",
    );
    return decodeJson<RawNotification[]>(bytes).map((n) => ({
      id: n.id > 0 ? String(n.id) : `${n.sender}/${n.serial}`,
      title: n.title,
      body: n.body,
      app: n.app.length > 0 ? n.app : null,
      timestamp: n.timestamp,
    }));
  }

  /** Stops monitoring. Idempotent. */
  async close(): Promise<void> {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    await this.#lib.symbols.od_notifications_close(h);
  }
}
