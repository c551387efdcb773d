import { commandName, HINT_SUBCOMMANDS, localizeHints } from "../../src/cli/command_name.ts";
import { COMMANDS } from "../../src/cli/main.ts";
import { assertEquals } from "./_util/assert.ts";

Deno.test("localizeHints() names the command that works here in every hint", () => {
  const cases: { text: string; command: string; expected: string }[] = [
    {
      text: "run `opendesk connect vm` again",
      command: "./scripts/opendesk",
      expected: "run `./scripts/opendesk connect vm` again",
    },
    {
      text: "Connect with: opendesk connect vm\n",
      command: "/opt/od/bin/opendesk",
      expected: "Connect with: /opt/od/bin/opendesk connect vm\n",
    },
    { text: "see (opendesk peers)", command: "od", expected: "see (od peers)" },
    { text: "the opendesk home", command: "od", expected: "the opendesk home" },
    { text: "myopendesk connect", command: "od", expected: "myopendesk connect" },
    { text: "opendesk pairing window", command: "od", expected: "opendesk pairing window" },
    { text: "opendesk pair-with h 1", command: "od", expected: "od pair-with h 1" },
    { text: "run `opendesk pair`", command: "opendesk", expected: "run `opendesk pair`" },
  ];
  for (const { text, command, expected } of cases) {
    assertEquals(localizeHints(text, command), expected, text);
  }
});

Deno.test("commandName() reads OPENDESK_COMMAND, defaulting to opendesk", () => {
  assertEquals(commandName(() => undefined), "opendesk");
  assertEquals(commandName(() => "  "), "opendesk");
  assertEquals(commandName(() => "./scripts/opendesk"), "./scripts/opendesk");
});

Deno.test("HINT_SUBCOMMANDS lists every command of the command table", () => {
  assertEquals([...HINT_SUBCOMMANDS].sort(), COMMANDS.map((c) => c.name).sort());
});
