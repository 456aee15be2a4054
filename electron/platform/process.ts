import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { childEnded, childStarted } from './child-record.ts';

export interface RunOptions {
  cwd: string;
  /** Added to (not replacing) the current environment. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once. */
  stdin?: string;
  /** Wall-clock limit; the whole process tree is ended when it passes. */
  timeoutMs?: number;
  /** No-output limit: ended when neither stdout nor stderr produced a byte for this long. */
  idleTimeoutMs?: number;
  /** Added to the no-output limit before the first byte, for the program's start-up (default 10 s). */
  idleStartupMs?: number;
  /** Aborting ends the whole process tree (pause, stop). */
  signal?: AbortSignal;
  /** Called for each complete output line, without its line ending. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Time between the polite SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** How many trailing lines of each stream to keep in the result. */
  tailLines?: number;
  /**
   * Scheduling priority (-20..19, higher is nicer) of the whole process tree, set right after the
   * start; on Linux also of its session's autogroup (see `treePriority`).
   */
  niceness?: number;
  /** When this settles, the tree goes back to normal priority, as far as the system allows. */
  nicenessUntil?: Promise<unknown>;
  /**
   * The program lowers its own priority to `niceness` before it starts anything (`nice -n` before
   * a sandbox, whose command a later change could miss): only its session's group is set here.
   */
  nicesItself?: boolean;
  /** Files opened for reading and handed to the program as file descriptors 3, 4, ... (a sandbox's copies). */
  files?: string[];
}

export interface RunResult {
  argv: string[];
  /** Exit code, or null when the process was ended by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why Goldloop ended it, if it did. */
  killedBy?: 'timeout' | 'idle' | 'abort';
  /** Set when the program could not be started at all (not installed, not executable). */
  spawnError?: string;
  durationMs: number;
  stdoutTail: string[];
  stderrTail: string[];
}

/** The longest line kept whole (characters); a longer one keeps its head and tail. */
const LINE_HEAD = 12_288;
const LINE_TAIL = 4_096;

/** A program's start-up on a loaded machine: seconds, not the milliseconds it takes on an idle one. */
const IDLE_STARTUP_MS = 10_000;

/** Ends a process and everything it started: its process group on POSIX, its tree on Windows. */
export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

let autogroups: boolean | undefined;

/** Linux with autogroup scheduling: every session is one scheduling group. */
function autogroupsEnabled(): boolean {
  if (autogroups === undefined) {
    try {
      autogroups = process.platform === 'linux' && readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
    } catch {
      autogroups = false;
    }
  }
  return autogroups;
}

/** The kernel lets a user without CAP_SYS_ADMIN change an autogroup's nice value once per 100 ms. */
const AUTOGROUP_RETRY_MS = 110;
const AUTOGROUP_ATTEMPTS = 50;

/**
 * Sets the priority of a child that leads its own session (every child of `runProcess` does, on
 * POSIX). On Linux with autogroup scheduling (the default of most desktop kernels) each session
 * is one group that competes with the other groups as a whole, whatever the nice values of the
 * processes in it: the process's own nice value would only rank it against its own children. So
 * the session's group gets the value too. `set` may be called again (back to 0: a user may
 * always lower a group's value to 0, not a process's); `running` says whether the child is still
 * there, and a pending retry is dropped when it is not.
 */
function treePriority(pid: number, running: () => boolean): { set: (niceness: number, groupOnly?: boolean) => void; cancel: () => void } {
  let wanted = 0;
  let retry: NodeJS.Timeout | undefined;
  const writeGroup = (attempt: number): void => {
    retry = undefined;
    if (!running()) return;
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(wanted));
    } catch (error) {
      // EAGAIN: another group's value changed less than 100 ms ago (unprivileged users); try again.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN' && attempt < AUTOGROUP_ATTEMPTS)
        retry = setTimeout(() => writeGroup(attempt + 1), AUTOGROUP_RETRY_MS);
    }
  };
  return {
    set: (niceness, groupOnly = false) => {
      wanted = niceness;
      try {
        if (!groupOnly) setPriority(pid, niceness);
      } catch {
        // Not permitted (a lower value needs privilege): keep the current priority.
      }
      if (!autogroupsEnabled()) return;
      clearTimeout(retry);
      writeGroup(0);
    },
    cancel: () => clearTimeout(retry),
  };
}

/**
 * Splits output into lines of at most 16 KB (`LINE_HEAD` + `LINE_TAIL` characters): a longer one keeps its head and its
 * tail and says how much was cut between them. A program that prints 200 MB without a newline
 * costs a few kilobytes of memory, and its log one line.
 */
class LineSplitter {
  private head = '';
  private tail = '';
  private cut = 0;
  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      this.take(chunk.slice(from, nl));
      this.emitLine();
      from = nl + 1;
    }
    this.take(chunk.slice(from));
  }

  flush(): void {
    if (this.head || this.cut) this.emitLine();
  }

  private take(piece: string): void {
    const room = LINE_HEAD - this.head.length;
    if (room > 0) {
      this.head += piece.slice(0, room);
      piece = piece.slice(room);
    }
    if (!piece) return;
    // Past the head only the last LINE_TAIL characters are kept; the rest is counted.
    const tail = this.tail + piece;
    this.cut += Math.max(0, tail.length - LINE_TAIL);
    this.tail = tail.slice(-LINE_TAIL);
  }

  private emitLine(): void {
    let line = this.cut ? `${this.head} … [${this.cut} characters cut] … ${this.tail}` : this.head + this.tail;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.head = '';
    this.tail = '';
    this.cut = 0;
    this.emit(line);
  }
}

