/**
 * The REPL of `opendesk connect`: line parsing and completion, the helper
 * and `:` commands, the params built from the method table, file transfers,
 * streams, and the session interface it runs against.
 *
 * @module
 */

export { lineExitCode, Repl, type ReplOptions } from "./repl.ts";
export type { ReplCallOptions, ReplMap, ReplSession } from "./repl_session.ts";
export type { ReplMethod, ReplParamDoc } from "./repl_call_params.ts";
export { replMethods } from "./repl_methods.ts";
export { remoteReplSession, type RemoteReplSessionParts } from "./remote_repl_session.ts";
