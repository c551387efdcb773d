/**
 * The command line and the REPL: the subcommand table and its runner
 * (`main`), the I/O seam commands run with, and the REPL with its session
 * interface, so other front ends (or tests) can drive them. The parts live
 * in `commands/` (one file per subcommand), `repl/` and `render/`.
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
export {
  remoteReplSession,
  type RemoteReplSessionParts,
  Repl,
  type ReplCallOptions,
  type ReplMap,
  type ReplMethod,
  replMethods,
  type ReplOptions,
  type ReplParamDoc,
  type ReplSession,
} from "./repl/mod.ts";
export { clientReplSession, VERSION } from "./commands/mod.ts";
export {
  detectImageProtocol,
  encodeInlineImage,
  type ImageProtocol,
  type PairingBoxInfo,
  renderPairingBox,
} from "./render/mod.ts";
