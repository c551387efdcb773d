/**
 * The command line and the REPL: the subcommand table and its runner
 * (`main`), the I/O seam commands run with, and the REPL with its session
 * interface, so other front ends (or tests) can drive them.
 *
 * @example Usage
 * ```ts ignore
 * import { main, StringWriter } from "./mod.ts";
 * ```
 *
 * @module
 */

export { type CliCommand, COMMANDS, findCommand, main } from "./main.ts";
export { type CliDeps, StringWriter, type StringWriterOptions, type TextWriter } from "./deps.ts";
export { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./errors.ts";
export { type CommandSpec, type OptionSpec, type PositionalSpec } from "./command_spec.ts";
export { Repl, type ReplOptions } from "./repl.ts";
export type { ReplCallOptions, ReplMap, ReplSession } from "./repl_session.ts";
export type { ReplMethod, ReplParamDoc } from "./repl_call_params.ts";
export { replMethods } from "./repl_methods.ts";
export { clientReplSession } from "./connect.ts";
export { remoteReplSession, type RemoteReplSessionParts } from "./remote_repl_session.ts";
export { detectImageProtocol, encodeInlineImage, type ImageProtocol } from "./inline_image.ts";
export { type PairingBoxInfo, renderPairingBox } from "./pairing_box.ts";
export { VERSION } from "./version.ts";
