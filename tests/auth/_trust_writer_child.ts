/**
 * A separate trust-store writer process for the concurrency tests: prints
 * `ready`, waits for one line on stdin (the start signal shared by all
 * children), runs one mutation, prints `done`.
 *
 * Usage: `_trust_writer_child.ts HOME describe NAME TEXT`, `… HOME remove NAME`, or
 * `… HOME hang`: take the trust lock, write a temp file and stop before the
 * rename, holding the lock (to be killed there).
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomicSync } from "../../src/auth/_atomic_file.ts";
import { withTrustLock } from "../../src/auth/_trust_lock.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";

const [home, op, name, text] = Deno.args;
if (op === "hang") {
  withTrustLock(home!, () => {
    writeFileAtomicSync(join(home!, "trusted-peers.json"), "[]", {
      beforeRename: (temp) => {
        console.log(`hanging ${temp}`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
    });
  });
}
const store = new TrustStore(home!);
console.log("ready");
const reader = Deno.stdin.readable.getReader();
await reader.read();
if (op === "describe") store.setDescriptionOverride(name!, text!);
else if (op === "remove") store.remove(name!);
else throw new Error(`Unknown operation "${op}"`);
console.log("done");
