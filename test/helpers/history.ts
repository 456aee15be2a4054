/** Writes the made-up history (made-up-cycles.ts) into a project. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HistoryEntry } from '../../electron/contract/status.ts';
import { historyPath } from '../../electron/store/history.ts';
import { madeUpCycle } from './made-up-cycles.ts';

/** Writes `count` made-up cycles as the project's history. */
export async function writeMadeUpHistory(projectDir: string, count: number): Promise<HistoryEntry[]> {
  const entries = Array.from({ length: count }, (_, k) => madeUpCycle(k + 1));
  await mkdir(dirname(historyPath(projectDir)), { recursive: true });
  await writeFile(historyPath(projectDir), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return entries;
}
