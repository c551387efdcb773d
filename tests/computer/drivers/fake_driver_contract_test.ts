import { FakeDriver } from "../../../src/computer/drivers/fake/fake_driver.ts";
import { runDriverContract } from "./_driver_contract.ts";

Deno.test("FakeDriver passes the desktop driver contract", (t) =>
  runDriverContract(t, new FakeDriver()));

Deno.test("FakeDriver with few capabilities rejects the others as unsupported", (t) =>
  runDriverContract(t, new FakeDriver({ capabilities: ["display.capture", "windows.list"] })));
