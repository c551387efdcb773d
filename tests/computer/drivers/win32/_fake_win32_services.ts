/**
 * The window, clipboard, UI Automation and job functions of the fake `opendesk.dll`, over the
 * scripted `FakeWin32Desktop`, with the DLL's encodings (JSON lists and trees, MIME-named packed
 * clipboard entries, job handles).
 */

import { cStr, dec, enc, type Fn, S, writeOut } from "./_fake_abi.ts";
import type { FakeJob, FakeWin32Desktop } from "./_fake_win32_desktop.ts";

/** What the service fakes share with the library fake. */
export interface FakeContext {
  desktop: FakeWin32Desktop;
  /** Records `text` as the last error and returns `status`. */
  fail(status: number, text: string): number;
  /** Writes a fresh handle to an `out` parameter. */
  open(out: BigUint64Array): number;
  /** A fresh handle value. */
  handle(): bigint;
  /** The live job behind a handle. */
  job(p: Deno.PointerValue): FakeJob | undefined;
}

/** `od_windows_*`: the JSON list, active window, focus, move, WM_CLOSE. */
export function fakeWindowsSymbols(ctx: FakeContext): Record<string, Fn> {
  const { open } = ctx;
  const d = ctx.desktop;
  const find = (id: number) => d.windows.find((w) => w.id === id);
  return {
    od_windows_open: (_n: Uint8Array, out: BigUint64Array) => open(out),
    od_windows_close: () => S.OD_OK,
    od_windows_list: (_w: unknown, buf: Uint8Array, cap: number, len: Uint32Array) =>
      writeOut(enc.encode(JSON.stringify(d.windows)), buf, cap, len),
    od_windows_active: (_w: unknown, out: Uint32Array) => {
      out[0] = d.windows.find((w) => w.focused)?.id ?? 0;
      return S.OD_OK;
    },
    od_windows_focus: (_w: unknown, id: number) => {
      if (!find(id)) return ctx.fail(S.OD_ERR_NOT_FOUND, `No window ${id}`);
      if (d.focusRefused) {
        return ctx.fail(S.OD_ERR_WIN_FOREGROUND, `SetForegroundWindow(${id}) was refused`);
      }
      for (const w of d.windows) w.focused = w.id === id;
      return S.OD_OK;
    },
    od_windows_move: (_w: unknown, id: number, x: number, y: number, wd: number, ht: number) => {
      const win = find(id);
      if (!win) return ctx.fail(S.OD_ERR_NOT_FOUND, `No window ${id}`);
      Object.assign(win, { x, y, width: wd, height: ht });
      return S.OD_OK;
    },
    od_windows_request_close: (_w: unknown, id: number) => {
      const win = find(id);
      if (!win) return ctx.fail(S.OD_ERR_NOT_FOUND, `No window ${id}`);
      d.postClose(new Set([win.pid]));
      return S.OD_OK;
    },
  };
}

/** `od_clipboard_*`: MIME-named entries; text under one name as CF_UNICODETEXT. */
export function fakeClipboardSymbols(ctx: FakeContext): Record<string, Fn> {
  const { open } = ctx;
  let pending: Uint8Array | null = null;
  const d = ctx.desktop;
  const TEXT = "text/plain;charset=utf-8";
  return {
    od_clipboard_open: (_n: Uint8Array, out: BigUint64Array) => open(out),
    od_clipboard_close: () => S.OD_OK,
    od_clipboard_owned: (_c: unknown, out: Int32Array) => (out[0] = 1, S.OD_OK),
    od_clipboard_write: (_c: unknown, packed: Uint8Array, len: number) => {
      const view = new DataView(packed.buffer, packed.byteOffset, len);
      d.clipboard.clear();
      for (let at = 0; at < len;) {
        const m = view.getUint32(at, true);
        let mime = dec.decode(packed.subarray(at + 4, at + 4 + m));
        at += 4 + m;
        const n = view.getUint32(at, true);
        // text/plain, UTF8_STRING, STRING and TEXT are all CF_UNICODETEXT.
        if (/^(text\/plain|UTF8_STRING|STRING|TEXT)/.test(mime)) mime = TEXT;
        d.clipboard.set(mime, packed.slice(at + 4, at + 4 + n));
        at += 4 + n;
      }
      return S.OD_OK;
    },
    od_clipboard_targets: (
      _c: unknown,
      _t: number,
      buf: Uint8Array,
      cap: number,
      len: Uint32Array,
    ) => writeOut(enc.encode([...d.clipboard.keys()].map((k) => `${k}\n`).join("")), buf, cap, len),
    od_clipboard_read: (_c: unknown, target: Uint8Array, _t: number, len: Uint32Array) => {
      const name = cStr(target);
      const data = d.clipboard.get(name.startsWith("text/plain") ? TEXT : name);
      if (data === undefined) {
        return ctx.fail(S.OD_ERR_WIN_NO_DATA, `The clipboard holds no ${name}`);
      }
      pending = data;
      len[0] = data.length;
      return S.OD_OK;
    },
    od_clipboard_fetch: (_c: unknown, buf: Uint8Array, cap: number, len: Uint32Array) =>
      writeOut(pending ?? new Uint8Array(), buf, cap, len),
  };
}

