import { assert, assertEquals } from "../remote/_assert.ts";
import { buildNative } from "../../scripts/build_native.ts";
import { skipX11 } from "../computer/native/_x11_fixture.ts";

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
