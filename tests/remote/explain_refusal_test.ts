import { HandshakeError } from "../../src/auth/errors.ts";
import { fingerprint } from "../../src/auth/fingerprint.ts";
import { explainRefusal } from "../../src/remote/_explain_refusal.ts";
import type { DiscoveredPeer, DiscoverOptions } from "../../src/remote/discovery.ts";
import {
  NotTrustedByServerError,
  ServerKeyChangedError,
} from "../../src/remote/server_identity_error.ts";
import type { ResolvedTarget } from "../../src/remote/target.ts";
import { assert, assertEquals } from "./_assert.ts";

const PAIRED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const OTHER = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
const target: ResolvedTarget = {
  host: "192.168.7.20",
  port: 8423,
  publicKey: PAIRED,
  name: "office",
  source: "peer",
  explicitHost: false,
};

function announced(key: Uint8Array, host = "192.168.7.20", port = 8423): DiscoveredPeer {
  return {
    name: "office-box",
    host,
    port,
    publicKey: key,
    fingerprint: fingerprint(key),
    description: "",
    url: `ws://${host}:${port}`,
  };
}

/** A stand-in for the mDNS browse (the documented seam of explainRefusal). */
function browser(peers: DiscoveredPeer[]): {
  browse: (o: DiscoverOptions) => Promise<DiscoveredPeer[]>;
  calls: DiscoverOptions[];
} {
  const calls: DiscoverOptions[] = [];
  return {
    calls,
    browse: (o) => {
      calls.push(o);
      return Promise.resolve(peers);
    },
  };
}

const failedProof = (): HandshakeError => new HandshakeError("unexpected_peer", "no proof");

Deno.test("explainRefusal() tells a changed server key from a revoked controller", async () => {
  const changed = browser([announced(OTHER, "192.168.7.99"), announced(OTHER)]);
  const error = await explainRefusal(failedProof(), target, {}, changed.browse);
  assert(error instanceof ServerKeyChangedError, String(error));
  assertEquals(
    [error.storedFingerprint, error.offeredFingerprint],
    [fingerprint(PAIRED), fingerprint(OTHER)],
  );
  assert(error.message.startsWith("WARNING: THE IDENTITY OF OFFICE HAS CHANGED\n"));
  assert(error.message.includes("opendesk peers remove office"));
  assertEquals(changed.calls.length, 1);
  assertEquals(changed.calls[0]!.until!(announced(OTHER)), true);
  assertEquals(changed.calls[0]!.until!(announced(OTHER, "192.168.7.99")), false);

  const same = await explainRefusal(failedProof(), target, {}, browser([announced(PAIRED)]).browse);
  assert(same instanceof NotTrustedByServerError);
  assert((same as Error).message.startsWith("office no longer trusts this controller"));

  const silent = await explainRefusal(failedProof(), target, {}, browser([]).browse);
  assert(silent instanceof NotTrustedByServerError);
  assert((silent as Error).message.includes("either it no longer trusts this controller"));
});

Deno.test("explainRefusal() never browses for loopback or with mDNS off, and keeps other errors", async () => {
  for (const [host, mdns] of [["127.0.0.1", true], ["192.168.7.20", false]] as const) {
    const b = browser([announced(OTHER, host)]);
    const error = await explainRefusal(failedProof(), { ...target, host }, { mdns }, b.browse);
    assert(error instanceof NotTrustedByServerError);
    assertEquals(b.calls.length, 0);
  }
  const revoked = new HandshakeError("untrusted_peer", "empty proof");
  const certain = await explainRefusal(revoked, target, {}, browser([]).browse);
  assert((certain as Error).message.startsWith("office no longer trusts this controller"));
  const timeout = new HandshakeError("timeout", "slow");
  assertEquals(await explainRefusal(timeout, target, {}, browser([]).browse), timeout);
});
