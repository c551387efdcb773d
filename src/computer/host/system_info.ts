/**
 * Platform facts for `system.environment` (without displays, which come from
 * the backend).
 *
 * @module
 */

/** The environment fields that do not depend on a display backend. */
export interface HostFacts {
  /** `Linux`, `Darwin` or `Windows`, as the reference reports them. */
  os: string;
  /** Kernel or OS release. */
  os_version: string;
  hostname: string;
  /** Locale such as `en_US.UTF-8`. */
  locale: string;
  /** Time-zone abbreviation such as `CET` or `UTC` where known, else the IANA name. */
  timezone: string;
}

const OS_NAMES: Record<string, string> = {
  linux: "Linux",
  darwin: "Darwin",
  windows: "Windows",
  freebsd: "FreeBSD",
  netbsd: "NetBSD",
  openbsd: "OpenBSD",
};

/**
 * Collects the host facts.
 *
 * @example Usage
 * ```ts
 * import { hostFacts } from "./system_info.ts";
 * console.log(hostFacts().os); // "Linux"
 * ```
 */
export function hostFacts(): HostFacts {
  return {
    os: OS_NAMES[Deno.build.os] ?? Deno.build.os,
    os_version: safe(() => Deno.osRelease()),
    hostname: safe(() => Deno.hostname()),
    locale: hostLocale(),
    timezone: timeZoneName(),
  };
}

function safe(read: () => string): string {
  try {
    return read();
  } catch {
    return "";
  }
}

function hostLocale(): string {
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) {
    const value = safe(() => Deno.env.get(name) ?? "");
    if (value !== "" && value !== "C" && value !== "POSIX") return value;
  }
  return safe(() => Intl.DateTimeFormat().resolvedOptions().locale.replace("-", "_"));
}

/** A short zone name (`CET`, `EST`, `UTC`); falls back to the IANA name when ICU has no abbreviation. */
export function timeZoneName(date: Date = new Date()): string {
  const iana = safe(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const short = safe(() =>
    new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value ?? ""
  );
  if (short !== "" && !/^GMT[+-]/.test(short)) return short;
  return iana || short;
}
