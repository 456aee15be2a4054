/**
 * The cycle history as the dashboard lists it: a page at a time, newest first, and one cycle with
 * what its row links to — its agent log, its diff, the gate evidence it was judged on.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DIFF_LINES, type CycleDetail, type HistoryEntry } from '../../contract/status.ts';
import { fail } from '../../contract/errors.ts';
import { evidenceFolder, findEvidenceFolder } from '../../engine/gates/evidence.ts';
import { isRepository } from '../../platform/git.ts';
import { historyCycle } from '../../store/history-index.ts';
import { logCycles, logsDir } from '../../store/project-files.ts';
import { openSnapshots } from '../../store/state-folder.ts';

/** One cycle of the history (the last line recorded for it), with its log's name, its diff and its evidence. */
export async function cycleDetail(projectDir: string, iteration: number): Promise<CycleDetail> {
  const cycle = await historyCycle(projectDir, iteration);
  if (!cycle) return fail('not_found', `the history has no cycle ${iteration}`, 'pick a cycle from listCycles', 'cycle');
  const [log, diff, evidence] = await Promise.all([
    logOf(projectDir, iteration),
    diffOf(projectDir, cycle),
    evidenceOf(projectDir, iteration),
  ]);
  return { cycle, ...log, ...diff, ...evidence };
}

async function logOf(projectDir: string, iteration: number): Promise<Pick<CycleDetail, 'log'>> {
  if (!(await logCycles(projectDir)).includes(iteration)) return {};
  return { log: relative(projectDir, join(logsDir(projectDir), `cycle-${String(iteration).padStart(6, '0')}.log`)) };
}

/** The agent's diff, from Goldloop's snapshots of the cycle's start and end. */
async function diffOf(projectDir: string, cycle: HistoryEntry): Promise<Pick<CycleDetail, 'diff' | 'no_diff'>> {
  if (!(await isRepository(projectDir))) return { no_diff: 'the project is not a git repository, so Goldloop keeps no snapshots of it' };
  const snapshots = await openSnapshots(projectDir);
  const ref = (end: 'start' | 'end'): Promise<string | undefined> => snapshots.commitOf(`refs/goldloop/cycles/${cycle.iteration}/${end}`);
  const [start, end] = await Promise.all([ref('start'), ref('end')]);
  if (!start || !end) return { no_diff: `Goldloop's snapshots hold no ${start ? 'end' : 'start'} of cycle ${cycle.iteration}` };
  try {
    const lines = await snapshots.diff(start, end);
    return { diff: { lines: lines.slice(0, DIFF_LINES), total: lines.length } };
  } catch (error) {
    return { no_diff: (error as Error).message };
  }
}

/**
 * The evidence folder of the cycle's gate phase (else of its measurement after a roll-back), while
 * it is kept: named by date and cycle (`2026-12-02T0105-cycle-12`), or by cycle alone (earlier versions).
 */
async function evidenceOf(projectDir: string, iteration: number): Promise<Pick<CycleDetail, 'evidence'>> {
  for (const label of [`cycle-${iteration}`, `cycle-${iteration}-rollback`]) {
    const name = await findEvidenceFolder(projectDir, label);
    if (name === undefined) continue;
    const folder = evidenceFolder(projectDir, name);
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => undefined);
    if (!entries) continue;
    const files = entries.filter((e) => e.isFile()).map((e) => relative(folder, join(e.parentPath, e.name)));
    return { evidence: { folder: relative(projectDir, folder), files: files.sort() } };
  }
  return {};
}
