import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { HandshakeError, PairingUnavailableError } from "../../src/auth/errors.ts";
import { type PairingEvent, PairingWindows } from "../../src/auth/pairing_window.ts";

class FakeClock {
  t = 1_700_000_000_000;
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

function setup(): { clock: FakeClock; windows: PairingWindows; events: PairingEvent[] } {
  const clock = new FakeClock();
  const windows = new PairingWindows({ clock });
  const events: PairingEvent[] = [];
  windows.subscribe((e) => events.push(e));
  return { clock, windows, events };
}

const MINUTE = 60_000;
const wrongCode = new HandshakeError("wrong_code", "codes differ");

function burnOnce(windows: PairingWindows, addr = "10.0.0.7:5555"): void {
  windows.arm();
  windows.begin(addr).fail(wrongCode);
}

Deno.test("PairingWindows.arm() draws a 6-digit code that lives 5 minutes", () => {
  const { clock, windows, events } = setup();
  const window = windows.arm();
  ok(/^\d{6}$/.test(window.code));
  strictEqual(window.expiresAt - window.armedAt, 5 * MINUTE);
  strictEqual(window.state, "armed");
  clock.advance(5 * MINUTE - 1);
  strictEqual(windows.current, window);
  clock.advance(1);
  strictEqual(windows.current, null);
  strictEqual(window.state, "expired");
  deepStrictEqual(events.map((e) => e.type), ["armed", "expired"]);
  throws(
    () => windows.begin("10.0.0.7:1"),
    (e: unknown) => (e as PairingUnavailableError).reason === "not_armed",
  );
});

Deno.test("PairingWindows.arm() validates an operator-supplied code", () => {
  const { windows } = setup();
  strictEqual(windows.arm({ code: "000123" }).code, "000123");
  throws(() => windows.arm({ code: "12345" }), RangeError);
  throws(() => windows.arm({ code: "abcdef" }), RangeError);
});

Deno.test("PairingWindows.begin() attempt.fail() burns the code and reports it to the user", () => {
  const { windows, events } = setup();
  const window = windows.arm();
  const attempt = windows.begin("10.0.0.7:5555");
  strictEqual(window.state, "in_progress");
  attempt.fail(wrongCode);
  attempt.fail(wrongCode); // idempotent
  strictEqual(window.state, "burned");
  strictEqual(windows.current, null);
  const burned = events.filter((e) => e.type === "burned");
  strictEqual(burned.length, 1);
  const event = burned[0]!;
  ok(event.type === "burned");
  strictEqual(event.remoteAddr, "10.0.0.7:5555");
  strictEqual(event.reason, "wrong_code");
  strictEqual(
    event.message,
    "Pairing attempt from 10.0.0.7 failed (wrong code): the code is no longer valid; run `opendesk pair` for a new one",
  );
});

Deno.test("PairingWindows.begin() attempt.succeed() uses the code up", () => {
  const { windows, events } = setup();
  const window = windows.arm();
  const key = new Uint8Array(32).fill(7);
  windows.begin("[::1]:4000").succeed(key);
  strictEqual(window.state, "used");
  strictEqual(windows.current, null);
  const paired = events.at(-1)!;
  ok(paired.type === "paired");
  deepStrictEqual(paired.peerKey, key);
  ok(paired.message.includes("::1"));
  throws(() => windows.begin("10.0.0.8:1"), PairingUnavailableError);
});

Deno.test("PairingWindows.begin() refuses a second attempt while one runs, without burning", () => {
  const { windows, events } = setup();
  windows.arm();
  const first = windows.begin("10.0.0.7:1");
  throws(
    () => windows.begin("10.0.0.9:1"),
    (e: unknown) => (e as PairingUnavailableError).reason === "in_progress",
  );
  throws(
    () => windows.arm(),
    (e: unknown) => (e as PairingUnavailableError).reason === "in_progress",
  );
  strictEqual(events.filter((e) => e.type === "burned").length, 0);
  first.succeed(new Uint8Array(32));
});

Deno.test("PairingWindows locks pairing for 10 minutes after 5 burned windows within 10 minutes", () => {
  const { clock, windows, events } = setup();
  for (let i = 0; i < 5; i++) {
    burnOnce(windows, `10.0.0.${i + 1}:5555`); // from five addresses
    clock.advance(2 * MINUTE - 1); // five burns spread over just under 10 minutes
  }
  const locked = events.find((e) => e.type === "locked_out");
  ok(locked && locked.type === "locked_out");
  ok(windows.lockedUntil !== null);
  throws(() => windows.arm(), (e: unknown) => {
    ok(e instanceof PairingUnavailableError);
    strictEqual(e.reason, "locked_out");
    ok(e.message.startsWith("Cannot start pairing: 5 pairing attempts failed within 10 minutes"));
    strictEqual(e.retryAt, locked.until);
    return true;
  });
  clock.t = locked.until - 1;
  throws(() => windows.arm(), PairingUnavailableError);
  clock.t = locked.until;
  strictEqual(windows.lockedUntil, null);
  ok(/^\d{6}$/.test(windows.arm().code));
});

Deno.test("PairingWindows does not lock when the burns are spread over more than 10 minutes", () => {
  const { clock, windows } = setup();
  for (let i = 0; i < 8; i++) {
    burnOnce(windows, `10.0.0.${i + 1}:5555`);
    clock.advance(2.5 * MINUTE);
  }
  strictEqual(windows.lockedUntil, null);
  ok(windows.arm());
});

Deno.test("PairingWindows locks out the address that burns codes, not pairing as a whole", () => {
  const { clock, windows, events } = setup();
  burnOnce(windows, "10.0.0.66:1");
  burnOnce(windows, "10.0.0.66:2");
  const sourceLock = events.find((e) => e.type === "source_locked_out");
  ok(sourceLock && sourceLock.type === "source_locked_out");
  strictEqual(sourceLock.remoteAddr, "10.0.0.66");
  ok(sourceLock.message.startsWith("Pairing attempts from 10.0.0.66 are refused for 10 minutes"));
  // The locked address cannot even start an attempt, so the armed code survives it.
  const window = windows.arm();
  for (let i = 0; i < 10; i++) {
    throws(() => windows.begin(`10.0.0.66:${i}`), (e: unknown) => {
      ok(e instanceof PairingUnavailableError);
      strictEqual(e.reason, "locked_out");
      ok(e.message.startsWith("Pairing refused for 10.0.0.66: pairing attempts"));
      return true;
    });
  }
  strictEqual(window.state, "armed");
  strictEqual(windows.lockedUntil, null);
  windows.begin("10.0.0.7:1").succeed(new Uint8Array(32));
  strictEqual(window.state, "used");
  // The address may try again once its lockout ends.
  clock.advance(10 * MINUTE);
  windows.arm();
  windows.begin("10.0.0.66:9").succeed(new Uint8Array(32));
  strictEqual(events.filter((e) => e.type === "locked_out").length, 0);
});

Deno.test("PairingWindows names the address that burned the code", () => {
  const { windows, events } = setup();
  burnOnce(windows, "[fe80::1]:5555");
  const burned = events.find((e) => e.type === "burned");
  ok(burned && burned.type === "burned");
  ok(burned.message.startsWith("Pairing attempt from fe80::1 failed (wrong code)"), burned.message);
});

Deno.test("PairingWindows does not count expired or cancelled windows toward the lockout", () => {
  const { clock, windows } = setup();
  for (let i = 0; i < 6; i++) {
    windows.arm();
    clock.advance(5 * MINUTE);
    windows.arm();
    windows.disarm();
  }
  strictEqual(windows.lockedUntil, null);
});

Deno.test("PairingWindows.disarm() cancels the window; an attempt running on it cannot succeed", () => {
  const { windows, events } = setup();
  const window = windows.arm();
  const attempt = windows.begin("10.0.0.7:1");
  windows.disarm();
  strictEqual(window.state, "cancelled");
  throws(() => attempt.succeed(new Uint8Array(32)), PairingUnavailableError);
  strictEqual(events.filter((e) => e.type === "burned" || e.type === "paired").length, 0);
});

Deno.test("PairingWindows.arm() replaces an armed window that has no attempt", () => {
  const { windows } = setup();
  const first = windows.arm({ code: "111111" });
  const second = windows.arm({ code: "222222" });
  strictEqual(first.state, "cancelled");
  strictEqual(windows.current, second);
});

Deno.test("PairingWindows attempt.psk() derives the PSK of the window's code once", async () => {
  const { windows } = setup();
  windows.arm({ code: "123456" });
  const attempt = windows.begin("10.0.0.7:1");
  const [p1, p2] = await Promise.all([attempt.psk(), attempt.psk()]);
  strictEqual(p1, p2);
  strictEqual(
    Array.from(p1, (b) => b.toString(16).padStart(2, "0")).join(""),
    "64d23c61b4bef1240679ac4360d85f4996c3226aa79c3240f6318dfc90ceb55b",
  );
  attempt.succeed(new Uint8Array(32));
  await Promise.resolve();
  deepStrictEqual(p1, new Uint8Array(32)); // wiped once the window is used
});

Deno.test("PairingWindows.subscribe() returns a disposable that removes the listener", () => {
  const windows = new PairingWindows();
  const seen: string[] = [];
  {
    using _sub = windows.subscribe((e) => seen.push(e.type));
    windows.arm();
  }
  windows.arm();
  deepStrictEqual(seen, ["armed"]);
  windows.disarm();
});
