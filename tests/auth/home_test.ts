import { strictEqual, throws } from "node:assert/strict";
import { join } from "node:path";
import { defaultHome, ensureHomeDir } from "../../src/auth/home.ts";
import { modeOf, tempHome } from "./_helpers.ts";

Deno.test("defaultHome() prefers the override, then HOME/.opendesk, then USERPROFILE", () => {
  const env = (vars: Record<string, string>) => ({ getEnv: (name: string) => vars[name] });
  strictEqual(defaultHome("/srv/od", env({ HOME: "/home/u" })), "/srv/od");
  strictEqual(defaultHome(undefined, env({ HOME: "/home/u" })), join("/home/u", ".opendesk"));
  strictEqual(defaultHome("", env({ USERPROFILE: "C:/Users/u" })), join("C:/Users/u", ".opendesk"));
  throws(() => defaultHome(undefined, env({})), /HOME is not set/);
});

Deno.test("ensureHomeDir() creates the directory 0700 and repairs a wrong mode", () => {
  using home = tempHome();
  const dir = join(home.path, "a", "b");
  strictEqual(ensureHomeDir(dir), false);
  strictEqual(modeOf(dir), 0o700);
  Deno.chmodSync(dir, 0o777);
  strictEqual(ensureHomeDir(dir), true);
  strictEqual(modeOf(dir), 0o700);
});
