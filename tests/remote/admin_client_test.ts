import { assertRejects } from "./_assert.ts";
import { AdminServer } from "../../src/remote/admin_server.ts";
import {
  AdminClient,
  AdminRequestError,
  AdminUnavailableError,
} from "../../src/remote/admin_client.ts";
import { handlers, withHome } from "./_admin_fixtures.ts";

Deno.test("AdminClient reports a missing server and failed ops clearly", () =>
  withHome(async (home) => {
    await Deno.mkdir(home, { recursive: true });
    await assertRejects(
      () => new AdminClient(home).list(),
      AdminUnavailableError,
      "opendesk serve",
    );
    const server = await AdminServer.start(home, {
      ...handlers([]),
      pair: () => {
        throw new Error("pairing is locked for 10 minutes after 5 failed attempts");
      },
    });
    try {
      await assertRejects(
        () => new AdminClient(home).pair(),
        AdminRequestError,
        "pairing is locked",
      );
    } finally {
      await server.close();
    }
  }));
