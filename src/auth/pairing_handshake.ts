/**
 * The pairing handshake: first contact, 3 messages, authenticated by the PSK
 * of a 6-digit code. Each function reads like the step list in
 * docs/protocol.md, "Pairing (first contact, 3 messages)".
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { ConnectionClosedError } from "../protocol/errors.ts";
import { bytesEqual, wipe } from "./_bytes.ts";
import { closeAfterFailure, ephemeralPrivateKey, rejectLowOrder } from "./_handshake_util.ts";
import { HANDSHAKE_NONCE, HandshakeKind, KEY_LENGTH } from "./constants.ts";
import { type CryptoSuite, defaultCryptoSuite } from "./crypto_suite.ts";
import { EncryptedConnection } from "./encrypted_connection.ts";
import { HandshakeError } from "./errors.ts";
import { fingerprint } from "./fingerprint.ts";
import { decodeHandshakeMessage } from "./handshake_messages.ts";
import {
  type ReceivedHandshakeMessage,
  receiveHandshakeMessage,
  sendHandshakeMessage,
} from "./handshake_io.ts";
import type { HandshakeOptions, HandshakeResult } from "./handshake_result.ts";
import {
  derivePairingPsk,
  deriveSessionKeys,
  pairingKey1,
  pairingKey2,
  pairingTranscript,
} from "./key_schedule.ts";
import { validatePairingCode } from "./pairing_code.ts";
import type { PairingAttempt, PairingAttemptSource } from "./pairing_window.ts";

/** Options of {@linkcode pairClient}. */
export interface PairClientOptions extends HandshakeOptions {
  /** The 6-digit code shown on the server. */
  code: string;
  /** When known in advance (`--target-pubkey`), the server key pairing must reach. */
  expectedServerKey?: Uint8Array;
}

/** Options of {@linkcode pairServer}: exactly one of `code` and `windows`. */
export interface PairServerOptions extends HandshakeOptions {
  /** A fixed code (exactly 6 digits); no single-use bookkeeping. */
  code?: string;
  /** The server's pairing windows: the attempt uses and burns their current code. */
  windows?: PairingAttemptSource;
  /** The `pair_hello` already read by the server's router (`readHandshakeMessage`). */
  firstMessage?: ReceivedHandshakeMessage;
}

const WRONG_CODE_CLIENT =
  "The pairing code did not match, and that code is now void: ask the person at the other " +
  "machine to arm a new one (`opendesk pair` there), then run pair-with with the new code";

/**
 * Client side of pairing: proves knowledge of the code and learns the server's static key.
 *
 * @param conn a fresh transport connection; owned by the result (or closed on failure)
 * @param options code, identity, deadline
 * @returns the encrypted channel and the server's static key (`paired: true`)
 * @throws {HandshakeError} `wrong_code`, `unexpected_peer`, `protocol` or `timeout`
 * @throws {RangeError} when the code is not 6 digits (nothing is sent; the connection is closed)
 * @example Usage
 * ```ts ignore
 * const { connection, peerKey } = await pairClient(ws, { code: "123456", identity });
 * ```
 */
