import { assert, assertEquals } from "../remote/_assert.ts";
import { buildNative } from "../../scripts/build_native.ts";
import { skipX11 } from "../computer/drivers/x11/_x11_fixture.ts";

Deno.test({
  name: "buildNative() with ifStale leaves an up-to-date library alone",
  ignore: skipX11,
  fn: async () => {
    const first = await buildNative({ ifStale: true });
    assert(Deno.statSync(first.library).isFile, first.library);
    const before = Deno.statSync(first.library).mtime?.getTime();
    const second = await buildNative({ ifStale: true });
    assertEquals([second.built, second.library], [false, first.library]);
    assertEquals(Deno.statSync(second.library).mtime?.getTime(), before);
  },
});

Deno.test({
  name: "buildNative() compiles every Linux driver it can and says why it left the others out",
  ignore: skipX11,
  fn: async () => {
    const result = await buildNative();
    assertEquals(result.built, true);
    assert(result.drivers.includes("x11"), result.drivers.join(","));
    for (const { driver, reason } of result.skipped) {
      assert(!result.drivers.includes(driver), driver);
      assert(/has no C sources|install the Debian packages/.test(reason), reason);
    }
    assertEquals(
      [...result.drivers, ...result.skipped.map((s) => s.driver)].sort(),
      ["wayland", "x11"],
    );
  },
});
