import assert from "node:assert/strict";
import { Deadlines } from "../../src/protocol/_deadlines.ts";
import { delay } from "./_util.ts";

Deno.test("Deadlines.add() fires deadlines in time order, each once", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.add(30, () => fired.push("c"));
  deadlines.add(10, () => fired.push("a")); // earlier than the armed timer: re-arms
  deadlines.add(20, () => fired.push("b"));
  await delay(60);
  assert.deepEqual(fired, ["a", "b", "c"]);
  deadlines.clear();
});

Deno.test("Deadlines.cancel() keeps a deadline from firing", async () => {
  const deadlines = new Deadlines();
  const fired: number[] = [];
  const first = deadlines.add(10, () => fired.push(1));
  deadlines.add(15, () => fired.push(2));
  deadlines.cancel(first);
  deadlines.cancel(first); // no effect the second time
  await delay(40);
  assert.deepEqual(fired, [2]);
  deadlines.clear();
});

Deno.test("Deadlines.cancel() of many entries keeps the survivors in order", async () => {
  const deadlines = new Deadlines();
  const fired: number[] = [];
  const entries = Array.from(
    { length: 1000 },
    (_, i) => deadlines.add(5 + (i % 7), () => fired.push(i)),
  );
  for (const [i, entry] of entries.entries()) if (i % 100 !== 0) deadlines.cancel(entry);
  await delay(40);
  assert.deepEqual(fired.sort((a, b) => a - b), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  deadlines.clear();
});

Deno.test("Deadlines.clear() stops everything", async () => {
  const deadlines = new Deadlines();
  let fired = false;
  deadlines.add(5, () => (fired = true));
  deadlines.clear();
  await delay(20);
  assert.equal(fired, false);
});

Deno.test("Deadlines keeps working after every deadline was cancelled", async () => {
  const deadlines = new Deadlines();
  for (let i = 0; i < 100; i++) deadlines.cancel(deadlines.add(1000, () => {}));
  let fired = false;
  deadlines.add(5, () => (fired = true));
  await delay(30);
  assert.equal(fired, true);
  deadlines.clear();
});
