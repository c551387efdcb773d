import { assertEquals } from "../../../remote/_assert.ts";
import {
  loadNative,
  NATIVE_STATUS,
  nativeLibraryCandidates,
} from "../../../../src/computer/drivers/x11/ffi.ts";
import {
  NativeError,
  nativeStatusName,
} from "../../../../src/computer/drivers/x11/native_error.ts";
import { unwrap } from "../../../../src/computer/drivers/x11/_native_util.ts";
import { assertThrows } from "../../../remote/_assert.ts";
import { prepareNative, skipX11 } from "./_x11_fixture.ts";

Deno.test({
  name: "NATIVE_STATUS names match od_status_name() for every code",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    const lib = loadNative();
    const buf = new Uint8Array(64);
    const len = new Uint32Array(1);
    for (let code = 0; code < 0x50; code++) {
      lib.symbols.od_status_name(code, buf, buf.length, len);
      const cName = new TextDecoder().decode(buf.subarray(0, len[0]));
      assertEquals(nativeStatusName(code), cName, `status 0x${code.toString(16)}`);
    }
    const version = new Uint32Array(1);
    lib.symbols.od_abi_version(version);
    assertEquals(version[0], 1);
  },
});

Deno.test({
  name: "od_library_drivers() names x11, and od_last_error() says why the last call failed",
  ignore: skipX11,
  fn: async () => {
    await prepareNative();
    const lib = loadNative();
    const buf = new Uint8Array(256);
    const len = new Uint32Array(1);
    assertEquals(lib.symbols.od_library_drivers(buf, buf.length, len), NATIVE_STATUS.OD_OK);
    const drivers = new TextDecoder().decode(buf.subarray(0, len[0])).split("\n");
    assertEquals(drivers.includes("x11"), true, drivers.join(","));
    assertEquals(drivers.at(-1), "");
    const out = new BigUint64Array(1);
    assertEquals(lib.symbols.od_diff_create(3, out), NATIVE_STATUS.OD_ERR_INVALID_ARGUMENT);
    assertEquals(lib.symbols.od_last_error(buf, buf.length, len), NATIVE_STATUS.OD_OK);
    assertEquals(new TextDecoder().decode(buf.subarray(0, len[0])), "Tile size 3 is outside 8-512");
  },
});

Deno.test("nativeLibraryCandidates() looks at the env var, the executable's folder, then build/", () => {
  const saved = Deno.env.get("OPENDESK_NATIVE_LIB");
  Deno.env.set("OPENDESK_NATIVE_LIB", "/opt/x/libopendesk.so");
  try {
    const sources = nativeLibraryCandidates().map((c) => c.source);
    assertEquals(sources, ["OPENDESK_NATIVE_LIB", "next to the executable", "the build folder"]);
    assertEquals(nativeLibraryCandidates()[0]?.path, "/opt/x/libopendesk.so");
  } finally {
    if (saved === undefined) Deno.env.delete("OPENDESK_NATIVE_LIB");
    else Deno.env.set("OPENDESK_NATIVE_LIB", saved);
  }
});

Deno.test("unwrap() turns a failed status into a NativeError with its name", () => {
  unwrap(NATIVE_STATUS.OD_OK, "do nothing");
  const error = assertThrows(
    () => unwrap(NATIVE_STATUS.OD_ERR_X11_NO_EXTENSION, "inject input"),
    NativeError,
    "Cannot inject input: OD_ERR_X11_NO_EXTENSION",
  );
  assertEquals([error.code, error.status], ["NATIVE", 0x23]);
  const detailed = assertThrows(
    () => unwrap(0x21, "capture", () => "The X server connection was lost: reopen the display"),
    NativeError,
  );
  assertEquals(detailed.message, "The X server connection was lost: reopen the display");
  assertEquals(nativeStatusName(0x7f), "OD_ERR_UNKNOWN");
});
