import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';
import type { HistoryEntry } from '../contract/status.ts';
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
