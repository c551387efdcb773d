/**
 * `serve --approve console|auto|observe`: the approval modes and how the
 * default is chosen (console with a terminal, observe without one).
 *
 * @module
 */

/** How gated (non-observation) methods are decided. */
export type ApproveMode = "console" | "auto" | "observe";

/**
 * Picks the effective mode: the requested one, or `console` with a terminal
 * and `observe` without one; the notice says what was chosen and why.
 */
export function resolveApproveMode(
  requested: ApproveMode | undefined,
  interactive: boolean,
): { mode: ApproveMode; notice: string } {
  if (requested === "auto") {
    return {
      mode: "auto",
      notice: "approval: auto (every method is allowed, except protected paths)",
    };
  }
  if (requested === "observe") {
    return { mode: "observe", notice: "approval: observe (only observation methods are allowed)" };
  }
  if (interactive) {
    return {
      mode: "console",
      notice: "approval: console (gated methods are asked on this terminal)",
    };
  }
  return {
    mode: "observe",
    notice: requested === "console"
      ? "approval: no terminal for console approval, so only observation methods are allowed (run serve with --approve auto to allow all)"
      : "approval: observe, because no terminal is attached (run serve with --approve auto to allow all)",
  };
}
