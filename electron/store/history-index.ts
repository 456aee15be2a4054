/**
 * An index of `history.jsonl`, kept per file and brought up to date by reading only what was
 * appended since: where each complete line starts and ends, its cycle, and its point of the
 * trends. A page of cycles, the trends or one cycle then cost a read of their own lines, not of
 * a thousand-cycle file at every cycle's end. The history is only ever appended to; a file that
 * was replaced, truncated or rewritten (its inode, or the byte before the indexed end, changed)
 * is indexed again from the start.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { CyclePage, HistoryEntry } from '../contract/status.ts';
import { trendPoint, type TrendPoint } from '../contract/trends.ts';
import { historyPath, parseHistoryLine } from './history.ts';

interface Line {
  start: number;
  end: number;
  iteration: number;
  /** Absent for a line without a checklist or counters (none this version writes). */
  point?: TrendPoint;
}

interface Index {
  ino: bigint;
  /** Bytes indexed: up to the end of the last complete line. */
  size: number;
  lines: Line[];
}

const indexes = new Map<string, Index>();
/** Appended text is read in chunks of this many bytes, so a big first read does not hold the whole file. */
const CHUNK = 1 << 20;

async function extend(file: FileHandle, index: Index, size: number): Promise<void> {
  let carry = Buffer.alloc(0);
  let at = index.size;
  while (at < size) {
    const buffer = Buffer.alloc(Math.min(CHUNK, size - at));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
    if (!bytesRead) break;
    const text = Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
    const base = at - carry.length;
    at += bytesRead;
    let lineStart = 0;
    for (let nl = text.indexOf(10); nl >= 0; nl = text.indexOf(10, lineStart)) {
      // A damaged line is skipped, as readHistory does; a torn last line waits for its end.
      const h = parseHistoryLine(text.subarray(lineStart, nl).toString('utf8'));
      if (h) {
        const point = Array.isArray(h.checklist) && h.counters ? trendPoint(h) : undefined;
        index.lines.push({ start: base + lineStart, end: base + nl, iteration: h.iteration, ...(point ? { point } : {}) });
      }
      lineStart = nl + 1;
    }
    index.size = base + lineStart;
    carry = text.subarray(lineStart);
  }
}

/** The file's index, up to date; undefined when the project has no history. */
async function indexOf(projectDir: string): Promise<{ index: Index; file: FileHandle } | undefined> {
  const path = historyPath(projectDir);
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) {
    indexes.delete(path);
    return undefined;
  }
  try {
    const s = await file.stat({ bigint: true });
    const size = Number(s.size);
    let index = indexes.get(path);
    if (index && (index.ino !== s.ino || size < index.size || !(await endsLine(file, index.size)))) index = undefined;
    if (!index) index = { ino: s.ino, size: 0, lines: [] };
    indexes.set(path, index);
    if (size > index.size) await extend(file, index, size);
    return { index, file };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** True when the indexed part still ends where a line ended (the file was appended to, not rewritten). */
async function endsLine(file: FileHandle, size: number): Promise<boolean> {
  if (size === 0) return true;
  const byte = Buffer.alloc(1);
  await file.read(byte, 0, 1, size - 1);
  return byte[0] === 10;
}

/** Reads and parses indexed lines (consecutive ones), in one read from the first's start to the last's end. */
async function readLines(file: FileHandle, lines: Line[]): Promise<HistoryEntry[]> {
  if (!lines.length) return [];
  const start = lines[0]!.start;
  const buffer = Buffer.alloc(lines.at(-1)!.end - start);
  await file.read(buffer, 0, buffer.length, start);
  return lines.flatMap((l) => parseHistoryLine(buffer.subarray(l.start - start, l.end - start).toString('utf8')) ?? []);
}

/** Per file, the read in progress: one at a time, so two readers never extend an index twice. */
const turns = new Map<string, Promise<unknown>>();

/** Runs `use` on the up-to-date index and the open file; `empty` when there is no history. */
function withIndex<T>(projectDir: string, empty: T, use: (index: Index, file: FileHandle) => Promise<T> | T): Promise<T> {
  const path = historyPath(projectDir);
  const run = async (): Promise<T> => {
    const opened = await indexOf(projectDir);
    if (!opened) return empty;
    try {
      return await use(opened.index, opened.file);
    } finally {
      await opened.file.close();
    }
  };
  const turn = (turns.get(path) ?? Promise.resolve()).then(run, run);
  const settled = turn.catch(() => {});
  turns.set(path, settled);
  void settled.then(() => {
    if (turns.get(path) === settled) turns.delete(path);
  });
  return turn;
}

/** The most cycles one page of the history holds when the caller names no limit. */
export const CYCLE_PAGE = 50;

/** A page of the history, newest first: `from` cycles back from the newest, at most `limit`. */
export async function readHistoryPage(projectDir: string, opts: { from?: number; limit?: number } = {}): Promise<CyclePage> {
  return withIndex(projectDir, { total: 0, from: 0, cycles: [] }, async (index, file) => {
    const total = index.lines.length;
    const from = Math.min(opts.from ?? 0, total);
    const end = total - from;
    const cycles = await readLines(file, index.lines.slice(Math.max(0, end - (opts.limit ?? CYCLE_PAGE)), end));
    return { total, from, cycles: cycles.reverse() };
  });
}

/** The trends of the newest `last` cycles, oldest first, and how many cycles the history holds. */
export function historyTrends(projectDir: string, last: number): Promise<{ cycles: number; points: TrendPoint[] }> {
  return withIndex(projectDir, { cycles: 0, points: [] as TrendPoint[] }, (index) => ({
    cycles: index.lines.length,
    points: index.lines.slice(-last).flatMap((l) => l.point ?? []),
  }));
}

/** The last line recorded for a cycle, or undefined. */
export function historyCycle(projectDir: string, iteration: number): Promise<HistoryEntry | undefined> {
  return withIndex(projectDir, undefined, async (index, file) => {
    const line = index.lines.findLast((l) => l.iteration === iteration);
    return line ? (await readLines(file, [line]))[0] : undefined;
  });
}

/** Forgets every index (a process about to wait a long time keeps nothing it can read again). */
export function forgetHistoryIndexes(): void {
  indexes.clear();
}