export async function pairClient(
  conn: Connection,
  options: PairClientOptions,
): Promise<HandshakeResult> {
  const suite = options.suite ?? defaultCryptoSuite();
  const { identity, timeoutMs } = options;
  const secrets: Uint8Array[] = [];
  try {
    const code = validatePairingCode(options.code);
    const eC = ephemeralPrivateKey(suite, options.ephemeralPrivateKey);
    secrets.push(eC);
    const psk = await derivePairingPsk(suite, code);
    secrets.push(psk);
    const eCPub = suite.x25519.publicKey(eC);

    // write message 1: pair_hello
    await sendHandshakeMessage(conn, { kind: HandshakeKind.PAIR_HELLO, e: eCPub });

    // read message 2: pair_offer; open ct1 with k1 to learn s_s_pub
    const offer = await receiveHandshakeMessage(conn, HandshakeKind.PAIR_OFFER, timeoutMs);
    const dhEe = suite.x25519.sharedSecret(eC, offer.e);
    secrets.push(dhEe);
    rejectLowOrder(conn.remoteAddr, dhEe);
    const k1 = pairingKey1(suite, psk, dhEe);
    secrets.push(k1);
    const sSPub = suite.aead.open(k1, HANDSHAKE_NONCE, offer.ct);
    if (sSPub === null) throw new HandshakeError("wrong_code", WRONG_CODE_CLIENT);
    if (sSPub.length !== KEY_LENGTH) {
      throw new HandshakeError(
        "protocol",
        `Handshake failed: pair_offer carries a ${sSPub.length}-byte server key, expected ${KEY_LENGTH}`,
      );
    }
    checkExpectedServer(conn, sSPub, options.expectedServerKey);

    // write message 3: pair_finish with ct2 = AEAD(k2, s_c_pub)
    const k2 = pairingKey2(suite, psk, offer.ct, dhEe);
    secrets.push(k2);
    const ct2 = suite.aead.seal(k2, HANDSHAKE_NONCE, identity.publicKey);
    await sendHandshakeMessage(conn, { kind: HandshakeKind.PAIR_FINISH, ct: ct2 });

    // split: DH(e_s,e_c) ‖ DH(s_s,e_c) ‖ DH(e_s,s_c) ‖ PSK under the transcript
    const dhSe = suite.x25519.sharedSecret(eC, sSPub);
    const dhEs = identity.agree(offer.e);
    secrets.push(dhSe, dhEs);
    rejectLowOrder(conn.remoteAddr, dhSe, dhEs);
    const transcript = pairingTranscript(suite, offer.e, eCPub, offer.ct, ct2);
    const keys = deriveSessionKeys(suite, transcript, [dhEe, dhSe, dhEs, psk]);
    secrets.push(keys.c2s, keys.s2c);
    const connection = new EncryptedConnection(conn, {
      sendKey: keys.c2s,
      receiveKey: keys.s2c,
      aead: suite.aead,
    });
    return { connection, peerKey: sSPub, paired: true };
  } catch (error) {
    throw closeAfterFailure(conn, error);
  } finally {
    wipe(...secrets);
  }
}

/**
 * Server side of pairing: proves this machine's key under the code's PSK and
 * learns the client's static key. With `windows`, the attempt takes the
 * current window's code and burns it unless it completes, so a wrong code
 * or an abandoned attempt cannot be retried offline.
 *
 * @param conn the client's connection; owned by the result (or closed on failure)
 * @param options identity, code source, first message, deadline
 * @returns the encrypted channel and the client's static key (`paired: true`)
 * @throws {HandshakeError} `wrong_code`, `protocol` or `timeout`
 * @throws {PairingUnavailableError} when `windows` has no usable window
 * @example Usage
 * ```ts ignore
 * const first = await readHandshakeMessage(conn);
 * const { connection, peerKey } = await pairServer(conn, { identity, windows, firstMessage: first });
 * ```
 */
