/**
 * `Win32Driver` against the shared desktop driver contract, over the fake `opendesk.dll`
 * (`_fake_win32_library.ts`): once with UI Automation present, once without it (as under Wine,
 * where CUIAutomation is not registered), when `ui.tree` and `ui.actions` must be absent.
 */

import { Win32Driver } from "../../../../src/computer/drivers/win32/win32_driver.ts";
import { runDriverContract } from "../_driver_contract.ts";
import { assert } from "../../../remote/_assert.ts";
import { FakeWin32Desktop } from "./_fake_win32_desktop.ts";
import { FakeWin32Library } from "./_fake_win32_library.ts";

Deno.test("Win32Driver passes the desktop driver contract over the fake DLL", async (t) => {
  const fake = new FakeWin32Library();
  const driver = await Win32Driver.open({ library: fake });
  assert(driver.capabilities().includes("ui.tree"), "UI Automation opened");
  await runDriverContract(t, driver);
});

Deno.test("Win32Driver without UI Automation passes the contract with ui.* absent", async (t) => {
  const desktop = new FakeWin32Desktop();
  desktop.uiaTree = null;
  const driver = await Win32Driver.open({ library: new FakeWin32Library(desktop) });
  const caps = driver.capabilities();
  assert(!caps.includes("ui.tree") && !caps.includes("ui.actions"), `caps: ${caps}`);
  await runDriverContract(t, driver);
});
