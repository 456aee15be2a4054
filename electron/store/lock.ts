import { mkdir, readFile, unlink, writeFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../platform/atomic.ts';
import { processInfo, sameProcess } from '../platform/process-info.ts';
import { asWriteError } from '../platform/write-error.ts';
import { GOLDLOOP_DIR } from './kb/names.ts';

export interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
  command: string;
  /**
   * `goldloop run`'s engine process, started by the holder (cli/run-host.ts): a run that takes
   * over the lock of a dead holder ends it first, if it is still that process (pid and start time).
   */
  engine?: { pid: number; started_at?: number };
}

export class LockedError extends Error {
  readonly holder: LockInfo;
  constructor(projectDir: string, holder: LockInfo) {
    super(
      `${projectDir} is already driven by another Goldloop process (pid ${holder.pid} on ${holder.host}, since ${holder.started_at}). ` +
        `Stop that one first; if it is gone, its lock in ${join(GOLDLOOP_DIR, 'run.lock')} is taken over automatically. ` +
        `If pid ${holder.pid} is not a Goldloop process, delete ${join(projectDir, GOLDLOOP_DIR, 'run.lock')} and start again.`,
    );
    this.name = 'LockedError';
    this.holder = holder;
  }
}

export const lockPath = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'run.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Clocks and /proc's start time agree to within about a second; a holder writes its lock after it starts. */
const START_TOLERANCE_MS = 2000;

/**
 * A lock held by a process that no longer runs on this host (or an unreadable, half-written one).
 * A live process with the lock's pid that started after the lock was written is another program
 * that got the pid later (after a reboot, pid 1): the lock is stale all the same.
 */
function isStale(info: LockInfo | undefined): boolean {
  if (!info) return true;
  if (info.host !== hostname()) return false;
  if (!alive(info.pid)) return true;
  const started = processInfo(info.pid)?.startedAt;
  const written = Date.parse(info.started_at);
  return started !== undefined && Number.isFinite(written) && started > written + START_TOLERANCE_MS;
}

export interface ProjectLock {
  info: LockInfo;
  /** Names the engine process this holder started (or none), for a take-over to end if this holder dies. */
  setEngine(pid: number | undefined): Promise<void>;
  release(): Promise<void>;
}

/**
 * Takes the project's run lock so two Goldloop processes never drive one project. The lock is a
 * file created exclusively; a lock left by a crashed process (its pid is gone) is taken over.
 * The take-over itself is serialised by a second exclusive file, so two starters racing for one
 * stale lock cannot both win.
 */
export async function acquireLock(projectDir: string, command = process.argv.slice(1).join(' ')): Promise<ProjectLock> {
  const path = lockPath(projectDir);
  await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true }).catch((error: unknown) => {
    throw asWriteError(error, dirname(path));
  });
  const info: LockInfo = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command };
  const body = `${JSON.stringify(info, null, 2)}\n`;

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, body, { flag: 'wx' });
      return {
        info,
        async setEngine(pid) {
          const started = pid === undefined ? undefined : processInfo(pid)?.startedAt;
          const next: LockInfo = {
            ...info,
            ...(pid === undefined ? {} : { engine: { pid, ...(started !== undefined ? { started_at: started } : {}) } }),
          };
          // Replaced whole, never half-written: a reader must never take a live holder's lock for a stale one.
          await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
        },
        async release() {
          const current = await readLock(path);
          if (current?.pid === info.pid && current.started_at === info.started_at) await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw asWriteError(error, path);
    }
    const holder = await readLock(path);
    if (!isStale(holder)) throw new LockedError(projectDir, holder!);
    await takeOver(path, holder);
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

async function takeOver(path: string, seen: LockInfo | undefined): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch {
    // Someone else is taking over; a guard older than 30 s belongs to a starter that died mid-way.
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 30_000) await unlink(guard).catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const again = await readLock(path);
    // Remove it only if it is still the stale lock we judged, not a fresh one; first end the engine its dead holder left.
    if (JSON.stringify(again) === JSON.stringify(seen) && isStale(again)) {
      endOrphanEngine(again);
      await unlink(path).catch(() => {});
    }
  } finally {
    await unlink(guard).catch(() => {});
  }
}

/** Ends (SIGKILL, with its process group) the engine process a dead holder on this host left, if it provably still runs. */
function endOrphanEngine(info: LockInfo | undefined): void {
  const engine = info?.engine;
  if (!engine || info.host !== hostname() || process.platform === 'win32' || !sameProcess(engine.pid, engine.started_at)) return;
  try {
    process.kill(-engine.pid, 'SIGKILL');
  } catch {
    try {
      process.kill(engine.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

/** The current holder, if a live process holds the lock. */
export async function lockHolder(projectDir: string): Promise<LockInfo | undefined> {
  const info = await readLock(lockPath(projectDir));
  return info && !isStale(info) ? info : undefined;
}