export async function pairServer(
  conn: Connection,
  options: PairServerOptions,
): Promise<HandshakeResult> {
  const suite = options.suite ?? defaultCryptoSuite();
  const { identity, timeoutMs } = options;
  let attempt: PairingAttempt;
  try {
    attempt = startAttempt(conn, options, suite);
  } catch (error) {
    throw closeAfterFailure(conn, error);
  }
  const secrets: Uint8Array[] = [];
  try {
    const eS = ephemeralPrivateKey(suite, options.ephemeralPrivateKey);
    secrets.push(eS);

    // read message 1: pair_hello
    const hello = options.firstMessage
      ? decodeHandshakeMessage(options.firstMessage.bytes, HandshakeKind.PAIR_HELLO)
      : await receiveHandshakeMessage(conn, HandshakeKind.PAIR_HELLO, timeoutMs);
    const psk = await attempt.psk();

    // write message 2: pair_offer with ct1 = AEAD(k1, s_s_pub)
    const eSPub = suite.x25519.publicKey(eS);
    const dhEe = suite.x25519.sharedSecret(eS, hello.e);
    secrets.push(dhEe);
    rejectLowOrder(conn.remoteAddr, dhEe);
    const k1 = pairingKey1(suite, psk, dhEe);
    secrets.push(k1);
    const ct1 = suite.aead.seal(k1, HANDSHAKE_NONCE, identity.publicKey);
    await sendHandshakeMessage(conn, { kind: HandshakeKind.PAIR_OFFER, e: eSPub, ct: ct1 });

    // read message 3: pair_finish; open ct2 with k2 to learn s_c_pub
    const finish = await receivePairFinish(conn, timeoutMs);
    const k2 = pairingKey2(suite, psk, ct1, dhEe);
    secrets.push(k2);
    const sCPub = suite.aead.open(k2, HANDSHAKE_NONCE, finish.ct);
    if (sCPub === null) {
      throw new HandshakeError(
        "wrong_code",
        `Pairing with ${conn.remoteAddr} failed: the client used a different code`,
      );
    }
    if (sCPub.length !== KEY_LENGTH) {
      throw new HandshakeError(
        "protocol",
        `Handshake failed: pair_finish carries a ${sCPub.length}-byte client key, expected ${KEY_LENGTH}`,
      );
    }

    // split: DH(e_s,e_c) ‖ DH(s_s,e_c) ‖ DH(e_s,s_c) ‖ PSK under the transcript
    const dhSe = identity.agree(hello.e);
    const dhEs = suite.x25519.sharedSecret(eS, sCPub);
    secrets.push(dhSe, dhEs);
    rejectLowOrder(conn.remoteAddr, dhSe, dhEs);
    const transcript = pairingTranscript(suite, eSPub, hello.e, ct1, finish.ct);
    const keys = deriveSessionKeys(suite, transcript, [dhEe, dhSe, dhEs, psk]);
    secrets.push(keys.c2s, keys.s2c);
    attempt.succeed(sCPub);
    const connection = new EncryptedConnection(conn, {
      sendKey: keys.s2c,
      receiveKey: keys.c2s,
      aead: suite.aead,
    });
    return { connection, peerKey: sCPub, paired: true };
  } catch (error) {
    attempt.fail(error);
    throw closeAfterFailure(conn, error);
  } finally {
    wipe(...secrets);
  }
}

function startAttempt(
  conn: Connection,
  options: PairServerOptions,
  suite: CryptoSuite,
): PairingAttempt {
  if ((options.code === undefined) === (options.windows === undefined)) {
    throw new TypeError("Cannot start pairing server: pass exactly one of `code` and `windows`");
  }
  if (options.windows) return options.windows.begin(conn.remoteAddr);
  const code = validatePairingCode(options.code!);
  let psk: Promise<Uint8Array> | undefined;
  return {
    psk: () => psk ??= derivePairingPsk(suite, code),
    succeed: () => void psk?.then((p) => p.fill(0)),
    fail: () => void psk?.then((p) => p.fill(0), () => {}),
  };
}

/** Reads pair_finish; a client that hangs up here most likely could not open ct1 (wrong code). */
async function receivePairFinish(conn: Connection, timeoutMs: number | undefined) {
  try {
    return await receiveHandshakeMessage(conn, HandshakeKind.PAIR_FINISH, timeoutMs);
  } catch (error) {
    if (error instanceof HandshakeError && error.cause instanceof ConnectionClosedError) {
      throw new HandshakeError(
        "wrong_code",
        `Pairing with ${conn.remoteAddr} failed: the client hung up after pair_offer, ` +
          "which is what a client with a different code does",
        { cause: error },
      );
    }
    throw error;
  }
}

function checkExpectedServer(conn: Connection, actual: Uint8Array, expected?: Uint8Array): void {
  if (expected === undefined) return;
  if (!bytesEqual(actual, expected)) {
    throw new HandshakeError(
      "unexpected_peer",
      `The server at ${conn.remoteAddr} has key ${fingerprint(actual)}, not the expected ` +
        `${fingerprint(expected)}: check the target key, or pair without it`,
    );
  }
}
