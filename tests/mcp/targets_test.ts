import { assert, assertEquals, assertThrows } from "../cli/_util/assert.ts";
import { TrustStore } from "../../src/auth/mod.ts";
import { LOCAL, Targets } from "../../src/mcp/targets.ts";
import type { TargetHandle } from "../../src/mcp/_target.ts";

function key(byte: number): string {
  return byte.toString(16).padStart(2, "0").repeat(32);
}

function fakeHandle(name: string, opened: string[]): TargetHandle {
  opened.push(name);
  let closed = false;
  return {
    computer: undefined as never,
    manifest: () => ({ backend: name }) as never,
    get isClosed() {
      return closed;
    },
    connected: true,
    address: name,
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}

Deno.test("Targets.resolve() follows argument, session, persistent default, the only paired peer, local", async () => {
  const home = await Deno.makeTempDir({ prefix: "od-mcp-targets-" });
  try {
    const opened: string[] = [];
    const targets = new Targets({
      home,
      openLocal: () => Promise.resolve(fakeHandle(LOCAL, opened)),
      openPeer: (name) => Promise.resolve(fakeHandle(name, opened)),
    });
    assertEquals(targets.resolve(), { name: LOCAL, source: "none paired" });
    const store = new TrustStore(home);
    store.add(key(1), "office", "remote");
    store.add(key(9), "laptop-controller", "controller");
    assertEquals(targets.resolve(), { name: "office", source: "only paired" });
    store.add(key(2), "lab", "remote");
    const error = assertThrows(() => targets.resolve()) as Error;
    assert(
      error.message.includes("'office', 'lab'") && error.message.includes("opendesk_use"),
      error.message,
    );
    store.setDefaultPeer("lab");
    assertEquals(targets.resolve(), { name: "lab", source: "persistent" });
    targets.use("office");
    assertEquals(targets.resolve(), { name: "office", source: "session" });
    assertEquals(targets.resolve("local"), { name: LOCAL, source: "argument" });
    assertThrows(() => targets.resolve("nowhere"));
    assertThrows(() => targets.use("laptop-controller-typo"));

    const a = await targets.get("office");
    assertEquals(await targets.get("office"), a, "cached");
    await a.close();
    const b = await targets.get("office");
    assert(a !== b, "a closed connection is opened again");
    assertEquals(opened, ["office", "office"]);
    assertEquals(await targets.disconnect(), ["office"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
