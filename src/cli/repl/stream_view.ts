/**
 * Runs a stream method in the REPL (`display.subscribe`, `input.subscribe`)
 * and shows its progress (frames, fps, bytes) until Ctrl-C, `--frames N` or
 * `--seconds S` ends it; Ctrl-C cancels the stream, not the REPL. With
 * `--out DIR`, display frames are saved as numbered image files.
 *
 * @module
 */

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError } from "../../protocol/errors.ts";
import type { ReplContext } from "./repl_context.ts";
import { ReplUsageError } from "./repl_context.ts";
import type { ReplMap } from "./repl_session.ts";
import { localPath } from "./screenshot_output.ts";
import { formatBytes, formatDuration, formatNumber } from "../render/text_layout.ts";

/** Flags a stream understands. */
export const STREAM_VALUE_FLAGS: readonly string[] = ["out", "frames", "seconds"];

/** What a finished stream did. */
export interface StreamSummary {
  /** Items received. */
  readonly items: number;
  /** Bytes of image data received. */
  readonly bytes: number;
  /** Milliseconds from start to end. */
  readonly elapsedMs: number;
  /** Why it ended. */
  readonly reason: "cancelled" | "limit" | "ended";
  /** Files written with `--out`. */
  readonly saved: number;
}

const EXTENSIONS: Record<string, string> = {
  png: "png",
  jpeg: "jpg",
  raw_rgba: "rgba",
  raw_rgb: "rgb",
};

function positiveFlag(
  flags: Readonly<Record<string, string | true>>,
  name: string,
): number | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value === true || !Number.isFinite(number) || number <= 0) {
    throw new ReplUsageError(
      `--${name} needs a positive number, got '${value === true ? "" : value}'`,
    );
  }
  return number;
}

/** Describes an input event in one line. */
export function describeInputEvent(event: ReplMap): string {
  const mods = Array.isArray(event.modifiers) && event.modifiers.length > 0
    ? ` [${event.modifiers.join("+")}]`
    : "";
  if (typeof event.keysym === "string") {
    const ch = typeof event.char === "string" && event.char.length > 0
      ? ` ${JSON.stringify(event.char)}`
      : "";
    return `key ${String(event.action)} '${event.keysym}'${ch}${mods}`;
  }
  const point = event.point as ReplMap | undefined;
  const where = point ? ` (${formatNumber(point.x)}, ${formatNumber(point.y)})` : "";
  const button = typeof event.button === "string" ? ` ${event.button}` : "";
  const scroll = event.action === "scroll"
    ? ` dx=${formatNumber(event.dx)} dy=${formatNumber(event.dy)}`
    : "";
  return `pointer ${String(event.action)}${button}${where}${scroll}${mods}`;
}

/**
 * Runs `method` as a stream until it is stopped.
 *
 * @param ctx The REPL context (its signal is Ctrl-C).
 * @param method The stream method.
 * @param params Its params.
 * @param flags `--out DIR`, `--frames N`, `--seconds S`.
 * @returns What happened.
 */
export async function runStream(
  ctx: ReplContext,
  method: string,
  params: ReplMap,
  flags: Readonly<Record<string, string | true>>,
): Promise<StreamSummary> {
  const maxItems = positiveFlag(flags, "frames");
  const maxSeconds = positiveFlag(flags, "seconds");
  const outFlag = flags.out;
  if (outFlag === true) throw new ReplUsageError("--out needs a directory");
  const outDir = outFlag === undefined ? undefined : localPath(ctx.deps.cwd, outFlag);
  if (outDir) await mkdir(outDir, { recursive: true });
  const display = method === "display.subscribe";
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(new AbortError("Stream cancelled"));
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  const timer = maxSeconds !== undefined
    ? setTimeout(() => stop.abort("limit"), maxSeconds * 1000)
    : undefined;
  const tty = ctx.deps.stderr.isTTY;
  const started = performance.now();
  let items = 0, bytes = 0, saved = 0, lastDraw = 0;
  let reason: StreamSummary["reason"] = "ended";
  const progress = (now: number): string => {
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? items / seconds : 0;
    return `${method}: ${items} ${display ? "frames" : "events"}, ${rate.toFixed(1)}/s` +
      (display ? `, ${formatBytes(bytes)}` : "") + ", Ctrl-C stops";
  };
  ctx.err(
    `${method} started${outDir ? `, saving frames to ${outDir}` : ""} (Ctrl-C stops the stream)\n`,
  );
  try {
    for await (const item of ctx.session.stream(method, params, { signal: stop.signal })) {
      items++;
      if (display) {
        const pixmap = item.pixmap as ReplMap | undefined;
        const data = pixmap?.data;
        if (data instanceof Uint8Array) {
          bytes += data.length;
          if (outDir) {
            const ext = EXTENSIONS[String(pixmap?.format ?? "png")] ?? "bin";
            const number = typeof item.frame_number === "number" ? item.frame_number : items;
            await writeFile(join(outDir, `frame-${String(number).padStart(6, "0")}.${ext}`), data);
            saved++;
          }
        }
      } else {
        ctx.out(`${describeInputEvent(item)}\n`);
      }
      const now = performance.now();
      if (tty && display && now - lastDraw > 250) {
        lastDraw = now;
        ctx.err(`\r\x1b[2K${progress(now)}`);
      }
      if (maxItems !== undefined && items >= maxItems) {
        reason = "limit";
        break;
      }
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);
  }
  if (stop.signal.aborted) reason = stop.signal.reason === "limit" ? "limit" : "cancelled";
  const elapsedMs = performance.now() - started;
  if (tty && display) ctx.err("\r\x1b[2K");
  const rate = elapsedMs > 0 ? items / (elapsedMs / 1000) : 0;
  const what = reason === "cancelled" ? "cancelled" : reason === "limit" ? "stopped" : "ended";
  ctx.out(
    `${method} ${what}: ${items} ${display ? "frames" : "events"} in ${
      formatDuration(elapsedMs)
    } ` +
      `(${rate.toFixed(1)}/s)${display ? `, ${formatBytes(bytes)}` : ""}` +
      (saved > 0 ? `, ${saved} saved in ${outDir}` : "") + "\n",
  );
  return { items, bytes, elapsedMs, reason, saved };
}
