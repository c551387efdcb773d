/**
 * `selectComputer`: the one place that chooses the backend for `opendesk
 * serve`: `NativeComputer` when a display and the native library are
 * available, otherwise `HostComputer` together with a human-readable reason
 * why display and input are unavailable.
 *
 * @module
 */

import { HostComputer, type HostComputerOptions } from "../host_computer.ts";
import { NativeComputer } from "./native_computer.ts";

/** Options of {@linkcode selectComputer}. */
export interface SelectComputerOptions extends HostComputerOptions {
  /**
   * X display to use.
   * @default the `DISPLAY` environment variable
   */
  display?: string;
}

/** What {@linkcode selectComputer} chose. */
export interface ComputerSelection {
  /** The backend to serve. */
  computer: HostComputer;
  /** True when it is the native desktop backend. */
  native: boolean;
  /** Why display and input are unavailable (null when `native`). */
  reason: string | null;
}

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable;
}

/**
 * Chooses the backend.
 *
 * @param options Display name and backend options.
 * @returns The backend, whether it is native, and the reason when it is not.
 * @throws {Deno.errors.NotCapable | Deno.errors.PermissionDenied} Untouched, when FFI or env access is not allowed.
 */
export async function selectComputer(
  options: SelectComputerOptions = {},
): Promise<ComputerSelection> {
  const { display, ...hostOptions } = options;
  if (Deno.build.os !== "linux") {
    return {
      computer: new HostComputer(hostOptions),
      native: false,
      reason: `Display and input are unavailable: opendesk has no native backend for ` +
        `'${Deno.build.os}' yet (files, processes and the environment still work)`,
    };
  }
  const name = display ?? Deno.env.get("DISPLAY") ?? "";
  if (name === "") {
    return {
      computer: new HostComputer(hostOptions),
      native: false,
      reason: "Display and input are unavailable: no X display (DISPLAY is not set); start " +
        "`opendesk serve` inside a desktop session or with `--virtual-display 1920x1080`",
    };
  }
  try {
    return {
      computer: await NativeComputer.open({ ...options, display: name }),
      native: true,
      reason: null,
    };
  } catch (error) {
    if (isPermissionError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return {
      computer: new HostComputer(hostOptions),
      native: false,
      reason: `Display and input are unavailable: ${message}`,
    };
  }
}
