/**
 * Why an authentication to a paired machine failed, once the client has
 * looked at what that address announces: the machine there has a different
 * key than the one paired (a reinstall, or another machine), or it holds the
 * paired key and no longer trusts this controller.
 *
 * @module
 */

import { HandshakeError } from "../auth/errors.ts";
import { fingerprint } from "../auth/fingerprint.ts";

/** The machine at the paired address announces a different key than the one paired. */
export class ServerKeyChangedError extends HandshakeError {
  /** The name the machine is paired under. */
  readonly peerName: string;
  /** Fingerprint of the key stored at pairing. */
  readonly storedFingerprint: string;
  /** Fingerprint of the key the address announces now. */
  readonly offeredFingerprint: string;
  constructor(
    peerName: string,
    host: string,
    port: number,
    stored: Uint8Array,
    offered: Uint8Array,
    options?: ErrorOptions,
  ) {
    const label = peerName || `${host}:${port}`;
    super(
      "unexpected_peer",
      `WARNING: THE IDENTITY OF ${label.toUpperCase()} HAS CHANGED\n` +
        `  paired key (stored):   ${fingerprint(stored)}\n` +
        `  key announced now:     ${fingerprint(offered)} (at ${host}:${port}, by mDNS)\n` +
        "Either that machine was reinstalled or reset, or another machine answers at its address " +
        "(someone may be impersonating it). Nothing was sent to it. If you know the machine was " +
        `reset, remove the old pairing with \`opendesk peers remove ${label}\` and pair again ` +
        `with \`opendesk pair-with ${host} CODE\` (arm a code there with \`opendesk pair\`)`,
      options,
    );
    this.name = "ServerKeyChangedError";
    this.peerName = peerName;
    this.storedFingerprint = fingerprint(stored);
    this.offeredFingerprint = fingerprint(offered);
  }
}

/** The machine holds the paired key but refused this controller: it was unpaired there. */
export class NotTrustedByServerError extends HandshakeError {
  constructor(label: string, certain: boolean, options?: ErrorOptions) {
    super(
      certain ? "untrusted_peer" : "unexpected_peer",
      certain
        ? `${label} no longer trusts this controller (it was unpaired or reset there); ask ` +
          "the person at that machine to arm a pairing code (`opendesk pair`), then run " +
          "`opendesk pair-with` again"
        : `${label} refused this controller: either it no longer trusts this controller (it was ` +
          "unpaired there) or its identity changed (no mDNS answer told which); if it was " +
          "unpaired, pair again with `opendesk pair-with HOST CODE` after `opendesk pair` there",
      options,
    );
    this.name = "NotTrustedByServerError";
  }
}
