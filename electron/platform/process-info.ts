/**
 * What the system says about a running process: when it started and its command line. A pid
 * alone does not name a process for long — after a reboot pid 1, or any pid, belongs to another
 * program — so a lock or a record that names a pid is checked against these.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessInfo {
  /** When it started (epoch ms; on Linux to within a second). */
  startedAt?: number;
  /** Its command line, the arguments joined with spaces. */
  command?: string;
}

let bootTime: number | undefined;

/** Linux: the boot time (epoch ms), from /proc/stat. */
function linuxBootTime(): number | undefined {
  if (bootTime === undefined) {
    const line = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    bootTime = line ? Number(line[1]) * 1000 : undefined;
  }
  return bootTime;
}

function linuxInfo(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces and parentheses): the start time is the 22nd field.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  const boot = linuxBootTime();
  let command: string | undefined;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    command = undefined;
  }
  return {
    ...(boot !== undefined && Number.isFinite(ticks) ? { startedAt: boot + (ticks / 100) * 1000 } : {}),
    ...(command !== undefined ? { command } : {}),
  };
}

/** macOS and other POSIX systems: `ps`. */
function psInfo(pid: number): ProcessInfo | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 }).trim();
    if (!out) return undefined;
    // lstart is "Tue Dec  1 14:38:52 2026": 24 characters, then the command.
    const startedAt = Date.parse(out.slice(0, 24));
    return { ...(Number.isFinite(startedAt) ? { startedAt } : {}), command: out.slice(24).trim() };
  } catch {
    return undefined;
  }
}

/** The start time and command line of a running process; undefined when it does not run (or cannot be seen). */
export function processInfo(pid: number): ProcessInfo | undefined {
  if (process.platform === 'linux') return linuxInfo(pid);
  if (process.platform === 'win32') return undefined;
  return psInfo(pid);
}

/** A start time read twice (from /proc, or `ps` to the second) agrees to within this. */
const SAME_START_MS = 1500;

/** True when the process `pid` runs and started at `startedAt` (or no time was recorded to compare). */
export function sameProcess(pid: number, startedAt: number | undefined): boolean {
  const info = processInfo(pid);
  if (!info) return false;
  return startedAt === undefined || info.startedAt === undefined || Math.abs(info.startedAt - startedAt) < SAME_START_MS;
}

/** True while any process of the group led by `pid` is alive (POSIX). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
