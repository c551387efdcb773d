/**
 * Screen lockers are probed with a PATH holding only the test's own fakes (or
 * links to the one real tool under test), so nothing else installed on the
 * machine can change the outcome.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../../../remote/_assert.ts";
import { CapabilityUnsupportedError, RemoteError } from "../../../../src/protocol/errors.ts";
import { lockScreen, probeLockers } from "../../../../src/computer/drivers/x11/screen_lock.ts";
import { LinuxDesktop } from "../../../../src/computer/drivers/x11/linux_desktop.ts";
import { skipX11, withXvfb } from "./_x11_fixture.ts";

/** A PATH directory holding shell scripts `name` → body (they run with /bin/sh, no PATH needed). */
async function scripts(entries: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk-lock-" });
  for (const [name, body] of Object.entries(entries)) {
    await Deno.writeTextFile(`${dir}/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

/** loginctl as it answers on a machine without systemd-logind. */
const NO_LOGIND =
  "echo 'System has not been booted with systemd as init system (PID 1).' >&2; exit 1";
/** xscreensaver-command as it answers when no daemon runs. */
const NO_DAEMON = 'case "$1" in -version) echo "no screensaver is running on display :0" >&2; ' +
  "exit 255;; esac; exit 0";

Deno.test("probeLockers() offers only lockers whose service answers", async () => {
  const dir = await scripts({
    loginctl: NO_LOGIND,
    "dm-tool": "exit 0",
    "xscreensaver-command": `case "$1" in -version) echo XScreenSaver 6.06;; ` +
      `-lock) : > "$0.ran";; esac; exit 0`,
  });
  try {
    const env = { PATH: dir };
    const probe = await probeLockers({ env });
    assertEquals(probe, { usable: ["xscreensaver-command -lock"], reason: "" });
    assertEquals(await lockScreen(probe.usable, { env }), "xscreensaver-command -lock");
    await Deno.stat(`${dir}/xscreensaver-command.ran`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeLockers() says why no installed locker can lock and what to run", async () => {
  const dir = await scripts({
    loginctl: NO_LOGIND,
    "dm-tool": "exit 0",
    "xscreensaver-command": NO_DAEMON,
    "light-locker-command": "exec /bin/sleep 30",
  });
  try {
    const probe = await probeLockers({ env: { PATH: dir }, timeoutMs: 300 });
    assertEquals(probe.usable, []);
    for (
      const part of [
        /'loginctl show-session auto --property=Id' failed: System has not been booted/,
        /'dm-tool lock' needs XDG_SEAT_PATH \(log in through LightDM\)/,
        /no screensaver is running on display :0 \(start the daemon: xscreensaver -no-splash &\)/,
        /'light-locker-command -q' did not answer/,
      ]
    ) assertMatch(probe.reason, part);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeLockers() asks logind about the session named by XDG_SESSION_ID", async () => {
  const dir = await scripts({
    loginctl: `[ "$1 $2" = "show-session c7" ] && exit 0; exit 1`,
  });
  try {
    assertEquals((await probeLockers({ env: { PATH: dir } })).usable, []);
    const env = { PATH: dir, XDG_SESSION_ID: "c7" };
    assertEquals((await probeLockers({ env })).usable, ["loginctl lock-session"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeLockers() says that no locker is installed when PATH has none", async () => {
  const dir = await scripts({});
  try {
    const probe = await probeLockers({ env: { PATH: dir } });
    assertEquals(probe.usable, []);
    assertMatch(probe.reason, /no screen locker is installed .*install and start one/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockScreen() lists every locker tried with its exit code when none works", async () => {
  const dir = await scripts({
    loginctl: "echo 'Failed to lock: no session' >&2; exit 1",
    "xscreensaver-command": "echo 'locking disabled' >&2; exit 255",
  });
  try {
    const lockers = ["loginctl lock-session", "xscreensaver-command -lock", "dm-tool lock"];
    const error = await assertRejects(
      () => lockScreen(lockers, { env: { PATH: dir } }),
      RemoteError,
    );
    assertEquals(error.code, "internal");
    assertMatch(error.message, /'loginctl lock-session' exited with 1 \(Failed to lock/);
    assertMatch(error.message, /'xscreensaver-command -lock' exited with 255 \(locking disabled\)/);
    assertMatch(error.message, /'dm-tool lock' is no longer installed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const noXscreensaver = ["xscreensaver", "xscreensaver-command"].some((tool) => {
  try {
    return !Deno.statSync(`/usr/bin/${tool}`).isFile;
  } catch {
    return true;
  }
});
if (noXscreensaver && !skipX11) console.log("skipping the xscreensaver test: it is not installed");

Deno.test({
  name: "LinuxDesktop advertises power.lock only while a real xscreensaver daemon answers",
  ignore: skipX11 || (noXscreensaver && Deno.env.get("CI") !== "true"),
  fn: () =>
    withXvfb(async (xvfb) => {
      const dir = await scripts({ loginctl: NO_LOGIND });
      const home = await Deno.makeTempDir({ prefix: "opendesk-lock-home-" });
      for (const tool of ["xscreensaver", "xscreensaver-command"]) {
        await Deno.symlink(`/usr/bin/${tool}`, `${dir}/${tool}`);
      }
      const env = { PATH: dir, HOME: home, DISPLAY: xvfb.display };
      let daemon: Deno.ChildProcess | null = null;
      try {
        const none = await LinuxDesktop.open({ display: xvfb.display, env });
        try {
          assert(!none.capabilities().includes("power.lock"));
          const error = await assertRejects(() => none.lockScreen(), CapabilityUnsupportedError);
          assertEquals(error.code, "capability_unsupported");
          assertMatch(error.message, /System has not been booted/);
          assertMatch(error.message, /no screensaver is running/);
        } finally {
          await none.close();
        }
        daemon = new Deno.Command(`${dir}/xscreensaver`, {
          args: ["-no-splash"],
          env,
          clearEnv: true,
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn();
        // The daemon answers once it has started; ask until it does.
        let probe = await probeLockers({ env });
        for (let i = 0; i < 100 && probe.usable.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          probe = await probeLockers({ env });
        }
        assertEquals(probe.usable, ["xscreensaver-command -lock"]);
        const desktop = await LinuxDesktop.open({ display: xvfb.display, env });
        try {
          assert(desktop.capabilities().includes("power.lock"));
        } finally {
          await desktop.close();
        }
      } finally {
        if (daemon) {
          daemon.kill("SIGTERM");
          await daemon.status;
        }
        await Deno.remove(dir, { recursive: true });
        await Deno.remove(home, { recursive: true });
      }
    }),
});
