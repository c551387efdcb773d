/**
 * A separate trust-store writer process for the concurrency tests: prints
 * `ready`, waits for one line on stdin (the start signal shared by all
 * children), runs one mutation, prints `done`.
 *
 * Usage: `_trust_writer_child.ts HOME describe NAME TEXT` or `… HOME remove NAME`.
 *
 * @module
 */

import { TrustStore } from "../../src/auth/trust_store.ts";

const [home, op, name, text] = Deno.args;
const store = new TrustStore(home!);
console.log("ready");
const reader = Deno.stdin.readable.getReader();
await reader.read();
if (op === "describe") store.setDescriptionOverride(name!, text!);
else if (op === "remove") store.remove(name!);
else throw new Error(`Unknown operation "${op}"`);
console.log("done");
