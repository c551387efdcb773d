import assert from "node:assert/strict";
import { encodeMsgpack } from "../../../src/protocol/codec.ts";
import { Float64 } from "../../../src/protocol/float64.ts";
import {
  encodeDisplayFrame,
  encodeFileEntry,
  encodeManifest,
  encodePointerEvent,
  encodeRect,
  encodeUIElement,
} from "../../../src/computer/methods/wire_encode.ts";
import { PointerEventSchema } from "../../../src/computer/types/input.ts";
import { parseManifestLenient } from "../../../src/computer/types/capability.ts";

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("encodeRect() marks every coordinate float64, so whole numbers go out as cb", () => {
  const bytes = encodeMsgpack(encodeRect({ x: 1, y: 2, width: 3, height: 4 }));
  assert.equal(
    hex(bytes),
    "84a178cb3ff0000000000000a179cb4000000000000000a5776964746" +
      "8cb4008000000000000a6686569676874cb4010000000000000",
  );
});

Deno.test("encodePointerEvent() wraps float fields and keeps int and nil fields", () => {
  const event = PointerEventSchema.parse({
    action: "scroll",
    point: { x: 1, y: 2 },
    dy: 3,
    timestamp: 5,
  });
  const wire = encodePointerEvent(event);
  for (const key of ["dx", "dy", "timestamp"]) assert.ok(wire[key] instanceof Float64, key);
  assert.equal(wire.pressure, null);
  assert.equal(wire.button, null);
});

Deno.test("encodeFileEntry() keeps mode an int and mtime a float", () => {
  const wire = encodeFileEntry({
    path: "/a",
    name: "a",
    is_dir: false,
    size: 3,
    mtime: 10,
    mode: 33188,
  });
  assert.ok(wire.mtime instanceof Float64);
  assert.equal(wire.mode, 33188);
  assert.equal(
    encodeFileEntry({ path: "/a", name: "a", is_dir: true, size: 0, mtime: null, mode: null })
      .mtime,
    null,
  );
});

Deno.test("Extension result fields appear only when their request param was given (H10)", () => {
  const element = {
    role: "window",
    name: "w",
    value: null,
    bounds: null,
    focused: false,
    enabled: true,
    actions: [],
    children: [],
    metadata: {},
    ref: "e0",
  };
  assert.equal("ref" in encodeUIElement(element), false);
  assert.equal(encodeUIElement(element, { refs: true }).ref, "e0");
  const frame = {
    pixmap: {
      data: new Uint8Array(),
      format: "png" as const,
      width: 1,
      height: 1,
      logical_width: 1,
      logical_height: 1,
      display_id: null,
      captured_at: 0,
    },
    frame_number: 4,
    keyframe: false,
    patch: { x: 1, y: 2, width: 3, height: 4 },
  };
  assert.deepEqual(Object.keys(encodeDisplayFrame(frame)), ["pixmap", "frame_number", "keyframe"]);
  assert.deepEqual(Object.keys(encodeDisplayFrame(frame, { delta: true })), [
    "pixmap",
    "frame_number",
    "keyframe",
    "patch",
  ]);
});

Deno.test("encodeManifest() emits exactly the five manifest keys", () => {
  const wire = encodeManifest({
    capabilities: ["fs.read"],
    limits: {},
    protocol_version: "0.1",
    backend: "fake",
    description: "",
  });
  assert.deepEqual(Object.keys(wire), [
    "capabilities",
    "limits",
    "protocol_version",
    "backend",
    "description",
  ]);
});

Deno.test("parseManifestLenient() drops unknown capabilities and keys instead of voiding the manifest", () => {
  const { manifest, unknown } = parseManifestLenient({
    capabilities: ["fs.read", "teleport", "display.capture"],
    limits: { "display.stream": { max_fps: 30 } },
    protocol_version: "0.1",
    backend: "local/linux",
    description: "lab",
    platform: "linux",
  });
  assert.deepEqual(unknown, ["teleport"]);
  assert.deepEqual(manifest, {
    capabilities: ["fs.read", "display.capture"],
    limits: { "display.stream": { max_fps: 30 } },
    protocol_version: "0.1",
    backend: "local/linux",
    description: "lab",
  });
  assert.deepEqual(parseManifestLenient({}).manifest.capabilities, []);
});
