import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';
import type { CycleSummary } from '../engine/loop/types.ts';

/** One line of `.goldloop/history.jsonl`: a cycle, with the counters after it. */
export interface HistoryEntry extends Omit<CycleSummary, 'checklist'> {
  run_id: string;
  /** The snapshot commit the cycle started from, when the project is a git repository. */
  git_before?: string;
  /** Goldloop-only fields the agent edited, which were restored. */
  ignored_edits?: string[];
  /** Ways the agent weakened the measurements; the cycle was not counted. */
  tamper?: { kind: string; message: string; evidence?: string }[];
  checklist: { id: string; passed: boolean; value: string | number | null }[];
  counters: { current_iteration: number; work_cycles_completed: number; tasks_completed: number; run_iterations: number; consecutive_errors: number };
}

export const historyPath = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'history.jsonl');

export async function appendHistory(projectDir: string, entry: HistoryEntry): Promise<void> {
  const path = historyPath(projectDir);
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(entry)}\n`);
}

/** Reads the history; a torn last line (a crash mid-append) is skipped, not fatal. */
export async function readHistory(projectDir: string): Promise<HistoryEntry[]> {
  const text = await readFile(historyPath(projectDir), 'utf8').catch(() => '');
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as HistoryEntry);
    } catch {
      // skipped
    }
  }
  return out;
}
