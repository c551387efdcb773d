import { assertEquals, assertThrows } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { charKeysym, keysymFor } from "../../../../src/computer/drivers/x11/keysyms.ts";

Deno.test("keysymFor() maps §6 names, aliases, function keys and characters to X keysyms", () => {
  const cases: Array<[string, number]> = [
    ["return", 0xff0d],
    ["Enter", 0xff0d],
    ["esc", 0xff1b],
    ["spacebar", 0x20],
    ["del", 0xffff],
    ["arrowup", 0xff52],
    ["pgdn", 0xff56],
    ["f1", 0xffbe],
    ["F12", 0xffc9],
    ["f35", 0xffe0],
    ["cmd", 0xffeb],
    ["control", 0xffe3],
    ["option", 0xffe9],
    ["capslock", 0xffe5],
    ["a", 0x61],
    ["A", 0x61],
    ["é", 0xe9],
    ["€", 0x10020ac],
    ["日", 0x10065e5],
  ];
  for (const [name, keysym] of cases) assertEquals(keysymFor(name), keysym, name);
  for (const bad of ["", "f36", "hyperspace"]) {
    assertThrows(() => keysymFor(bad), RemoteError, "Unknown key name");
  }
});

Deno.test("charKeysym() uses Latin-1 keysyms below 0x100 and Unicode keysyms above", () => {
  assertEquals(charKeysym(0x41), 0x41);
  assertEquals(charKeysym(0xff), 0xff);
  assertEquals(charKeysym(0x100), 0x1000100);
  assertEquals(charKeysym(0x1f600), 0x101f600);
});
