/**
 * The wire method table: the 33 unary methods and 2 streams of the
 * reference catalogue plus opendesk's own (`display.pixel`),
 * each defined once with its params schema, result encoding, policy class,
 * capability, idempotency, summary and help. `ui.perform` and `system.lock`
 * are accepted aliases of `ui.action` and `power.lock`.
 *
 * @module
 */

import type { AnyMethodDef } from "./method_def.ts";
import {
  AppsClose,
  AppsFocus,
  AppsList,
  AppsOpen,
  ClipboardRead,
  ClipboardWrite,
  NotificationsList,
  PowerLock,
  UiAction,
  UiTree,
  WindowsClose,
  WindowsFocus,
  WindowsFocused,
  WindowsList,
  WindowsMove,
} from "./methods_desktop.ts";
import {
  FsDelete,
  FsList,
  FsMkdir,
  FsMove,
  FsRead,
  FsStat,
  FsWrite,
  ProcessExec,
  ProcessList,
  ProcessShell,
} from "./methods_host.ts";
import {
  DisplayCapture,
  DisplayCursorPosition,
  DisplayDisplays,
  DisplayPixel,
  DisplaySubscribe,
  InputKey,
  InputPointer,
  InputSubscribe,
  InputText,
  SystemCapabilities,
  SystemEnvironment,
} from "./methods_system.ts";

/** Every method, in the catalogue's order (unary methods, then the two streams). */
export const METHODS: readonly AnyMethodDef[] = Object.freeze([
  SystemCapabilities,
  SystemEnvironment,
  DisplayDisplays,
  DisplayCapture,
  DisplayPixel,
  DisplayCursorPosition,
  InputPointer,
  InputKey,
  InputText,
  WindowsList,
  WindowsFocused,
  WindowsFocus,
  WindowsMove,
  WindowsClose,
  AppsOpen,
  AppsClose,
  AppsFocus,
  AppsList,
  UiTree,
  UiAction,
  ClipboardRead,
  ClipboardWrite,
  FsRead,
  FsWrite,
  FsList,
  FsStat,
  FsDelete,
  FsMove,
  FsMkdir,
  ProcessList,
  ProcessShell,
  ProcessExec,
  PowerLock,
  NotificationsList,
  DisplaySubscribe,
  InputSubscribe,
]);

const BY_NAME: ReadonlyMap<string, AnyMethodDef> = new Map(
  METHODS.flatMap((m) => [m.name, ...m.aliases].map((name) => [name, m] as const)),
);

/**
 * The definition of a method by wire name or alias.
 *
 * @example Usage
 * ```ts
 * import { findMethod } from "./methods.ts";
 * findMethod("ui.perform")?.name; // "ui.action"
 * ```
 */
export function findMethod(name: string): AnyMethodDef | undefined {
  return BY_NAME.get(name);
}

/** Every accepted method name, aliases included, sorted (for completion and `:help`). */
export function methodNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

/** True for observation methods, which read and change nothing (under either name). */
export function isObservationMethod(name: string): boolean {
  return BY_NAME.get(name)?.observation ?? false;
}

/** True for methods a client may replay once after a reconnect. */
export function isIdempotentMethod(name: string): boolean {
  return BY_NAME.get(name)?.idempotent ?? false;
}
