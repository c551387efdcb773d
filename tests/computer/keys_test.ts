import assert from "node:assert/strict";
import { canonicalKeysym, modifierOf, parseChord } from "../../src/computer/keys.ts";

Deno.test("canonicalKeysym() maps every accepted alias to its canonical name", () => {
  const cases: [string, string][] = [
    ["Enter", "return"],
    ["return", "return"],
    ["ESC", "escape"],
    ["spacebar", "space"],
    ["del", "delete"],
    ["ins", "insert"],
    ["ArrowUp", "up"],
    ["arrowleft", "left"],
    ["PgUp", "pageup"],
    ["pgdn", "pagedown"],
    ["control", "ctrl"],
    ["option", "alt"],
    ["cmd", "meta"],
    ["Command", "meta"],
    ["win", "meta"],
    ["winright", "meta"],
    ["super", "meta"],
    ["CapsLock", "caps_lock"],
    ["A", "a"],
    ["F5", "f5"],
    ["tab", "tab"],
    // pyautogui's names (the original passed them through to pyautogui)
    ["shiftleft", "shift"],
    ["ctrlright", "ctrl"],
    ["altright", "alt"],
    ["num0", "kp_0"],
    ["num9", "kp_9"],
    ["add", "kp_add"],
    ["volumeup", "volume_up"],
    ["prtsc", "print"],
    ["apps", "menu"],
    ["help", "help"],
    ["\n", "return"],
    ["\t", "tab"],
    ["constructor", "constructor"],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalKeysym(input), expected, input);
});

Deno.test("modifierOf() recognises modifiers only", () => {
  assert.equal(modifierOf("Cmd"), "meta");
  assert.equal(modifierOf("capslock"), "caps_lock");
  assert.equal(modifierOf("a"), null);
  assert.equal(modifierOf("fn"), "fn");
  assert.equal(modifierOf("shiftright"), "shift");
});

Deno.test("parseChord() splits chords on + and - and checks the modifiers", () => {
  assert.deepEqual(parseChord("ctrl+shift+P"), { key: "p", modifiers: ["ctrl", "shift"] });
  assert.deepEqual(parseChord("cmd-enter"), { key: "return", modifiers: ["meta"] });
  assert.deepEqual(parseChord("ctrl++"), { key: "+", modifiers: ["ctrl"] });
  assert.deepEqual(parseChord("-"), { key: "-", modifiers: [] });
  assert.throws(() => parseChord("a+b"), /'a' is not a modifier/);
  assert.throws(() => parseChord("ctrl+"), /names no key/);
});
