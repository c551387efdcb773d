import assert from "node:assert/strict";
import { Deadlines } from "../../src/protocol/_deadlines.ts";

/**
 * A promise settled by the deadline that is due last: deadlines fire in time order, so once it
 * has fired every earlier one has fired too (or was cancelled). Waiting for it instead of for a
 * fixed sleep keeps the tests exact on a loaded machine; `ms` bounds a hang.
 */
function lastDeadline(
  deadlines: Deadlines,
  at: number,
  onFire: () => void = () => {},
  ms = 10_000,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const hang = setTimeout(
      () => reject(new Error(`The deadline due at ${at} ms had not fired after ${ms} ms`)),
      ms,
    );
    deadlines.add(at, () => {
      clearTimeout(hang);
      onFire();
      resolve();
    });
  });
}

Deno.test("Deadlines.add() fires deadlines in time order, each once", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  const last = lastDeadline(deadlines, 30, () => fired.push("c"));
  deadlines.add(10, () => fired.push("a")); // earlier than the armed timer: re-arms
  deadlines.add(20, () => fired.push("b"));
  await last;
  assert.deepEqual(fired, ["a", "b", "c"]);
  // Each once: a later deadline fires without repeating the earlier ones.
  await lastDeadline(deadlines, 1);
  assert.deepEqual(fired, ["a", "b", "c"]);
  deadlines.clear();
});

Deno.test("Deadlines.cancel() keeps a deadline from firing", async () => {
  const deadlines = new Deadlines();
  const fired: number[] = [];
  const first = deadlines.add(10, () => fired.push(1));
  const last = lastDeadline(deadlines, 15, () => fired.push(2));
  deadlines.cancel(first);
  deadlines.cancel(first); // no effect the second time
  await last;
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
  const last = lastDeadline(deadlines, 12);
  for (const [i, entry] of entries.entries()) if (i % 100 !== 0) deadlines.cancel(entry);
  await last;
  assert.deepEqual(fired.sort((a, b) => a - b), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  deadlines.clear();
});

Deno.test("Deadlines.clear() stops everything", async () => {
  const cleared = new Deadlines();
  let fired = false;
  cleared.add(5, () => (fired = true));
  cleared.clear();
  // A deadline due later on a separate instance: by the time it fires, a cleared one would have.
  const witness = new Deadlines();
  await lastDeadline(witness, 10);
  await lastDeadline(witness, 1); // one more turn for any timer already due
  assert.equal(fired, false);
  witness.clear();
});

Deno.test("Deadlines keeps working after every deadline was cancelled", async () => {
  const deadlines = new Deadlines();
  for (let i = 0; i < 100; i++) deadlines.cancel(deadlines.add(1000, () => {}));
  await lastDeadline(deadlines, 5);
  deadlines.clear();
});
