/**
 * The Windows process-tree guard of `process.shell` over the fake DLL: the spawned child joins a
 * job that is not kill-on-close, terminating the job ends the child and what it started, and a
 * child that has already exited gives no guard.
 */

import { assert, assertEquals } from "../../../remote/_assert.ts";
import { guardProcessTree } from "../../../../src/computer/drivers/win32/process_tree_guard.ts";
import { FakeWin32Library } from "./_fake_win32_library.ts";

Deno.test("guardProcessTree() ends the whole tree through the job", async () => {
  const fake = new FakeWin32Library();
  const d = fake.desktop;
  d.processes.add(7000);
  const guard = guardProcessTree(7000, fake.symbols);
  assert(guard !== null, "the child joined a job");
  assertEquals(fake.callsOf("od_job_create")[0]?.[0], 0, "not kill-on-close");
  const job = [...d.jobs.values()][0]!;
  job.pids.add(7001); // a grandchild the shell started (Windows adds it to the job itself)
  d.processes.add(7001);
  guard.terminate();
  assert(!d.processes.has(7000) && !d.processes.has(7001), "child and grandchild ended");
  await guard.release();
  assert(job.destroyed);
});

Deno.test("guardProcessTree() releases without killing when the command ended normally", async () => {
  const fake = new FakeWin32Library();
  fake.desktop.processes.add(7100);
  const guard = guardProcessTree(7100, fake.symbols);
  await guard!.release();
  assert(fake.desktop.processes.has(7100), "a background program keeps running");
});

Deno.test("guardProcessTree() of a process that already exited is null", () => {
  const fake = new FakeWin32Library();
  assertEquals(guardProcessTree(9999, fake.symbols), null);
  assert([...fake.desktop.jobs.values()].every((j) => j.destroyed), "the unused job is freed");
});
