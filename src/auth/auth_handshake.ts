/**
 * The auth handshake: reconnecting peers that know each other's static keys,
 * 2 messages. Each function reads like the step list in docs/protocol.md,
 * "Auth (reconnect with static keys, 2 messages)".
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { bytesEqual, wipe } from "./_bytes.ts";
import { closeAfterFailure, ephemeralPrivateKey, rejectLowOrder } from "./_handshake_util.ts";
import {
  AUTH_OK_PLAINTEXT,
  AUTH_PROOF_LENGTH,
  HANDSHAKE_NONCE,
  HandshakeKind,
  KEY_LENGTH,
} from "./constants.ts";
import { defaultCryptoSuite } from "./crypto_suite.ts";
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
import { authProofKey, authTranscript, deriveSessionKeys } from "./key_schedule.ts";

/** Options of {@linkcode authClient}. */
export interface AuthClientOptions extends HandshakeOptions {
  /** The server's static public key, learned when pairing (32 bytes). */
  serverKey: Uint8Array;
}

/** Options of {@linkcode authServer}. */
export interface AuthServerOptions extends HandshakeOptions {
  /**
   * Whether `clientKey` may connect (for `serve`: a trusted controller). Asked
   * once per handshake, so a trust store that re-reads its file sees pairings
   * made by other processes.
   */
  isTrusted(clientKey: Uint8Array): boolean | Promise<boolean>;
  /** The `auth_hello` already read by the server's router (`readHandshakeMessage`). */
  firstMessage?: ReceivedHandshakeMessage;
}

/**
 * Client side of auth: proves nothing yet (its first encrypted frame will),
 * checks that the server holds `serverKey`.
 *
 * @param conn a fresh transport connection; owned by the result (or closed on failure)
 * @param options identity, the server's key, deadline
 * @returns the encrypted channel (`paired: false`, `peerKey` = `serverKey`)
 * @throws {HandshakeError} `unexpected_peer` (wrong key, or the server does not trust us), `protocol`, `timeout`
 * @throws {TypeError} when `serverKey` is not 32 bytes (nothing is sent; the connection is closed)
 * @example Usage
 * ```ts ignore
 * const { connection } = await authClient(ws, { identity, serverKey });
 * ```
 */
export async function authClient(
  conn: Connection,
  options: AuthClientOptions,
): Promise<HandshakeResult> {
  const { identity, timeoutMs, serverKey } = options;
  const suite = options.suite ?? defaultCryptoSuite();
  const secrets: Uint8Array[] = [];
  try {
    if (serverKey.length !== KEY_LENGTH) {
      throw new TypeError(
        `Cannot authenticate: the server key must be ${KEY_LENGTH} bytes, received ${serverKey.length}`,
      );
    }
    const eC = ephemeralPrivateKey(suite, options.ephemeralPrivateKey);
    secrets.push(eC);
    const eCPub = suite.x25519.publicKey(eC);

    // write message 1: auth_hello with e_c_pub and s_c_pub (in clear: v1 cannot hide it)
    await sendHandshakeMessage(conn, {
      kind: HandshakeKind.AUTH_HELLO,
      e: eCPub,
      s: identity.publicKey,
    });

    // read message 2: auth_offer
    const offer = await receiveHandshakeMessage(conn, HandshakeKind.AUTH_OFFER, timeoutMs);

    // the server's proof: open ct with k = HKDF(transcript, d1 ‖ d2)
    const transcript = authTranscript(suite, offer.e, eCPub, identity.publicKey);
    const d1 = suite.x25519.sharedSecret(eC, offer.e);
    const d2 = suite.x25519.sharedSecret(eC, serverKey);
    const d3 = identity.agree(offer.e);
    const d4 = identity.agree(serverKey);
    secrets.push(d1, d2, d3, d4);
    rejectLowOrder(conn.remoteAddr, d1, d2, d3, d4);
    const k = authProofKey(suite, transcript, d1, d2);
    secrets.push(k);
    if (offer.ct.length === 0) {
      // The reference server answers a key it does not trust with an empty proof.
      throw new HandshakeError(
        "untrusted_peer",
        `The server at ${conn.remoteAddr} does not trust this controller (key ` +
          `${fingerprint(identity.publicKey)}): it was unpaired there; pair again with ` +
          "`opendesk pair-with`",
      );
    }
    const proof = suite.aead.open(k, HANDSHAKE_NONCE, offer.ct);
    if (proof === null) {
      throw new HandshakeError(
        "unexpected_peer",
        `The server at ${conn.remoteAddr} did not prove it holds key ${fingerprint(serverKey)}: ` +
          "it may no longer trust this machine, it may have a new identity, or the connection " +
          "reached a different machine; if the server was reset, pair again with `opendesk pair-with`",
      );
    }
    if (!bytesEqual(proof, AUTH_OK_PLAINTEXT)) {
      throw new HandshakeError(
        "protocol",
        'Handshake failed: the server\'s auth proof is not "ok"',
      );
    }

    // split: d1 ‖ d2 ‖ d3 ‖ d4 under the transcript (no PSK)
    const keys = deriveSessionKeys(suite, transcript, [d1, d2, d3, d4]);
    secrets.push(keys.c2s, keys.s2c);
    const connection = new EncryptedConnection(conn, {
      sendKey: keys.c2s,
      receiveKey: keys.s2c,
      aead: suite.aead,
    });
    return { connection, peerKey: serverKey.slice(), paired: false };
  } catch (error) {
    throw closeAfterFailure(conn, error);
  } finally {
    wipe(...secrets);
  }
}

