import { strictEqual } from "node:assert/strict";
import { join } from "node:path";
import {
  clearDescription,
  readDescription,
  writeDescription,
} from "../../src/auth/description_file.ts";
import { modeOf, tempHome } from "./_helpers.ts";

Deno.test("writeDescription() replaces description.txt atomically with mode 0600", () => {
  using home = tempHome();
  const dir = join(home.path, ".opendesk");
  const path = join(dir, "description.txt");
  writeDescription(dir, "Lab box");
  strictEqual(Deno.readTextFileSync(path), "Lab box\n");
  strictEqual(modeOf(path), 0o600);
  strictEqual(modeOf(dir), 0o700);
  // A file left 0644 by an older version is replaced, not written in place.
  Deno.chmodSync(path, 0o644);
  const before = Deno.statSync(path).ino;
  writeDescription(dir, "Build box");
  strictEqual(readDescription(dir), "Build box");
  strictEqual(modeOf(path), 0o600);
  strictEqual(Deno.statSync(path).ino !== before, true, "a new file was renamed into place");
  clearDescription(dir);
  clearDescription(dir);
  strictEqual(readDescription(dir), "");
});
