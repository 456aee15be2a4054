import { lstat, mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { LOG_TIME } from './cycle-log.ts';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';
import type { LogLine, LogPage, ReportEntry } from '../contract/status.ts';

/** Where the loop writes each cycle's agent output: `.goldloop/logs/cycle-000042.log`. */
export const logsDir = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'logs');

/** Makes `.goldloop/logs/` and keeps Goldloop's own files out of the project's commits (a `.gitignore` the user may edit is kept). */
export async function prepareGoldloopFolder(projectDir: string): Promise<void> {
  await mkdir(logsDir(projectDir), { recursive: true });
  const path = join(projectDir, GOLDLOOP_DIR, '.gitignore');
  await writeFile(path, '# Goldloop state, logs and reports: kept out of checkpoint commits.\n*\n', { flag: 'wx' }).catch(() => {});
}
const reportsFolder = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'reports');

const LOG_NAME = /^cycle-(\d+)\.log$/;
const DEFAULT_LIMIT = 50_000;

/**
 * A file the views may read: a regular file (not a link), in `folder`, whose real path lies in the
 * project's own `.goldloop/` — an agent could plant a link (`reports/x.md -> /etc/passwd`), or
 * make the folder itself one, and the dashboard would serve what it points at.
 */
async function ownFile(projectDir: string, folder: string, name: string): Promise<{ path: string; size: number; mtime: Date } | undefined> {
  const path = join(folder, name);
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const [real, root] = await Promise.all([realpath(path).catch(() => ''), realpath(join(projectDir, GOLDLOOP_DIR)).catch(() => '')]);
  const inside = root !== '' && real.startsWith(`${root}${sep}`) && real.slice(root.length + 1).split(sep).length === 2;
  return inside ? { path: real, size: info.size, mtime: info.mtime } : undefined;
}

/** The cycles that have a log, oldest first. */
export async function logCycles(projectDir: string): Promise<number[]> {
  const names = await readdir(logsDir(projectDir)).catch(() => [] as string[]);
  return names
    .map((n) => LOG_NAME.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The loop writes each line after its time, and stderr lines with a `! ` prefix; both are turned back into fields here. */
function parseLine(raw: string): LogLine {
  const stamped = LOG_TIME.exec(raw);
  const rest = stamped ? raw.slice(stamped[0].length) : raw;
  const line: LogLine = rest.startsWith('! ') ? { stream: 'stderr', text: rest.slice(2) } : { stream: 'stdout', text: rest };
  return stamped ? { ...line, at: stamped[1]! } : line;
}

/**
 * Reads a slice of one cycle's log (the latest when `cycle` is not given). `from` < 0 counts from
 * the end, so `{ from: -1000 }` is the tail.
 */
export async function readLog(projectDir: string, opts: { cycle?: number; from?: number; limit?: number } = {}): Promise<LogPage> {
  const cycles = await logCycles(projectDir);
  const cycle = opts.cycle ?? cycles.at(-1);
  if (cycle === undefined || !cycles.includes(cycle))
    return { cycles, from: 0, total: 0, lines: [], ...(cycle !== undefined ? { cycle } : {}) };
  const file = await ownFile(projectDir, logsDir(projectDir), `cycle-${String(cycle).padStart(6, '0')}.log`);
  const text = file ? await readFile(file.path, 'utf8').catch(() => '') : '';
  const raw = text.split('\n');
  if (raw.at(-1) === '') raw.pop();
  const total = raw.length;
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const from = Math.min(
    total,
    Math.max(0, opts.from === undefined ? Math.max(0, total - limit) : opts.from < 0 ? total + opts.from : opts.from),
  );
  return { cycle, cycles, from, total, lines: raw.slice(from, from + limit).map(parseLine) };
}

const REPORT_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)-(\w+)\.md$/;

/** The project's reports, newest first. */
export async function listReports(projectDir: string): Promise<ReportEntry[]> {
  const dir = reportsFolder(projectDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ReportEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.md'))) {
    const info = await ownFile(projectDir, dir, name);
    if (!info) continue;
    const m = REPORT_NAME.exec(name);
    const kind = m?.[2];
    out.push({
      name,
      kind: kind === 'progress' || kind === 'status' || kind === 'final' ? kind : 'other',
      // The name holds the time with dashes for colons (valid on every file system); put them back.
      at: m ? m[1]!.replace(/T(\d{2})-(\d{2})-(\d{2})Z$/, 'T$1:$2:$3Z') : info.mtime.toISOString(),
      size: info.size,
    });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at) || b.name.localeCompare(a.name));
}

/** One report's Markdown; undefined when there is no such report. `name` must be a bare file name. */
export async function readReport(projectDir: string, name: string): Promise<string | undefined> {
  if (name.includes('/') || name.includes('\\') || name.startsWith('.')) return undefined;
  const file = await ownFile(projectDir, reportsFolder(projectDir), name);
  return file ? readFile(file.path, 'utf8').catch(() => undefined) : undefined;
}
