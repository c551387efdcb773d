/**
 * The driver registry: every desktop driver this build has, in order of
 * preference, and the start-up choice among them (the model is SDL's video
 * bootstrap: several drivers live in one build and one is chosen at run time).
 *
 * Start-up asks each automatic driver in turn whether it is `available()` in
 * this environment and opens the first that is; `serve --driver NAME` asks for
 * one by name and reports why when it cannot run. Adding a driver means adding
 * its factory to {@linkcode DRIVER_FACTORIES} and nothing else.
 *
 * @module
 */

import type {
  DesktopDriver,
  DriverFactory,
  EnvLookup,
  VirtualDesktop,
  VirtualDesktopOptions,
} from "./desktop_driver.ts";
import { fakeFactory } from "./fake/fake_factory.ts";
import { waylandFactory } from "./wayland/wayland_factory.ts";
import { win32Factory } from "./win32/win32_factory.ts";
import { x11Factory } from "./x11/x11_factory.ts";

/**
 * Every driver, most preferred first; `fake` is chosen only by name. Wayland
 * comes before X11: in a Wayland session XWayland sets `DISPLAY` too, but
 * only the Wayland driver reaches native windows.
 */
export const DRIVER_FACTORIES: readonly DriverFactory[] = [
  waylandFactory,
  x11Factory,
  win32Factory,
  fakeFactory,
];

/** Options of {@linkcode selectDriver}. */
export interface SelectDriverOptions {
  /** Only this driver (`serve --driver NAME`). @default the first available automatic driver */
  name?: string | undefined;
  /** Environment the drivers read their connection from. @default the process environment */
  env?: EnvLookup;
  /** Backend name for the manifest. @default `local/<os>` */
  backend?: string;
  /**
   * A virtual desktop's session variables, for what the driver starts
   * (see `DriverOpenOptions.session`). @default none
   */
  session?: Readonly<Record<string, string>>;
  /** The drivers to choose from. @default DRIVER_FACTORIES */
  factories?: readonly DriverFactory[];
}

/** What {@linkcode selectDriver} chose, and why. */
export interface DriverSelection {
  /** The open driver, or null when none could run. */
  readonly driver: DesktopDriver | null;
  /** One sentence for people: which driver and why, or why none. */
  readonly reason: string;
  /** Why no driver runs (each driver's reason), or null when one was opened. */
  readonly unavailable: string | null;
  /** Each driver asked, in order, with why it was not used (null for the chosen one). */
  readonly tried: readonly { readonly name: string; readonly skipped: string | null }[];
}

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable;
}

/**
 * Chooses and opens a desktop driver.
 *
 * @param options The driver asked for, the environment and the backend name.
 * @returns The driver (or null) and the reasons.
 * @throws {RangeError} When `name` is not a driver of this build.
 * @throws {Deno.errors.NotCapable | Deno.errors.PermissionDenied} Untouched, when FFI or env access is not allowed.
 */
export async function selectDriver(options: SelectDriverOptions = {}): Promise<DriverSelection> {
  const factories = options.factories ?? DRIVER_FACTORIES;
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const backend = options.backend ?? `local/${Deno.build.os}`;
  let candidates = factories.filter((f) => f.automatic);
  if (options.name !== undefined) {
    const wanted = factories.find((f) => f.name === options.name);
    if (!wanted) {
      throw new RangeError(
        `Unknown desktop driver '${options.name}': this build has ${
          factories.map((f) => f.name).join(", ")
        }`,
      );
    }
    candidates = [wanted];
  }
  const tried: { name: string; skipped: string | null }[] = [];
  for (const factory of candidates) {
    const availability = await factory.available(env);
    if (!availability.available) {
      tried.push({ name: factory.name, skipped: availability.reason });
      continue;
    }
    try {
      const driver = await factory.open({
        backend,
        env,
        ...(options.session === undefined ? {} : { session: options.session }),
      });
      tried.push({ name: factory.name, skipped: null });
      const skipped = tried.filter((t) => t.skipped !== null).map((t) => `${t.name}: ${t.skipped}`)
        .join("; ");
      const detail = availability.detail ? `: ${availability.detail}` : "";
      const why = options.name !== undefined
        ? "asked for with --driver"
        : skipped === ""
        ? "the first available"
        : `the first available; skipped ${skipped}`;
      return {
        driver,
        reason: `desktop driver '${factory.name}' (${why}${detail})`,
        unavailable: null,
        tried,
      };
    } catch (error) {
      if (isPermissionError(error)) throw error;
      tried.push({
        name: factory.name,
        skipped: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const unavailable = tried.map((t) => `${t.name}: ${t.skipped}`).join("; ") ||
    "this build has no desktop driver";
  return {
    driver: null,
    reason: `Display and input are unavailable: ${unavailable}`,
    unavailable,
    tried,
  };
}

/**
 * Starts a private desktop for `serve --virtual-display` with the named
 * driver, or the first driver that can host one.
 *
 * @param desktop Width and height in pixels, and whether to run a window manager.
 * @param name The driver to use. @default the first that can
 * @returns The running desktop; its `env` goes to {@linkcode selectDriver}.
 * @throws {Error} When no driver can host one, or starting it failed.
 */
export function startVirtualDesktop(
  desktop: VirtualDesktopOptions,
  name?: string,
): Promise<VirtualDesktop> {
  const factory = DRIVER_FACTORIES.find((f) =>
    f.startVirtualDesktop !== undefined && (name === undefined || f.name === name)
  );
  if (!factory?.startVirtualDesktop) {
    const why = name === undefined
      ? "no desktop driver of this build can start one"
      : `the '${name}' driver cannot start one (or is not part of this build)`;
    return Promise.reject(new Error(why));
  }
  return factory.startVirtualDesktop(desktop);
}
