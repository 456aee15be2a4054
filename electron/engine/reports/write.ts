import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';
import type { ReportKind } from './due.ts';
import { redactSecrets } from './redact.ts';

export const reportsDir = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'reports');

/** `2026-11-24T18-05-00Z-final.md`: sorts by time, says its kind, is valid on every file system. */
export function reportFileName(at: Date, kind: string): string {
  return `${at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}-${kind}.md`;
}

const REPORT_NAME = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)-(progress|status|final)(?:-\d+)?\.md$/;

/**
 * Writes a report into `.goldloop/reports/`, redacted: whatever the agent printed (and so whatever
 * reached the KB or the history) passes through `redactSecrets` first. A report of the same kind
 * in the same second gets a numbered name instead of replacing the first. Returns the path.
 */
export async function writeReport(projectDir: string, kind: ReportKind, at: Date, body: string): Promise<string> {
  const dir = reportsDir(projectDir);
  await mkdir(dir, { recursive: true });
  const text = redactSecrets(body);
  const name = reportFileName(at, kind);
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? name : name.replace(/\.md$/, `-${n}.md`));
    try {
      await writeFile(path, text, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}

/** The reports in `.goldloop/reports/`, oldest first, optionally of one kind. */
export async function listReports(projectDir: string, kind?: ReportKind): Promise<{ path: string; kind: ReportKind; at: string }[]> {
  const dir = reportsDir(projectDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, m: REPORT_NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null && (!kind || x.m[2] === kind))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
    .map(({ name, m }) => ({ path: join(dir, name), kind: m[2] as ReportKind, at: m[1]!.replace(/T(\d\d)-(\d\d)-(\d\d)Z/, 'T$1:$2:$3Z') }));
}
