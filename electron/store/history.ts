import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';
import type { HistoryEntry } from '../contract/status.ts';

export type { HistoryEntry } from '../contract/status.ts';

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