/** `od_a11y_*`: the scripted UIA tree, or the COM failure Wine gives. */
export function fakeUiaSymbols(ctx: FakeContext): Record<string, Fn> {
  const { open } = ctx;
  const d = ctx.desktop;
  return {
    od_a11y_open: (_bus: Uint8Array, out: BigUint64Array) =>
      d.uiaTree === null
        ? ctx.fail(
          S.OD_ERR_WIN_COM,
          "CoCreateInstance(CUIAutomation) failed (HRESULT 0x80040154)",
        )
        : open(out),
    od_a11y_close: () => S.OD_OK,
    od_a11y_tree: (...args: unknown[]) => {
      const [buf, cap, len] = args.slice(8) as [Uint8Array, number, Uint32Array];
      const walk = { app: "notepad", tree: d.uiaTree, truncated: null, nodes: 2, elapsed_ms: 1 };
      return writeOut(enc.encode(JSON.stringify(walk)), buf, cap, len);
    },
    od_a11y_actions: (
      _h: unknown,
      _r: Uint8Array,
      _t: number,
      buf: Uint8Array,
      cap: number,
      len: Uint32Array,
    ) => writeOut(enc.encode("invoke\n"), buf, cap, len),
    od_a11y_do_action: (_h: unknown, ref: Uint8Array, action: Uint8Array) => {
      d.uiaActions.push({ ref: cStr(ref), action: cStr(action) });
      return S.OD_OK;
    },
    od_a11y_set_text: (_h: unknown, ref: Uint8Array, text: Uint8Array) => {
      d.uiaActions.push({ ref: cStr(ref), action: "set_text", text: cStr(text) });
      return S.OD_OK;
    },
  };
}

/** `od_job_*` and `od_app_*`: job objects over the scripted processes. */
export function fakeJobSymbols(ctx: FakeContext): Record<string, Fn> {
  const d = ctx.desktop;
  return {
    od_job_create: (flags: number, out: BigUint64Array) => {
      out[0] = ctx.handle();
      d.jobs.set(out[0], { flags, pids: new Set(), destroyed: false });
      return S.OD_OK;
    },
    od_job_destroy: (p: Deno.PointerValue) => {
      const job = ctx.job(p);
      if (job === undefined) return S.OD_ERR_INVALID_ARGUMENT;
      job.destroyed = true;
      if (job.flags & 1) d.terminate(job.pids);
      return S.OD_OK;
    },
    od_job_assign: (p: Deno.PointerValue, pid: number) => {
      if (!d.processes.has(pid)) return ctx.fail(S.OD_ERR_NOT_FOUND, `No process ${pid}`);
      ctx.job(p)!.pids.add(pid);
      return S.OD_OK;
    },
    od_job_spawn: () => ctx.fail(S.OD_ERR_UNSUPPORTED, "the fake spawns nothing"),
    od_job_processes: (
      p: Deno.PointerValue,
      pids: Uint32Array,
      cap: number,
      count: Uint32Array,
    ) => {
      const live = [...ctx.job(p)!.pids].filter((pid) => d.processes.has(pid));
      count[0] = live.length;
      if (live.length > cap) return S.OD_ERR_BUFFER_TOO_SMALL;
      pids.set(live);
      return S.OD_OK;
    },
    od_job_terminate: (p: Deno.PointerValue) => (d.terminate(ctx.job(p)!.pids), S.OD_OK),
    od_job_wait: (p: Deno.PointerValue) =>
      [...ctx.job(p)!.pids].some((pid) => d.processes.has(pid)) ? S.OD_ERR_WIN_TIMEOUT : S.OD_OK,
    od_app_launch: (
      p: Deno.PointerValue,
      target: Uint8Array,
      _args: unknown,
      pid: Uint32Array,
    ) => {
      const job = ctx.job(p);
      if (job === undefined) return S.OD_ERR_INVALID_ARGUMENT;
      const started = d.launch(job, cStr(target));
      if (started === 0) return S.OD_ERR_NOT_FOUND;
      pid[0] = started;
      return S.OD_OK;
    },
    od_app_wait_window: (p: Deno.PointerValue, _t: number, window: Uint32Array) => {
      const pids = ctx.job(p)!.pids;
      const win = d.windows.find((w) => pids.has(w.pid));
      if (win === undefined) return S.OD_ERR_WIN_TIMEOUT;
      window[0] = win.id;
      return S.OD_OK;
    },
    od_app_close: (p: Deno.PointerValue, _grace: number, terminated: Uint32Array) => {
      const job = ctx.job(p)!;
      d.postClose(job.pids);
      terminated[0] = 0;
      if ([...job.pids].some((pid) => d.processes.has(pid))) {
        d.terminate(job.pids);
        terminated[0] = 1;
      }
      return S.OD_OK;
    },
  };
}
