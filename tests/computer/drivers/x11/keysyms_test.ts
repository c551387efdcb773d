import { assertEquals, assertThrows } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { charKeysym, keysymFor } from "../../../../src/computer/drivers/x11/keysyms.ts";
import { IGNORED_KEYS } from "../../../../src/computer/drivers/x11/_extra_keysyms.ts";
import { canonicalKeysym } from "../../../../src/computer/keys.ts";
import { PYAUTOGUI_KEY_NAMES } from "../../../../src/computer/pyautogui_key_names.ts";

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

Deno.test("keysymFor() accepts every pyautogui key name (fn, accept, final are ignored)", () => {
  const cases: Array<[string, number]> = [
    ["shiftleft", 0xffe1],
    ["ctrlright", 0xffe3],
    ["altright", 0xffe9],
    ["num0", 0xffb0],
    ["num9", 0xffb9],
    ["add", 0xffab],
    ["volumeup", 0x1008ff13],
    ["prtsc", 0xff61],
    ["apps", 0xff67],
    ["help", 0xff6a],
    ["yen", 0xa5],
    ["\n", 0xff0d],
    ["\r", 0xff0d],
    ["\t", 0xff09],
    [" ", 0x20],
  ];
  for (const [name, keysym] of cases) assertEquals(keysymFor(name), keysym, JSON.stringify(name));
  const unmapped = PYAUTOGUI_KEY_NAMES.filter((name) => {
    if (IGNORED_KEYS.has(canonicalKeysym(name))) return false;
    try {
      keysymFor(name);
      return false;
    } catch {
      return true;
    }
  });
  assertEquals(unmapped, []);
  assertEquals(PYAUTOGUI_KEY_NAMES.length, 194, "pyautogui's KEYBOARD_KEYS has 194 names");
  for (const bad of ["constructor", "__proto__", "toString"]) {
    assertThrows(() => keysymFor(bad), RemoteError, "Unknown key name");
  }
});
