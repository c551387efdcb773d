/**
 * Server-side pairing state: a pairing window holds one single-use
 * 6-digit code for at most 5 minutes; any attempt that does not complete
 * burns it. Burns are counted per source address: an address that burned 2
 * codes within 10 minutes may not attempt pairing for 10 minutes (its
 * attempts are refused before they touch the code), and pairing as a whole
 * is locked for 10 minutes only when 5 codes burned within 10 minutes came
 * from at least 3 different addresses.
 *
 * @module
 */

import { type Clock, systemClock } from "./clock.ts";
import { type CryptoSuite, defaultCryptoSuite } from "./crypto_suite.ts";
import { HandshakeError, type HandshakeFailureReason, PairingUnavailableError } from "./errors.ts";
import { derivePairingPsk } from "./key_schedule.ts";
import { generatePairingCode, validatePairingCode } from "./pairing_code.ts";
import {
  PAIRING_LOCKOUT_DURATION_MS,
  PAIRING_LOCKOUT_INTERVAL_MS,
  PAIRING_LOCKOUT_SOURCES,
  PAIRING_LOCKOUT_THRESHOLD,
  PAIRING_SOURCE_LOCKOUT_THRESHOLD,
  PAIRING_WINDOW_LIFETIME_MS,
} from "./tuning.ts";

/** Life cycle of one window: `armed` → `in_progress` → `used` | `burned`; or `expired` / `cancelled`. */
export type PairingWindowState =
  | "armed"
  | "in_progress"
  | "used"
  | "burned"
  | "expired"
  | "cancelled";

/** A read-only view of one pairing window. */
export interface PairingWindow {
  /** The 6-digit code to show to the user. */
  readonly code: string;
  /** When the window was armed (epoch ms). */
  readonly armedAt: number;
  /** When the code stops being accepted (epoch ms). */
  readonly expiresAt: number;
  /** Current state. */
  readonly state: PairingWindowState;
}

/** One running pairing attempt, as the pairing server sees it. */
export interface PairingAttempt {
  /** The PSK of the window's code (derived once per window; owned by the window). */
  psk(): Promise<Uint8Array>;
  /**
   * Marks the window used.
   * @throws {PairingUnavailableError} when the window was cancelled during the attempt
   */
  succeed(peerKey: Uint8Array): void;
  /** Burns the window (idempotent; ignored after `succeed`). */
  fail(error: unknown): void;
}

/** Anything that hands out pairing attempts (the pairing server's `windows` option). */
export interface PairingAttemptSource {
  /**
   * Starts an attempt from `remoteAddr`.
   * @throws {PairingUnavailableError} when no window is armed or one attempt is already running
   */
  begin(remoteAddr: string): PairingAttempt;
}

/** Something that happened to pairing, for the local user and the audit log. */
export type PairingEvent =
  | { type: "armed"; at: number; expiresAt: number }
  | {
    type: "burned";
    at: number;
    remoteAddr: string;
    reason: HandshakeFailureReason | "error";
    message: string;
    cause: unknown;
  }
  | { type: "paired"; at: number; remoteAddr: string; peerKey: Uint8Array; message: string }
  | { type: "expired"; at: number; message: string }
  | { type: "locked_out"; at: number; until: number; message: string }
  | { type: "source_locked_out"; at: number; remoteAddr: string; until: number; message: string };

/** Options of {@linkcode PairingWindows}. */
export interface PairingWindowsOptions {
  /**
   * Time source.
   * @default {systemClock}
   */
  clock?: Clock;
  /**
   * Life of a window.
   * @default {PAIRING_WINDOW_LIFETIME_MS}
   */
  lifetimeMs?: number;
  /**
   * Burned windows that trigger the lockout.
   * @default {PAIRING_LOCKOUT_THRESHOLD}
   */
  lockoutThreshold?: number;
  /**
   * Burned windows from one source address that lock that address out.
   * @default {PAIRING_SOURCE_LOCKOUT_THRESHOLD}
   */
  sourceLockoutThreshold?: number;
  /**
   * Distinct source addresses among the burns that the global lockout also needs.
   * @default {PAIRING_LOCKOUT_SOURCES}
   */
  lockoutSources?: number;
  /**
   * Interval over which burned windows are counted.
   * @default {PAIRING_LOCKOUT_INTERVAL_MS}
   */
  lockoutIntervalMs?: number;
  /**
   * Length of the lockout.
   * @default {PAIRING_LOCKOUT_DURATION_MS}
   */
  lockoutDurationMs?: number;
  /**
   * Crypto primitives (PBKDF2 for the PSK).
   * @default {defaultCryptoSuite()}
   */
  suite?: CryptoSuite;
}

/** Options of {@linkcode PairingWindows.arm}. */
export interface ArmPairingOptions {
  /** A code chosen by the operator (exactly 6 digits); a random one otherwise. */
  code?: string;
}

class Window implements PairingWindow {
  state: PairingWindowState = "armed";
  psk: Promise<Uint8Array> | null = null;
  constructor(readonly code: string, readonly armedAt: number, readonly expiresAt: number) {}
}

