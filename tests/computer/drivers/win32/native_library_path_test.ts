/**
 * The Windows DLL is looked for at paths Windows understands: a `file:` URL's drive letter keeps
 * no leading slash and separators become backslashes (the build folder and the folder that
 * `deno compile --include` embeds are found through such URLs).
 */

import { assertEquals } from "../../../remote/_assert.ts";
import { filePathOf } from "../../../../src/computer/drivers/native_library.ts";

const CASES = [
  {
    url: "file:///C:/opendesk/build/native/opendesk.dll",
    os: "windows",
    path: "C:\\opendesk\\build\\native\\opendesk.dll",
  },
  { url: "file:///D:/My%20Apps/opendesk.dll", os: "windows", path: "D:\\My Apps\\opendesk.dll" },
  {
    url: "file:///home/u/build/native/libopendesk.so",
    os: "linux",
    path: "/home/u/build/native/libopendesk.so",
  },
  {
    url: "file:///Users/u/My%20Apps/libopendesk.dylib",
    os: "darwin",
    path: "/Users/u/My Apps/libopendesk.dylib",
  },
];

for (const c of CASES) {
  Deno.test(`filePathOf() on ${c.os}: ${c.url}`, () => {
    assertEquals(filePathOf(new URL(c.url), c.os), c.path);
  });
}
