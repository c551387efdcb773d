/**
 * The method definitions `RemoteComputer` calls, gathered in one namespace.
 *
 * @module
 */

export {
  AppsClose,
  AppsFocus,
  AppsList,
  AppsOpen,
  ClipboardRead,
  ClipboardWrite,
  NotificationsList,
  PowerLock,
  UiAction,
  UiTree,
  WindowsClose,
  WindowsFocus,
  WindowsFocused,
  WindowsList,
  WindowsMove,
} from "./methods_desktop.ts";
export {
  FsDelete,
  FsList,
  FsMkdir,
  FsMove,
  FsRead,
  FsStat,
  FsWrite,
  ProcessExec,
  ProcessList,
  ProcessShell,
} from "./methods_host.ts";
export {
  DisplayCapture,
  DisplayCursorPosition,
  DisplayDisplays,
  DisplaySubscribe,
  InputKey,
  InputPointer,
  InputSubscribe,
  InputText,
  SystemCapabilities,
  SystemEnvironment,
} from "./methods_system.ts";
