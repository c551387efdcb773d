/**
 * The client side of the method table: `MethodClient` (the `Computer` built
 * from one generic typed call path), `RemoteComputer` (that path over one
 * protocol session), and convenience helpers that work on any `Computer`.
 *
 * @module
 */

export { MethodClient } from "./method_client.ts";
export { RemoteComputer, type RemoteComputerOptions } from "./remote_computer.ts";
export { SessionEvictedError } from "./session_evicted_error.ts";
export {
  click,
  type ClickOptions,
  clipboardText,
  doubleClick,
  drag,
  type DragOptions,
  hotkey,
  press,
  type PressOptions,
  scroll,
  type ScrollOptions,
  setClipboardText,
  typeText,
  type TypeTextOptions,
} from "./helpers.ts";
