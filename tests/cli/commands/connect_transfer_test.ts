/**
 * `connect -c "put …"` and `get …` against a real `serve` (in-process, fake
 * desktop, real files) over the encrypted WebSocket link: files of several
 * parts and chunks arrive byte for byte, and a put replaces a file atomically.
 */
import { main } from "../../../src/cli/main.ts";
import { TRANSFER_TUNING } from "../../../src/cli/repl/file_transfer.ts";
import { pairWithArgs, startServe } from "../_util/serve_harness.ts";
import { createTestDeps, type TestDeps } from "../_util/test_deps.ts";
import { assertEquals, assertMatch } from "../_util/assert.ts";

async function cli(args: string[]): Promise<{ code: number; deps: TestDeps }> {
  const deps = createTestDeps();
  const code = await main(args, deps);
  return { code, deps };
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

Deno.test("connect -c put and get copy a file of several parts byte for byte through a real server", async () => {
  const serverHome = await Deno.makeTempDir({ prefix: "opendesk_srv_" });
  const clientHome = await Deno.makeTempDir({ prefix: "opendesk_cli_" });
  const files = await Deno.makeTempDir({ prefix: "opendesk_files_" });
  const serve = await startServe(serverHome, ["--approve", "auto"]);
  try {
    const paired = await cli(pairWithArgs(serve, clientHome));
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    const connect = (line: string) => ["connect", "lab", "--home", clientHome, "-c", line];
    // More than two parts and two chunks, and not a multiple of either.
    const size = 2 * TRANSFER_TUNING.putPartBytes + 2 * TRANSFER_TUNING.getChunkBytes + 12_345;
    const payload = randomBytes(size);
    await Deno.writeFile(`${files}/local.bin`, payload);
    await Deno.mkdir(`${files}/remote`);
    await Deno.writeTextFile(`${files}/remote/copy.bin`, "the old content");

    const put = await cli(connect(`put ${files}/local.bin ${files}/remote/copy.bin`));
    assertEquals(put.code, 0, put.deps.stderr.text);
    assertEquals(put.deps.stdout.text, `wrote ${files}/remote/copy.bin (${size} bytes)\n`);
    assertEquals(await Deno.readFile(`${files}/remote/copy.bin`), payload);
    const left = [];
    for await (const entry of Deno.readDir(`${files}/remote`)) left.push(entry.name);
    assertEquals(left, ["copy.bin"]);

    const get = await cli(connect(`get ${files}/remote/copy.bin ${files}/back.bin`));
    assertEquals(get.code, 0, get.deps.stderr.text);
    assertMatch(get.deps.stdout.text, new RegExp(`saved .*back\\.bin \\(${size} bytes\\)\\n$`));
    assertEquals(await Deno.readFile(`${files}/back.bin`), payload);
  } finally {
    assertEquals(await serve.stop(), 0);
    for (const dir of [serverHome, clientHome, files]) await Deno.remove(dir, { recursive: true });
  }
});