/**
 * The pairing windows of one server. Expiry is checked lazily, whenever the
 * state is read or an attempt begins, so no timers run.
 *
 * @example Usage
 * ```ts
 * import { PairingWindows } from "./pairing_window.ts";
 * const windows = new PairingWindows();
 * using _sub = windows.subscribe((event) => console.log(event.type));
 * const window = windows.arm();
 * console.assert(/^\d{6}$/.test(window.code));
 * windows.disarm();
 * ```
 */
export class PairingWindows implements PairingAttemptSource {
  #clock: Clock;
  #lifetimeMs: number;
  #threshold: number;
  #intervalMs: number;
  #lockoutMs: number;
  #suite: CryptoSuite;
  #window: Window | null = null;
  #sourceThreshold: number;
  #lockoutSources: number;
  /** Burns within the interval: when and from which host. */
  #burns: { at: number; host: string }[] = [];
  #lockedUntil = 0;
  #sourceLockedUntil = new Map<string, number>();
  #listeners = new Set<(event: PairingEvent) => void>();

  constructor(options: PairingWindowsOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#lifetimeMs = options.lifetimeMs ?? PAIRING_WINDOW_LIFETIME_MS;
    this.#threshold = options.lockoutThreshold ?? PAIRING_LOCKOUT_THRESHOLD;
    this.#intervalMs = options.lockoutIntervalMs ?? PAIRING_LOCKOUT_INTERVAL_MS;
    this.#lockoutMs = options.lockoutDurationMs ?? PAIRING_LOCKOUT_DURATION_MS;
    this.#sourceThreshold = options.sourceLockoutThreshold ?? PAIRING_SOURCE_LOCKOUT_THRESHOLD;
    this.#lockoutSources = options.lockoutSources ?? PAIRING_LOCKOUT_SOURCES;
    this.#suite = options.suite ?? defaultCryptoSuite();
  }

  /** The armed (or in-progress) window, or `null`. */
  get current(): PairingWindow | null {
    this.#expireIfDue();
    return this.#window;
  }

  /** While locked out: epoch ms when arming is allowed again; otherwise `null`. */
  get lockedUntil(): number | null {
    return this.#clock.now() < this.#lockedUntil ? this.#lockedUntil : null;
  }

