/**
 * What a Goldloop process has running, written down as it starts it, so that what a crashed or
 * `kill -9`ed Goldloop left behind can be ended by the next one. Every child of `runProcess` leads
 * its own process group (POSIX); each Goldloop process that records keeps the groups it has
 * running in a file of its own, `<state>/processes/<pid>-<start time>.json`. A later Goldloop ends
 * the groups recorded by one that no longer runs — only those it can prove are the ones recorded:
 * the group's leader is gone (its pid cannot be reused while its group lives) or is still the
 * process that started at the recorded time.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { groupAlive, processInfo, sameProcess } from './process-info.ts';

interface RecordedGroup {
  /** The group's leader, the child runProcess started; its pid is the group's id. */
  pgid: number;
  /** The leader's start time (epoch ms), when the system says. */
  started_at?: number;
  /** Its program, for the message that says what was ended. */
  program: string;
}

let file: string | undefined;
const running = new Map<number, RecordedGroup>();

const ownStart = (): number | undefined => processInfo(process.pid)?.startedAt;

let owner: string | undefined;

/**
 * Records under another process's identity (`<pid>-<start time>`, from processIdentity()): in
 * `goldloop run`'s engine process, the host's, the process the user started and would kill (the
 * engine ends with it). A record is ended only once its owner no longer runs. Call before recordChildrenIn.
 */
export function recordChildrenAs(identity: string): void {
  if (/^\d+-\d+$/.test(identity)) owner = identity;
}

const recordOwner = (): string => owner ?? processIdentity();

/** This process's identity for another's record: `<pid>-<start time>`. */
export function processIdentity(): string {
  return `${process.pid}-${Math.round(ownStart() ?? 0)}`;
}

/** From now on this process records the groups it starts in `<stateDir>/processes/`. Idempotent. */
export function recordChildrenIn(stateDir: string): void {
  if (file || process.platform === 'win32') return;
  const folder = join(stateDir, 'processes');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  file = join(folder, `${recordOwner()}.json`);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify([...running.values()]));
    renameSync(`${file}.tmp`, file);
  } catch {
    // A full disk: the record is a safety net, never a reason to fail the child.
  }
}

/** The write in progress, and whether the record changed since it began. */
let writing: Promise<void> | undefined;
let again = false;

/**
 * Writes the record in the background: one write at a time, the next with every change made
 * meanwhile. A supervisor of twenty projects starts and ends children (git, gates, agents) many
 * times a second, and a synchronous write for each one held its event loop for most of a second
 * per second on a busy disk; the record trails the children by one write at most.
 */
function write(): void {
  if (!file) return;
  if (writing) {
    again = true;
    return;
  }
  const target = file;
  writing = (async () => {
    do {
      again = false;
      try {
        await writeFile(`${target}.tmp`, JSON.stringify([...running.values()]));
        await rename(`${target}.tmp`, target);
      } catch {
        // A full disk: the record is a safety net, never a reason to fail the child.
      }
    } while (again);
  })().finally(() => (writing = undefined));
}

/** Resolves once the record on disk holds every change made so far. */
export async function childRecordWritten(): Promise<void> {
  while (writing) await writing;
}

/** runProcess started a child leading group `pgid`. */
export function childStarted(pgid: number, program: string): void {
  if (!file) return;
  const startedAt = processInfo(pgid)?.startedAt;
  running.set(pgid, { pgid, program, ...(startedAt !== undefined ? { started_at: startedAt } : {}) });
  write();
}

/** The child's group has ended (or been ended). */
export function childEnded(pgid: number): void {
  if (!file || !running.delete(pgid)) return;
  write();
}

/** A group left by a Goldloop process that ended without ending it. */
export interface LeftGroup {
  pgid: number;
  program: string;
  /** The Goldloop process that started it. */
  owner: number;
}

/**
 * Ends (SIGKILL) every process group recorded by a Goldloop process that no longer runs, where the
 * group is provably the one recorded, and removes that process's record. Returns what was ended.
 */
export function endLeftChildren(stateDir: string): LeftGroup[] {
  if (process.platform === 'win32') return [];
  const folder = join(stateDir, 'processes');
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /^\d+-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const ended: LeftGroup[] = [];
  for (const name of names) {
    const [pid, start] = name.replace('.json', '').split('-').map(Number) as [number, number];
    if (pid === process.pid || sameProcess(pid, start || undefined)) continue; // Its owner still runs.
    let groups: RecordedGroup[];
    try {
      groups = JSON.parse(readFileSync(join(folder, name), 'utf8')) as RecordedGroup[];
    } catch {
      groups = []; // Torn by the crash: nothing to go on.
    }
    for (const g of Array.isArray(groups) ? groups : []) {
      if (!Number.isInteger(g.pgid) || g.pgid <= 1 || !groupAlive(g.pgid)) continue;
      // The leader runs as another program than the one recorded (its pid reused after it ended): not ours.
      if (processInfo(g.pgid) && !sameProcess(g.pgid, g.started_at)) continue;
      try {
        process.kill(-g.pgid, 'SIGKILL');
        ended.push({ pgid: g.pgid, program: String(g.program), owner: pid });
      } catch {
        // Gone meanwhile, or not ours to signal.
      }
    }
    rmSync(join(folder, name), { force: true });
  }
  return ended;
}