/**
 * Server side of auth: proves this machine's key to a client it trusts. An
 * untrusted client gets the same DH work and 18 random bytes as `ct`, so
 * probes cannot tell trusted keys from untrusted ones: it fails exactly like a client facing the wrong server.
 *
 * The client has not proven its static key when this returns: its first
 * encrypted frame does. Decide evictions and `busy` only after it
 * decrypts.
 *
 * @param conn the client's connection; owned by the result (or closed on failure)
 * @param options identity, trust check, first message, deadline
 * @returns the encrypted channel and the client's static key (`paired: false`)
 * @throws {HandshakeError} `untrusted_peer`, `protocol` or `timeout`
 * @example Usage
 * ```ts ignore
 * const result = await authServer(conn, {
 *   identity,
 *   isTrusted: (key) => store.isTrustedController(key),
 * });
 * ```
 */
export async function authServer(
  conn: Connection,
  options: AuthServerOptions,
): Promise<HandshakeResult> {
  const suite = options.suite ?? defaultCryptoSuite();
  const { identity, timeoutMs } = options;
  const secrets: Uint8Array[] = [];
  try {
    const eS = ephemeralPrivateKey(suite, options.ephemeralPrivateKey);
    secrets.push(eS);

    // read message 1: auth_hello
    const hello = options.firstMessage
      ? decodeHandshakeMessage(options.firstMessage.bytes, HandshakeKind.AUTH_HELLO)
      : await receiveHandshakeMessage(conn, HandshakeKind.AUTH_HELLO, timeoutMs);

    // trust check (the caller re-reads its trust file)
    const trusted = await options.isTrusted(hello.s.slice());

    // key schedule, done in full whether or not the client is trusted
    const eSPub = suite.x25519.publicKey(eS);
    const transcript = authTranscript(suite, eSPub, hello.e, hello.s);
    const d1 = suite.x25519.sharedSecret(eS, hello.e);
    const d2 = identity.agree(hello.e);
    const d3 = suite.x25519.sharedSecret(eS, hello.s);
    const d4 = identity.agree(hello.s);
    secrets.push(d1, d2, d3, d4);
    rejectLowOrder(conn.remoteAddr, d1, d2, d3, d4);
    const k = authProofKey(suite, transcript, d1, d2);
    const proof = suite.aead.seal(k, HANDSHAKE_NONCE, AUTH_OK_PLAINTEXT);
    const keys = deriveSessionKeys(suite, transcript, [d1, d2, d3, d4]);
    secrets.push(k, keys.c2s, keys.s2c);

    if (!trusted) {
      // write message 2′: random bytes of a real proof's length, then refuse,
      // so an untrusted key looks like a trusted one talking to the wrong server
      const decoy = suite.randomBytes(AUTH_PROOF_LENGTH);
      await sendHandshakeMessage(conn, { kind: HandshakeKind.AUTH_OFFER, e: eSPub, ct: decoy });
      throw new HandshakeError(
        "untrusted_peer",
        `Authentication refused for ${conn.remoteAddr}: key ${fingerprint(hello.s)} is not a ` +
          "trusted controller of this machine; pair it with `opendesk pair` first",
      );
    }

    // write message 2: auth_offer with the proof
    await sendHandshakeMessage(conn, { kind: HandshakeKind.AUTH_OFFER, e: eSPub, ct: proof });
    const connection = new EncryptedConnection(conn, {
      sendKey: keys.s2c,
      receiveKey: keys.c2s,
      aead: suite.aead,
    });
    return { connection, peerKey: hello.s, paired: false };
  } catch (error) {
    throw closeAfterFailure(conn, error);
  } finally {
    wipe(...secrets);
  }
}