  /**
   * Registers a listener for pairing events.
   * @returns a disposable that removes the listener
   */
  subscribe(listener: (event: PairingEvent) => void): Disposable {
    this.#listeners.add(listener);
    return { [Symbol.dispose]: () => void this.#listeners.delete(listener) };
  }

  /**
   * Arms a new window, replacing an armed one that has no attempt running.
   *
   * @param options an operator-chosen code, if any
   * @returns the new window
   * @throws {PairingUnavailableError} `locked_out` during a lockout, `in_progress` while an attempt runs
   * @throws {RangeError} when `options.code` is not 6 digits
   */
  arm(options: ArmPairingOptions = {}): PairingWindow {
    const code = options.code === undefined
      ? generatePairingCode()
      : validatePairingCode(options.code);
    const now = this.#clock.now();
    if (now < this.#lockedUntil) {
      const minutes = Math.ceil((this.#lockedUntil - now) / 60_000);
      throw new PairingUnavailableError(
        "locked_out",
        `Cannot start pairing: ${this.#threshold} pairing attempts failed within ` +
          `${
            Math.round(this.#intervalMs / 60_000)
          } minutes, so pairing is locked for ${minutes} more ` +
          `minute${minutes === 1 ? "" : "s"}; check who is trying to pair with this machine`,
        this.#lockedUntil,
      );
    }
    if (this.current?.state === "in_progress") {
      throw new PairingUnavailableError(
        "in_progress",
        "Cannot start pairing: a pairing attempt is running; wait for it to finish",
      );
    }
    this.disarm();
    this.#window = new Window(code, now, now + this.#lifetimeMs);
    this.#emit({ type: "armed", at: now, expiresAt: this.#window.expiresAt });
    return this.#window;
  }

  /** Cancels the current window, if any (an attempt running on it cannot succeed any more). */
  disarm(): void {
    const window = this.#window;
    if (window === null) return;
    this.#window = null;
    if (window.state === "armed") this.#wipe(window);
    if (window.state === "armed" || window.state === "in_progress") window.state = "cancelled";
  }

  /**
   * Starts a pairing attempt on the current window (used by `pairServer`).
   * @throws {PairingUnavailableError} `not_armed`, `in_progress`, or `locked_out` when this
   *   source address is locked out (the window stays armed)
   */
  begin(remoteAddr: string): PairingAttempt {
    const host = hostOf(remoteAddr);
    const now = this.#clock.now();
    const sourceUntil = this.#sourceLockedUntil.get(host) ?? 0;
    if (now < sourceUntil) {
      const minutes = Math.ceil((sourceUntil - now) / 60_000);
      throw new PairingUnavailableError(
        "locked_out",
        `Pairing refused for ${host}: pairing attempts from this address failed ` +
          `${this.#sourceThreshold} times, so it may not try again for ${minutes} more ` +
          `minute${minutes === 1 ? "" : "s"}`,
        sourceUntil,
      );
    }
    if (sourceUntil !== 0) this.#sourceLockedUntil.delete(host);
    const window = this.current as Window | null;
    if (window === null) {
      throw new PairingUnavailableError(
        "not_armed",
        `Pairing refused for ${remoteAddr}: no pairing code is active on this machine; ` +
          "run `opendesk pair` to show one",
      );
    }
    if (window.state === "in_progress") {
      throw new PairingUnavailableError(
        "in_progress",
        `Pairing refused for ${remoteAddr}: another pairing attempt is running; try again in a few seconds`,
      );
    }
    window.state = "in_progress";
    let settled = false;
    return {
      psk: () => window.psk ??= derivePairingPsk(this.#suite, window.code),
      succeed: (peerKey) => {
        if (settled) return;
        settled = true;
        if (window.state !== "in_progress") {
          throw new PairingUnavailableError(
            "not_armed",
            `Pairing with ${remoteAddr} was cancelled on this machine while it ran`,
          );
        }
        this.#settle(window, "used");
        this.#emit({
          type: "paired",
          at: this.#clock.now(),
          remoteAddr,
          peerKey: peerKey.slice(),
          message: `Paired with ${hostOf(remoteAddr)}; the code is now used up`,
        });
      },
      fail: (error) => {
        if (settled) return;
        settled = true;
        if (window.state !== "in_progress") {
          this.#wipe(window);
          return;
        }
        this.#settle(window, "burned");
        this.#burned(remoteAddr, error);
      },
    };
  }

  #settle(window: Window, state: "used" | "burned"): void {
    window.state = state;
    this.#wipe(window);
    if (this.#window === window) this.#window = null;
  }

  #burned(remoteAddr: string, error: unknown): void {
    const now = this.#clock.now();
    const reason = error instanceof HandshakeError ? error.reason : "error";
    this.#emit({
      type: "burned",
      at: now,
      remoteAddr,
      reason,
      message: `Pairing attempt from ${hostOf(remoteAddr)} failed (${REASON_TEXT[reason]}): ` +
        "the code is no longer valid; run `opendesk pair` for a new one",
      cause: error,
    });
    const host = hostOf(remoteAddr);
    this.#burns = this.#burns.filter((b) => b.at > now - this.#intervalMs);
    this.#burns.push({ at: now, host });
    const fromHost = this.#burns.filter((b) => b.host === host).length;
    if (fromHost >= this.#sourceThreshold) {
      const until = now + this.#lockoutMs;
      this.#sourceLockedUntil.set(host, until);
      this.#emit({
        type: "source_locked_out",
        at: now,
        remoteAddr: host,
        until,
        message: `Pairing attempts from ${host} are refused for ${
          Math.round(this.#lockoutMs / 60_000)
        } minutes: ${fromHost} attempts from there failed within ${
          Math.round(this.#intervalMs / 60_000)
        } minutes`,
      });
    }
    const sources = new Set(this.#burns.map((b) => b.host)).size;
    if (this.#burns.length >= this.#threshold && sources >= this.#lockoutSources) {
      this.#burns = [];
      this.#lockedUntil = now + this.#lockoutMs;
      this.#emit({
        type: "locked_out",
        at: now,
        until: this.#lockedUntil,
        message: `Pairing is locked for ${Math.round(this.#lockoutMs / 60_000)} minutes: ` +
          `${this.#threshold} pairing attempts from ${sources} addresses failed within ${
            Math.round(this.#intervalMs / 60_000)
          } minutes`,
      });
    }
  }

  #expireIfDue(): void {
    const window = this.#window;
    if (window === null || window.state !== "armed") return;
    const now = this.#clock.now();
    if (now < window.expiresAt) return;
    window.state = "expired";
    this.#wipe(window);
    this.#window = null;
    this.#emit({
      type: "expired",
      at: now,
      message: "The pairing code expired unused; run `opendesk pair` for a new one",
    });
  }

  #wipe(window: Window): void {
    window.psk?.then((psk) => psk.fill(0), () => {});
  }

  #emit(event: PairingEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

const REASON_TEXT: Record<HandshakeFailureReason | "error", string> = {
  wrong_code: "wrong code",
  untrusted_peer: "untrusted key",
  unexpected_peer: "unexpected key",
  protocol: "malformed or interrupted handshake",
  timeout: "no answer in time",
  error: "internal error",
};

/** `"10.0.0.7:5555"` → `"10.0.0.7"`, `"[::1]:5555"` → `"::1"`, `"?"` → `"an unknown address"`. */
function hostOf(remoteAddr: string): string {
  if (remoteAddr === "?" || remoteAddr === "") return "an unknown address";
  const bracketed = /^\[(.*)\]:\d+$/.exec(remoteAddr);
  if (bracketed) return bracketed[1]!;
  const plain = /^([^:]*):\d+$/.exec(remoteAddr);
  return plain ? plain[1]! : remoteAddr;
}
