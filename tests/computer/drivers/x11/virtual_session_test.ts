/**
 * The private desktop of `serve --virtual-display`: its own bus, AT-SPI and
 * window manager make every desktop capability work there, and stopping it
 * leaves no process behind.
 */
import { assert, assertEquals } from "../../../remote/_assert.ts";
import { selectComputer } from "../../../../src/computer/host/select_computer.ts";
import { startVirtualSession } from "../../../../src/computer/drivers/x11/virtual_session.ts";
import { TEXT_MIME_TYPE } from "../../../../src/computer/types/clipboard.ts";
import { descendantsOf, procState } from "../../../../src/computer/host/process_list.ts";
import { eventually, GTK_APP, PYTHON, skipDesktop } from "./_desktop_fixture.ts";
import { prepareNative } from "./_x11_fixture.ts";

const NOTIFICATION_DAEMON = "/usr/lib/notification-daemon/notification-daemon";

async function running(pids: readonly number[]): Promise<number[]> {
  const left: number[] = [];
  for (const pid of pids) {
    const state = await procState(pid);
    if (state !== null && state !== "Z" && state !== "X") left.push(pid);
  }
  return left;
}

Deno.test({
  name: "startVirtualSession() gives ui.tree and notifications a private bus and stops everything",
  ignore: skipDesktop,
  fn: async () => {
    await prepareNative();
    const session = await startVirtualSession({ width: 800, height: 600, wm: true });
    let started: number[] = [];
    try {
      assertEquals(session.notes, []);
      assert(session.busAddress.includes(session.runtimeDir), session.busAddress);
      assertEquals((await Deno.stat(session.runtimeDir)).mode! & 0o777, 0o700);
      const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...session.sessionEnv };
      const { computer, driver } = await selectComputer({
        env: (name) => session.sessionEnv[name] ?? Deno.env.get(name),
      });
      assertEquals(driver, "x11");
      const app = new Deno.Command(PYTHON, {
        args: [GTK_APP, "--title", "Session app", "--wm-class", "sessionapp"],
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      const daemon = new Deno.Command(NOTIFICATION_DAEMON, {
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      try {
        const caps = computer.capabilities().capabilities;
        for (const c of ["ui.tree", "ui.actions", "notifications.list", "windows.manipulate"]) {
          assert(caps.includes(c as never), `advertises ${c}: ${caps}`);
        }
        const tree = await eventually(
          () => computer.uiTree({ app: "sessionapp" }).catch(() => undefined),
          10_000,
        );
        assertEquals(tree.metadata.app, "sessionapp");
        await eventually(async () => {
          const sent = await new Deno.Command("notify-send", {
            args: ["-a", "mailer", "Hello session"],
            env,
            clearEnv: true,
          }).output();
          return sent.success ? true : undefined;
        }, 10_000);
        const notes = await eventually(async () => {
          const list = await computer.notifications();
          return list.some((n) => n.title === "Hello session") ? list : undefined;
        });
        assertEquals(notes.find((n) => n.title === "Hello session")?.app, "mailer");
        // The window manager manages the app's window (it got a frame and _NET_WM state).
        const win = await eventually(async () =>
          (await computer.windows()).find((w) => w.title === "Session app")
        );
        await computer.focusWindow(win.id);
        assertEquals((await computer.focusedWindow())?.id, win.id);
      } finally {
        app.kill("SIGKILL");
        daemon.kill("SIGKILL");
        await Promise.all([app.status, daemon.status]);
        await computer.close();
      }
      started = [...session.pids];
      for (const pid of session.pids) started.push(...await descendantsOf(pid));
      assert(started.length >= 5, `Xvfb, bus, AT-SPI (+ its bus), openbox: ${started}`);
    } finally {
      await session.stop();
    }
    assertEquals(await running(started), [], "no process of the session is left");
    await Deno.stat(session.runtimeDir).then(
      () => assert(false, "the runtime directory is removed"),
      () => {},
    );
  },
});

Deno.test({
  name: "Commands and apps started on a virtual session get its DISPLAY, bus and runtime dir",
  ignore: skipDesktop,
  fn: async () => {
    await prepareNative();
    await using session = await startVirtualSession({ width: 640, height: 480, wm: true });
    const { computer, driver } = await selectComputer({
      env: (name) => session.sessionEnv[name] ?? Deno.env.get(name),
      session: session.sessionEnv,
    });
    assertEquals(driver, "x11");
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const xterms = async () => (await computer.windows()).filter((w) => w.app_name === "XTerm");
    try {
      await computer.clipboardWrite({
        entries: [{
          mime_type: TEXT_MIME_TYPE,
          data: new TextEncoder().encode("copied on the virtual desktop"),
        }],
      });
      const pasted = await computer.shell("xclip -o -selection clipboard");
      assertEquals([pasted.returncode, text(pasted.stdout), text(pasted.stderr)], [
        0,
        "copied on the virtual desktop",
        "",
      ]);
      const want = [session.display, session.busAddress, session.runtimeDir];
      const shown = await computer.shell(
        'printf "%s\\n" "$DISPLAY" "$DBUS_SESSION_BUS_ADDRESS" "$XDG_RUNTIME_DIR"',
      );
      assertEquals(text(shown.stdout).split("\n").slice(0, 3), want);
      const printed = await computer.exec(["printenv", "XDG_RUNTIME_DIR"]);
      assertEquals(text(printed.stdout).trim(), session.runtimeDir);
      const own = await computer.shell('printf %s "$DISPLAY"', { env: { DISPLAY: ":12345" } });
      assertEquals(text(own.stdout), ":12345", "a request's own env wins");

      await computer.openApp("xterm");
      const [xterm] = await xterms();
      assert(xterm?.pid, "the xterm window names its pid");
      const environ = (await Deno.readTextFile(`/proc/${xterm.pid}/environ`)).split("\0");
      for (const [name, value] of Object.entries(session.sessionEnv)) {
        assert(environ.includes(`${name}=${value}`), `xterm has ${name}=${value}`);
      }
    } finally {
      for (const w of await xterms()) if (w.pid) Deno.kill(w.pid, "SIGKILL");
      await computer.close();
    }
  },
});

Deno.test({
  name: "startVirtualSession() says what is missing, and refuses --wm without openbox cleanly",
  ignore: skipDesktop,
  fn: async () => {
    await prepareNative();
    // A PATH with Xvfb only: no dbus-daemon, no AT-SPI launcher on it, no openbox.
    const bin = await Deno.makeTempDir({ prefix: "opendesk-session-path-" });
    const xvfb = (Deno.env.get("PATH") ?? "").split(":").map((d) => `${d}/Xvfb`).find((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    })!;
    await Deno.symlink(xvfb, `${bin}/Xvfb`);
    const env = { PATH: bin, HOME: bin };
    try {
      const before = new Set(await descendantsOf(Deno.pid));
      const session = await startVirtualSession({ width: 320, height: 240, env, command: xvfb });
      try {
        assertEquals(session.busAddress, "");
        assertEquals(session.notes, [
          "no session bus: dbus-daemon is not installed (Debian: dbus)",
        ]);
      } finally {
        await session.stop();
      }
      const error = await startVirtualSession({ width: 320, height: 240, env, wm: true }).then(
        () => null,
        (e: Error) => e,
      );
      assertEquals(
        error?.message,
        "the window manager openbox is not installed (Debian: openbox)",
      );
      const left = (await descendantsOf(Deno.pid)).filter((p) => !before.has(p));
      assertEquals(await running(left), [], "the Xvfb of the refused session is stopped");
    } finally {
      await Deno.remove(bin, { recursive: true });
    }
  },
});