/**
 * Runs a program from an argv array (never through a shell) in its own process group, streaming
 * its output by line. A timeout, the no-output limit or the abort signal ends the whole tree:
 * SIGTERM to the group, SIGKILL after a grace period. When the leader exits, anything it left
 * running in its group is ended too, so a 24/7 loop never collects orphans.
 */
export function runProcess(argv: string[], options: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('runProcess: empty argv'));
  const started = performance.now();
  const result: RunResult = { argv, exitCode: null, signal: null, durationMs: 0, stdoutTail: [], stderrTail: [] };

  return new Promise<RunResult>((resolve) => {
    if (options.signal?.aborted) {
      result.killedBy = 'abort';
      resolve(result);
      return;
    }
    const child = spawnInGroup(file, args, options);
    if (child.pid !== undefined && process.platform !== 'win32') childStarted(child.pid, file);
    let finished = false;
    const isFinished = (): boolean => finished;
    const priority = applyNiceness(child, options, isFinished);
    const watchdogs = startWatchdogs(child, options, result, isFinished);
    streamLines(child, { stdout: result.stdoutTail, stderr: result.stderrTail }, options, watchdogs.activity);

    child.stdin.on('error', () => {
      // EPIPE: the program exited or closed stdin without reading the prompt; not our error.
    });
    child.stdin.end(options.stdin ?? '');

    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (child.pid !== undefined) childEnded(child.pid);
      watchdogs.clear();
      priority?.cancel();
      result.durationMs = Math.round(performance.now() - started);
      resolve(result);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      result.spawnError = spawnErrorMessage(file, error);
      finish();
    });
    child.on('exit', (code, signal) => {
      result.exitCode = code;
      result.signal = signal;
      endLeftovers(child, finish);
    });
  });
}

/** The program in a process group of its own (POSIX), so that ending the group ends all it started. */
function spawnInGroup(file: string, args: string[], options: RunOptions): ChildProcessWithoutNullStreams {
  // A file gone since it was named is handed over empty, rather than shifting the ones after it.
  const fds = (options.files ?? []).map((f) => {
    try {
      return openSync(f, 'r');
    } catch {
      return openSync('/dev/null', 'r');
    }
  });
  try {
    return spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe', ...fds],
      detached: process.platform !== 'win32',
      windowsHide: true,
    }) as ChildProcessWithoutNullStreams;
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/** Starts the tree at the niceness asked for, and back to normal once `nicenessUntil` settles. */
function applyNiceness(child: ChildProcess, options: RunOptions, finished: () => boolean): ReturnType<typeof treePriority> | undefined {
  if (options.niceness === undefined || child.pid === undefined) return undefined;
  const priority = treePriority(child.pid, () => !finished());
  priority.set(options.niceness, options.nicesItself);
  const normal = (): void => {
    if (!finished()) priority.set(0);
  };
  options.nicenessUntil?.then(normal, normal);
  return priority;
}

interface Watchdogs {
  /** Output arrived: the no-output limit starts again. */
  activity(): void;
  /** The run is over: no timer or listener may act after it. */
  clear(): void;
}

/**
 * The wall-clock limit, the no-output limit and the abort signal. The first to fire records why
 * in `result.killedBy` and ends the tree; once the run is finished none of them acts.
 */
function startWatchdogs(child: ChildProcess, options: RunOptions, result: RunResult, finished: () => boolean): Watchdogs {
  let graceTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  const stop = (reason: NonNullable<RunResult['killedBy']>): void => {
    if (finished() || result.killedBy) return;
    result.killedBy = reason;
    graceTimer = endTree(child, options.killGraceMs ?? 3000);
  };
  const activity = (allowance = 0): void => {
    if (!options.idleTimeoutMs) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), options.idleTimeoutMs + allowance);
  };
  const wallTimer = options.timeoutMs ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
  const onAbort = (): void => stop('abort');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // The silence before the first line includes the program's own start-up, which a busy machine
  // can stretch to seconds: it is allowed on top of the no-output limit.
  activity(options.idleStartupMs ?? IDLE_STARTUP_MS);
  return {
    activity: () => activity(),
    clear: () => {
      clearTimeout(wallTimer);
      clearTimeout(idleTimer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** SIGTERM to the tree now, SIGKILL after the grace period; returns the timer of the second. */
function endTree(child: ChildProcess, graceMs: number): NodeJS.Timeout {
  killTree(child, 'SIGTERM');
  return setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
}

/** Each stream split into lines: kept in its tail, handed to `onLine`; every chunk counts as activity. */
function streamLines(
  child: ChildProcessWithoutNullStreams,
  tails: Record<'stdout' | 'stderr', string[]>,
  options: RunOptions,
  activity: () => void,
): void {
  const tailLines = options.tailLines ?? 50;
  for (const stream of ['stdout', 'stderr'] as const) {
    const tail = tails[stream];
    const splitter = new LineSplitter((line) => {
      tail.push(line);
      if (tail.length > tailLines) tail.shift();
      options.onLine?.(line, stream);
    });
    const readable = child[stream];
    readable.setEncoding('utf8');
    readable.on('data', (chunk: string) => {
      activity();
      splitter.push(chunk);
    });
    readable.on('end', () => splitter.flush());
  }
}

function spawnErrorMessage(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `command not found: ${file} (is it installed and on PATH?)`;
  if (error.code === 'EACCES') return `not executable: ${file}`;
  return `cannot start ${file}: ${error.message}`;
}

/** After the leader's exit: whatever it left behind in its group goes with it, then the run is finished. */
function endLeftovers(child: ChildProcess, finish: () => void): void {
  killTree(child, 'SIGKILL');
  // 'close' waits for the pipes; a grandchild that escaped the group could hold them open.
  const cap = setTimeout(finish, 2000);
  child.once('close', () => {
    clearTimeout(cap);
    finish();
  });
}
