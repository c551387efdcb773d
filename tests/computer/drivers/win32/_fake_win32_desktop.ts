/**
 * The state behind the fake `opendesk.dll` (`_fake_win32_library.ts`): a Windows desktop in the
 * DLL's own terms — a virtual screen whose origin is left of the primary monitor, HWND-numbered
 * windows in virtual-screen pixels, a clipboard keyed by the MIME names the DLL uses, a UI
 * Automation tree, and job objects holding the processes of launched apps. Tests script it and
 * read what the driver did through it.
 */

/** A top-level window as `od_windows_list` writes it (virtual-screen pixels). */
export interface FakeWindow {
  id: number;
  title: string;
  instance: string;
  class: string;
  pid: number;
  x: number;
  y: number;
  width: number;
  height: number;
  frame: [number, number, number, number];
  minimized: boolean;
  desktop: number;
  focused: boolean;
}

/** One job object of the fake. */
export interface FakeJob {
  flags: number;
  pids: Set<number>;
  destroyed: boolean;
}

/** A program the fake can launch by name. */
export interface FakeProgram {
  pid: number;
  window: Omit<FakeWindow, "pid" | "focused">;
  /** True when WM_CLOSE is ignored (termination is needed). */
  ignoresClose?: boolean;
}

/** A monitor in virtual-screen pixels. */
export interface FakeMonitor {
  x: number;
  y: number;
  width: number;
  height: number;
  primary: boolean;
  name: string;
}

/** The scripted desktop. */
export class FakeWin32Desktop {
  /** Left monitor 1280x1024 at -1280,0; primary 1920x1080 at 0,0. */
  monitors: FakeMonitor[] = [
    { x: -1280, y: 0, width: 1280, height: 1024, primary: false, name: "\\\\.\\DISPLAY2" },
    { x: 0, y: 0, width: 1920, height: 1080, primary: true, name: "\\\\.\\DISPLAY1" },
  ];
  cursor = { x: 100, y: 200 };
  windows: FakeWindow[] = [{
    id: 0x1002c,
    title: "Untitled - Notepad",
    instance: "notepad.exe",
    class: "Notepad",
    pid: 4100,
    x: -1000,
    y: 120,
    width: 640,
    height: 480,
    frame: [8, 8, 31, 8],
    minimized: false,
    desktop: 0,
    focused: true,
  }];
  clipboard = new Map<string, Uint8Array>();
  /** The UIA tree JSON the walker returns, or null when UIA is unavailable (as under Wine). */
  uiaTree: Record<string, unknown> | null = {
    role: "window",
    name: "Untitled - Notepad",
    value: null,
    bounds: [-1008, 89, 656, 519],
    focused: true,
    enabled: true,
    editable: false,
    actions: [],
    ref: "65580|2a.1002c",
    children: [{
      role: "push button",
      name: "Save",
      value: null,
      bounds: [-990, 130, 80, 24],
      focused: false,
      enabled: true,
      editable: false,
      actions: ["invoke"],
      ref: "65580|2a.1002c.4",
      children: [],
    }],
  };
  uiaActions: { ref: string; action: string; text?: string }[] = [];
  programs = new Map<string, FakeProgram>([["calc", {
    pid: 5200,
    window: {
      id: 0x20044,
      title: "Calculator",
      instance: "calc.exe",
      class: "CalcFrame",
      x: 100,
      y: 100,
      width: 320,
      height: 400,
      frame: [8, 8, 31, 8],
      minimized: false,
      desktop: 0,
    },
  }]]);
  jobs = new Map<bigint, FakeJob>();
  /** Processes that exist, by pid. */
  processes = new Set<number>([4100]);
  locked = false;
  /** True when Windows refuses foreground switches (the foreground lock). */
  focusRefused = false;
  /** Keys (keysym, down), buttons (button, down), pointer moves, typed code points. */
  keys: [number, boolean][] = [];
  buttons: [number, boolean][] = [];
  moves: [number, number][] = [];
  typed: number[] = [];
  grabs: { x: number; y: number; width: number; height: number; flags: number }[] = [];

  /** The virtual screen: bounding box of the monitors. */
  virtualScreen(): { x: number; y: number; width: number; height: number } {
    const left = Math.min(...this.monitors.map((m) => m.x));
    const top = Math.min(...this.monitors.map((m) => m.y));
    const right = Math.max(...this.monitors.map((m) => m.x + m.width));
    const bottom = Math.max(...this.monitors.map((m) => m.y + m.height));
    return { x: left, y: top, width: right - left, height: bottom - top };
  }

  /** 0xRRGGBB at a virtual-screen point: red on the left monitor, blue on the primary. */
  colourAt(x: number, _y: number): number {
    return x < 0 ? 0xff0000 : 0x0000ff;
  }

  /** Whether a virtual-screen point is on the desktop. */
  contains(x: number, y: number): boolean {
    const vs = this.virtualScreen();
    return x >= vs.x && y >= vs.y && x < vs.x + vs.width && y < vs.y + vs.height;
  }

  /** Launches a program into a job; 0 when unknown. */
  launch(job: FakeJob, target: string): number {
    const program = this.programs.get(target.toLowerCase().replace(/\.exe$/, ""));
    if (program === undefined) return 0;
    this.processes.add(program.pid);
    job.pids.add(program.pid);
    this.windows.push({ ...program.window, pid: program.pid, focused: false });
    return program.pid;
  }

  /** WM_CLOSE to the windows of `pids`; returns how many were posted. */
  postClose(pids: Set<number>): number {
    const closing = this.windows.filter((w) => pids.has(w.pid));
    for (const w of closing) {
      const program = [...this.programs.values()].find((p) => p.pid === w.pid);
      if (program?.ignoresClose) continue;
      this.windows = this.windows.filter((x) => x !== w);
      this.processes.delete(w.pid);
    }
    return closing.length;
  }

  /** Ends processes (TerminateJobObject). */
  terminate(pids: Set<number>): void {
    for (const pid of pids) this.processes.delete(pid);
    this.windows = this.windows.filter((w) => !pids.has(w.pid));
  }
}
