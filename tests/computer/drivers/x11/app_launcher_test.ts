import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import {
  APP_LOG_DIR_ENV,
  AppLauncher,
  parseExec,
} from "../../../../src/computer/drivers/x11/app_launcher.ts";
import { X11Apps } from "../../../../src/computer/drivers/x11/x11_apps.ts";
import { X11Windows } from "../../../../src/computer/drivers/x11/x11_windows.ts";
import {
  activeWindow,
  eventually,
  GTK_APP,
  PYTHON,
  skipDesktop,
  withDesktop,
} from "./_desktop_fixture.ts";

Deno.test("parseExec() splits quoted arguments and drops field codes", () => {
  const cases: Array<[string, string[]]> = [
    ["gedit %U", ["gedit"]],
    ['"/opt/My App/run" --flag=%f --x "a \\"b\\"" 100%%', [
      "/opt/My App/run",
      "--flag=",
      "--x",
      'a "b"',
      "100%",
    ]],
    ["env A=1 prog %F %i %c %k", ["env", "A=1", "prog"]],
    ['prog ""', ["prog", ""]],
  ];
  for (const [exec, expected] of cases) assertEquals(parseExec(exec), expected);
});

async function dataHome(entries: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk-apps-" });
  await Deno.mkdir(`${dir}/applications/sub`, { recursive: true });
  for (const [name, text] of Object.entries(entries)) {
    await Deno.writeTextFile(`${dir}/applications/${name}`, text);
  }
  return dir;
}

const entry = (name: string, exec: string, extra = "") =>
  `[Desktop Entry]\nType=Application\nName=${name}\nExec=${exec}\n${extra}\n[Desktop Action x]\nExec=wrong\n`;

Deno.test("AppLauncher.findEntry() finds entries by id, name and last id part", async () => {
  const dir = await dataHome({
    "org.example.Editor.desktop": entry("Text Editor", "editor %F", "StartupWMClass=Editor"),
    "sub/tool.desktop": entry("Tool", "tool"),
    "hidden.desktop": entry("Hidden", "hidden", "Hidden=true"),
  });
  try {
    const launcher = new AppLauncher({
      env: { XDG_DATA_HOME: dir, XDG_DATA_DIRS: "/nonexistent" },
    });
    const cases: Array<[string, string | null]> = [
      ["org.example.Editor", "org.example.Editor.desktop"],
      ["org.example.Editor.desktop", "org.example.Editor.desktop"],
      ["text editor", "org.example.Editor.desktop"],
      ["editor", "org.example.Editor.desktop"],
      ["sub-tool", "sub-tool.desktop"],
      ["hidden", null],
      ["nothing", null],
    ];
    for (const [name, id] of cases) assertEquals((await launcher.findEntry(name))?.id ?? null, id);
    const found = await launcher.findEntry("editor");
    assertEquals([found?.argv, found?.wmClass], [["editor"], "Editor"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AppLauncher.launch() rejects unknown apps with not_found", async () => {
  const launcher = new AppLauncher({
    env: { PATH: "/nonexistent", XDG_DATA_DIRS: "/nonexistent" },
  });
  const error = await assertRejects(() => launcher.launch("no-such-app-xyz"), RemoteError);
  assertEquals(error.code, "not_found");
});

Deno.test({
  name: "X11Apps open(), list(), focus() and close() a desktop-entry app; a hung app is reported",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env, run }) => {
      const dir = await dataHome({
        "odt.desktop": entry("OD Test", `${PYTHON} ${GTK_APP} --wm-class odapp --title "OD app"`),
        "stubborn.desktop": entry(
          "Stubborn",
          `${PYTHON} ${GTK_APP} --wm-class stubborn --ignore-close`,
        ),
      });
      const windows = await X11Windows.open(display);
      const apps = new X11Apps(windows, {
        env: { ...env, XDG_DATA_HOME: dir, XDG_DATA_DIRS: "/nonexistent" },
        closeGraceMs: 500,
        termWaitMs: 500,
      });
      try {
        await apps.open("OD Test");
        assert((await apps.list()).includes("Odapp"), `apps: ${await apps.list()}`);
        await apps.open("stubborn");
        const stubborn = (await apps.windowsOf("stubborn"))[0]!;
        await apps.focus("Odapp");
        const odapp = (await apps.windowsOf("odapp"))[0]!;
        await eventually(async () => (await activeWindow(run)) === odapp.id ? true : undefined);
        await apps.close("OD Test");
        assertEquals((await apps.list()).includes("Odapp"), false);
        const error = await assertRejects(() => apps.close("stubborn"), RemoteError);
        assertEquals(error.code, "timeout");
        assertEquals(error.details.pids, [stubborn.pid]);
        Deno.kill(stubborn.pid, "SIGKILL");
        await eventually(async () => (await apps.list()).includes("Stubborn") ? undefined : true);
        const missing = await assertRejects(() => apps.focus("nothing-here"), RemoteError);
        assertEquals(missing.code, "not_found");
      } finally {
        await windows.close();
        await Deno.remove(dir, { recursive: true });
      }
    }),
});

Deno.test("AppLauncher.launch() appends an app's stdout and stderr to <log dir>/<name>.log", async () => {
  const root = await Deno.makeTempDir({ prefix: "opendesk_applog_" });
  try {
    const bin = `${root}/bin`;
    await Deno.mkdir(bin);
    await Deno.writeTextFile(
      `${bin}/noisy`,
      '#!/bin/sh\necho "to stdout $1"\necho "to stderr \\033[2J" >&2\necho done >&2\n',
      { mode: 0o755 },
    );
    const logs = `${root}/home/app-logs`;
    const launcher = new AppLauncher({
      env: { PATH: `${bin}:/usr/bin:/bin`, XDG_DATA_DIRS: "/nonexistent", [APP_LOG_DIR_ENV]: logs },
    });
    const launched = await launcher.launch("noisy");
    assertEquals(launched.argv, [`${bin}/noisy`]);
    const log = `${logs}/noisy.log`;
    const deadline = Date.now() + 10_000;
    while (!(await Deno.readTextFile(log)).endsWith("done\n") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const text = await Deno.readTextFile(log);
    assert(/^--- \d{4}-\d\d-\d\dT[\d:.]+Z started noisy\n/.test(text), text);
    assert(text.endsWith("to stdout \nto stderr \x1b[2J\ndone\n"), JSON.stringify(text));
    assertEquals((await Deno.stat(log)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(logs)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "X11Apps.open() waits for the new app's own window while another of its class is open",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, env }) => {
      const windows = await X11Windows.open(display);
      const apps = new X11Apps(windows, {
        env: { ...env, XDG_DATA_HOME: "/nonexistent", XDG_DATA_DIRS: "/nonexistent" },
        closeGraceMs: 2000,
      });
      const xterms = async () => (await windows.list()).filter((w) => w.class === "XTerm");
      try {
        await apps.open("xterm");
        assertEquals((await xterms()).length, 1, "the first xterm's window exists on return");
        await apps.open("xterm");
        assertEquals((await xterms()).length, 2, "the second xterm's window exists on return");
      } finally {
        // Ended by pid: asking the windows to close is slow on a loaded machine and not the
        // subject here.
        for (const w of await xterms()) if (w.pid) Deno.kill(w.pid, "SIGKILL");
        await eventually(async () => (await xterms()).length === 0 ? true : undefined);
        await windows.close();
      }
    }),
});
