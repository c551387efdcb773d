import { assertEquals } from "../remote/_assert.ts";
import {
  absenceMap,
  groupAbsences,
  NOT_IMPLEMENTED_REASON,
} from "../../src/computer/capability_absences.ts";
import { HostComputer } from "../../src/computer/host/host_computer.ts";
import { SystemCapabilities } from "../../src/computer/methods/methods_system.ts";
import { encodeManifest } from "../../src/computer/methods/wire_encode.ts";
import { openSession } from "./_session.ts";

const NO_DISPLAY = "Display and input are unavailable: no X display (DISPLAY is not set)";

Deno.test("absenceMap() gives every missing capability a reason and keeps method reasons", () => {
  const map = absenceMap(["fs.read", "ui.tree"], {
    "power.lock": "no screen locker is installed",
    "input.subscribe": "no XInput2",
  }, "no display");
  const cases: Array<[string, string | undefined]> = [
    ["fs.read", undefined],
    ["ui.tree", undefined],
    ["display.capture", "no display"],
    ["clipboard.read", "no display"],
    ["power.lock", "no screen locker is installed"],
    ["input.subscribe", "no XInput2"],
    ["ocr", NOT_IMPLEMENTED_REASON],
    ["audio.play", NOT_IMPLEMENTED_REASON],
  ];
  for (const [name, reason] of cases) assertEquals(map[name], reason, name);
});

Deno.test("groupAbsences() joins the capabilities that share a reason", () => {
  const absences = {
    "ui.tree": "no AT-SPI",
    "ocr": NOT_IMPLEMENTED_REASON,
    "ui.actions": "no AT-SPI",
  };
  assertEquals(groupAbsences(absences), [
    ["ui.tree, ui.actions", "no AT-SPI"],
    ["ocr", NOT_IMPLEMENTED_REASON],
  ]);
  assertEquals(groupAbsences(absences, true), [["ui.tree, ui.actions", "no AT-SPI"]]);
});

Deno.test("system.capabilities keeps the reference's five keys unless absent: true is asked", async () => {
  await using s = await openSession(
    new HostComputer({ backend: "host", noDriverReason: NO_DISPLAY }),
  );
  const plain = await s.raw("system.capabilities", {});
  assertEquals(Object.keys(plain ?? {}), [
    "capabilities",
    "limits",
    "protocol_version",
    "backend",
    "description",
  ]);
  const withReasons = await s.raw("system.capabilities", { absent: true });
  assertEquals(Object.keys(withReasons ?? {}).at(-1), "absent");
  const absent = withReasons?.absent as Record<string, string>;
  assertEquals(absent["display.capture"], NO_DISPLAY);
  assertEquals(absent["fs.read"], undefined);
  assertEquals((await s.remote.absentCapabilities())["ui.tree"], NO_DISPLAY);
});

Deno.test("A reference server's manifest decodes with no reasons (the client shows none)", () => {
  const manifest = new HostComputer({ backend: "ref" }).capabilities();
  const decoded = SystemCapabilities.decodeResult(encodeManifest(manifest));
  assertEquals(decoded.absent, undefined);
  assertEquals(decoded.capabilities, manifest.capabilities);
});
