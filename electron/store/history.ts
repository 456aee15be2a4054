import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';
import type { CyclePage, HistoryEntry } from '../contract/status.ts';
import { snakeCaseKeys } from './legacy.ts';

export type { HistoryEntry } from '../contract/status.ts';

export const historyPath = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'history.jsonl');

export async function appendHistory(projectDir: string, entry: HistoryEntry): Promise<void> {
  const path = historyPath(projectDir);
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(entry)}\n`);
}

/**
 * One line of the history as written by this version or an earlier one (whose field names were
 * camelCase: `endedAt`, `agent.durationMs`); undefined for a line that is not JSON, such as the
 * torn last line a crash mid-append leaves.
 */
export function parseHistoryLine(line: string): HistoryEntry | undefined {
  if (!line.trim()) return undefined;
  try {
    return snakeCaseKeys(JSON.parse(line)) as HistoryEntry;
  } catch {
    return undefined;
  }
}

/** Reads the history; a torn last line (a crash mid-append) is skipped, not fatal. */
export async function readHistory(projectDir: string): Promise<HistoryEntry[]> {
  const text = await readFile(historyPath(projectDir), 'utf8').catch(() => '');
  return text.split('\n').flatMap((line) => parseHistoryLine(line) ?? []);
}

/** The most cycles one page of the history holds when the caller names no limit. */
export const CYCLE_PAGE = 50;

/**
 * A page of the history, newest first: `from` cycles back from the newest, at most `limit`. A
 * history of thousands of cycles is sent a page at a time; the file is still read whole (a line is
 * small, and appends keep no index to seek by).
 */
export async function readHistoryPage(projectDir: string, opts: { from?: number; limit?: number } = {}): Promise<CyclePage> {
  const all = await readHistory(projectDir);
  const from = Math.min(opts.from ?? 0, all.length);
  const end = all.length - from;
  return { total: all.length, from, cycles: all.slice(Math.max(0, end - (opts.limit ?? CYCLE_PAGE)), end).reverse() };
}
