import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { clipboardTextOf, textClipboard } from "../../../../src/computer/types/clipboard.ts";
import { X11Clipboard } from "../../../../src/computer/drivers/x11/x11_clipboard.ts";
import { eventually, skipDesktop, withDesktop, within } from "./_desktop_fixture.ts";

const MIB = 1024 * 1024;

/** Starts `xclip -i` owning the clipboard with `data`; returns the owner process. */
async function xclipOwn(
  env: Record<string, string>,
  data: Uint8Array,
  target = "UTF8_STRING",
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command("xclip", {
    args: ["-i", "-selection", "clipboard", "-t", target, "-quiet"],
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(data);
  await w.close();
  return child;
}

async function xclipRead(env: Record<string, string>, target?: string): Promise<Uint8Array> {
  const args = ["-o", "-selection", "clipboard", ...(target ? ["-t", target] : [])];
  const res = await new Deno.Command("xclip", {
    args,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  return res.stdout;
}

function pattern(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = 97 + (i * 7 + (i >> 10)) % 26;
  return out;
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // gone
  }
  await child.status;
}

Deno.test({
  name: "X11Clipboard.write() serves text, HTML and 10 MiB (INCR) to xclip",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env }) => {
      const clipboard = await X11Clipboard.open(display);
      try {
        await clipboard.write({
          entries: [
            { mime_type: "text/plain;charset=utf-8", data: new TextEncoder().encode("héllo ✓") },
            { mime_type: "text/html", data: new TextEncoder().encode("<b>héllo</b>") },
          ],
        });
        assertEquals(new TextDecoder().decode(await xclipRead(env)), "héllo ✓");
        assertEquals(new TextDecoder().decode(await xclipRead(env, "text/html")), "<b>héllo</b>");
        const targets = new TextDecoder().decode(await xclipRead(env, "TARGETS")).split("\n")
          .filter((t) => t !== "");
        for (const t of ["UTF8_STRING", "STRING", "TEXT", "text/html", "TARGETS"]) {
          assert(targets.includes(t), `TARGETS lists ${t}: ${targets}`);
        }
        // Each target once: the text entry's own type is also one of the text aliases.
        assertEquals(targets.filter((t) => t === "text/plain;charset=utf-8").length, 1);
        assertEquals(new Set(targets).size, targets.length, `TARGETS repeats one: ${targets}`);
        const big = pattern(10 * MIB);
        await clipboard.write({ entries: [{ mime_type: "text/plain;charset=utf-8", data: big }] });
        const got = await xclipRead(env);
        assertEquals(got.length, big.length);
        assert(got.every((b, i) => b === big[i]), "10 MiB arrive intact");
      } finally {
        await clipboard.close();
      }
    }),
});

Deno.test({
  name: "X11Clipboard.read() reads what xclip owns, including 10 MiB over INCR",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env }) => {
      const clipboard = await X11Clipboard.open(display);
      const owners: Deno.ChildProcess[] = [];
      try {
        owners.push(await xclipOwn(env, new TextEncoder().encode("from xclip ✓")));
        const text = await eventually(async () =>
          clipboardTextOf(await clipboard.read()) ?? undefined
        );
        assertEquals(text, "from xclip ✓");
        await stop(owners.pop()!);
        const big = pattern(10 * MIB);
        owners.push(await xclipOwn(env, big));
        const contents = await eventually(async () => {
          const c = await clipboard.read({ timeoutMs: 5000 });
          return c.entries[0]?.data.length === big.length ? c : undefined;
        });
        assertEquals(contents.entries[0]!.mime_type, "text/plain;charset=utf-8");
        assert(contents.entries[0]!.data.every((b, i) => b === big[i]), "10 MiB intact");
        await stop(owners.pop()!);
        owners.push(await xclipOwn(env, new Uint8Array([0x89, 0x50, 0x4e, 0x47]), "image/png"));
        const png = await eventually(async () => {
          const c = await clipboard.read();
          return c.entries.find((e) => e.mime_type === "image/png");
        });
        assertEquals([...png.data], [0x89, 0x50, 0x4e, 0x47]);
      } finally {
        for (const o of owners) await stop(o);
        await clipboard.close();
      }
    }),
});

Deno.test({
  name: "X11Clipboard.read() is empty when the owner died and times out on a hung owner",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env }) => {
      const clipboard = await X11Clipboard.open(display);
      const owner = await xclipOwn(env, new TextEncoder().encode("hung"));
      try {
        await eventually(async () => (await clipboard.read()).entries.length > 0 || undefined);
        owner.kill("SIGSTOP");
        // The read's own deadline ends it with `timeout` (the outer bound only catches a hang).
        const error = await within(
          assertRejects(() => clipboard.read({ timeoutMs: 300 }), RemoteError),
          "the read from a hung owner",
        );
        assertEquals(error.code, "timeout");
        owner.kill("SIGKILL");
        await owner.status;
        const after = await eventually(async () => {
          const c = await clipboard.read({ timeoutMs: 300 }).catch(() => undefined);
          return c && c.entries.length === 0 ? c : undefined;
        });
        assertEquals(after.entries, []);
      } finally {
        await stop(owner);
        await clipboard.close();
      }
    }),
});

Deno.test({
  name: "X11Clipboard round trip through itself and ownership ends when another client takes it",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env }) => {
      const a = await X11Clipboard.open(display);
      const b = await X11Clipboard.open(display);
      try {
        await a.write(textClipboard("from a"));
        assertEquals(clipboardTextOf(await b.read()), "from a");
        const owner = await xclipOwn(env, new TextEncoder().encode("taken"));
        try {
          assertEquals(
            await eventually(async () => {
              const t = clipboardTextOf(await a.read());
              return t === "taken" ? t : undefined;
            }),
            "taken",
          );
        } finally {
          await stop(owner);
        }
        const error = await assertRejects(
          () => a.write({ entries: [{ mime_type: "", data: new Uint8Array() }] }),
          RemoteError,
        );
        assertEquals(error.code, "invalid_argument");
      } finally {
        await a.close();
        await b.close();
      }
    }),
});

Deno.test({
  name:
    "X11Clipboard.write() after a larger write serves exactly the new entries; queued writes end with the last",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env }) => {
      const a = await X11Clipboard.open(display);
      try {
        const big = pattern(3 * MIB);
        await a.write({ entries: [{ mime_type: "text/plain;charset=utf-8", data: big }] });
        const got = await xclipRead(env);
        assertEquals(got.length, big.length);
        assert(got.every((b, i) => b === big[i]), "3 MiB arrive intact");
        // A smaller write reuses the packing buffer: nothing of the larger one may show.
        await a.write(textClipboard("small"));
        assertEquals(new TextDecoder().decode(await xclipRead(env)), "small");
        // Writes not awaited one by one still run in order.
        await Promise.all([
          a.write(textClipboard("first")),
          a.write({ entries: [{ mime_type: "text/plain;charset=utf-8", data: pattern(MIB) }] }),
          a.write(textClipboard("last")),
        ]);
        assertEquals(new TextDecoder().decode(await xclipRead(env)), "last");
      } finally {
        await a.close();
      }
    }),
});
