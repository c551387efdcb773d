import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { NotificationMonitor } from "../../../../src/computer/drivers/x11/notification_monitor.ts";
import { NativeError } from "../../../../src/computer/drivers/x11/native_error.ts";
import { eventually, skipDesktop, withDesktop } from "./_desktop_fixture.ts";

const DAEMON = "/usr/lib/notification-daemon/notification-daemon";

Deno.test({
  name: "NotificationMonitor.list() records notifications sent with notify-send",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ busAddress, env, run }) => {
      const daemon = new Deno.Command(DAEMON, {
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      const monitor = await NotificationMonitor.open({
        sessionBusAddress: busAddress,
        capacity: 2,
      });
      try {
        await eventually(() =>
          run("notify-send", ["-a", "probe", "probe"]).then(() => true, () => undefined)
        );
        await run("notify-send", ["-a", "mail", "New mail", "From: Ann"]);
        await run("notify-send", ["Second"]);
        // Wait for the last notification sent, not for a count: the list holds two entries
        // (probe, mail) before "Second" arrives.
        let seen: unknown = [];
        const list = await eventually(
          async () => {
            const l = await monitor.list();
            seen = l.map((n) => n.title);
            return l.some((n) => n.title === "Second") && l.every((n) => /^\d+$/.test(n.id))
              ? l
              : undefined;
          },
          10_000,
          'the notification "Second"',
        ).catch((e: Error) => {
          throw new Error(`${e.message}; the monitor holds ${JSON.stringify(seen)}`);
        });
        // Capacity 2: the probe was dropped, the newest two remain, oldest first.
        assertEquals(list.map((n) => [n.app, n.title, n.body]), [
          ["mail", "New mail", "From: Ann"],
          ["notify-send", "Second", ""],
        ]);
        assert(Number(list[1]!.id) > Number(list[0]!.id), "server ids increase");
        assert(Math.abs(list[0]!.timestamp - Date.now() / 1000) < 30, "timestamps are now");
      } finally {
        await monitor.close();
        daemon.kill("SIGTERM");
        await daemon.status;
      }
    }, { dbus: true }),
});

Deno.test("NotificationMonitor.open() fails cleanly without a session bus", async () => {
  const error = await assertRejects(
    () => NotificationMonitor.open({ sessionBusAddress: "unix:path=/nonexistent/opendesk-bus" }),
    NativeError,
  );
  assertEquals(error.statusName, "OD_ERR_DBUS");
});
