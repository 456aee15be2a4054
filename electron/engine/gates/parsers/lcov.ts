import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { counter, ReportError, type CoverageReport, type FileCoverage } from './types.ts';

interface Tally {
  file: string;
  lf: number;
  lh: number;
  brf: number;
  brh: number;
  fnf: number;
  fnh: number;
  /** Counted from DA/BRDA/FNDA records when the summary lines (LF/LH...) are missing. */
  da: Map<number, number>;
  brda: number;
  brdaHit: number;
  fnda: number;
  fndaHit: number;
  hasSummary: { lines: boolean; branches: boolean; functions: boolean };
}

const fresh = (file: string): Tally => ({
  file,
  lf: 0,
  lh: 0,
  brf: 0,
  brh: 0,
  fnf: 0,
  fnh: 0,
  da: new Map(),
  brda: 0,
  brdaHit: 0,
  fnda: 0,
  fndaHit: 0,
  hasSummary: { lines: false, branches: false, functions: false },
});

/** An lcov tracefile parser fed one line at a time, so a large report never sits in memory whole. */
export class LcovParser {
  private current: Tally | undefined;
  private readonly files: FileCoverage[] = [];
  private lineNo = 0;
  constructor(private readonly file: string) {}

  line(raw: string): void {
    this.lineNo += 1;
    const line = raw.trim();
    if (!line || line === 'TN:' || line.startsWith('TN:')) return;
    if (line === 'end_of_record') {
      if (this.current) this.files.push(this.finish(this.current));
      this.current = undefined;
      return;
    }
    const colon = line.indexOf(':');
    if (colon < 0) throw new ReportError(this.file, `line ${this.lineNo}: "${line.slice(0, 60)}" is not an lcov record`);
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (key === 'SF') {
      if (this.current) this.files.push(this.finish(this.current));
      this.current = fresh(value);
      return;
    }
    const t = this.current;
    if (!t) throw new ReportError(this.file, `line ${this.lineNo}: ${key} record before any SF: (source file) record`);
    const n = (s: string | undefined): number => {
      const v = Number(s);
      if (!Number.isFinite(v)) throw new ReportError(this.file, `line ${this.lineNo}: "${line.slice(0, 60)}" has a non-numeric count`);
      return v;
    };
    const parts = value.split(',');
    switch (key) {
      case 'DA': {
        const ln = n(parts[0]);
        t.da.set(ln, (t.da.get(ln) ?? 0) + n(parts[1]));
        break;
      }
      case 'LF':
        t.lf = n(value);
        t.hasSummary.lines = true;
        break;
      case 'LH':
        t.lh = n(value);
        break;
      case 'BRDA':
        t.brda += 1;
        if (parts[3] !== '-' && n(parts[3]) > 0) t.brdaHit += 1;
        break;
      case 'BRF':
        t.brf = n(value);
        t.hasSummary.branches = true;
        break;
      case 'BRH':
        t.brh = n(value);
        break;
      case 'FNDA':
        t.fnda += 1;
        if (n(parts[0]) > 0) t.fndaHit += 1;
        break;
      case 'FNF':
        t.fnf = n(value);
        t.hasSummary.functions = true;
        break;
      case 'FNH':
        t.fnh = n(value);
        break;
      default:
        break; // FN, VER and other records carry nothing the totals need.
    }
  }

  private finish(t: Tally): FileCoverage {
    const hits = [...t.da.values()];
    const lines = t.hasSummary.lines ? counter(t.lh, t.lf) : counter(hits.filter((h) => h > 0).length, hits.length);
    const branches = t.hasSummary.branches ? counter(t.brh, t.brf) : counter(t.brdaHit, t.brda);
    const functions = t.hasSummary.functions ? counter(t.fnh, t.fnf) : counter(t.fndaHit, t.fnda);
    const uncoveredLines = [...t.da.entries()]
      .filter(([, h]) => h === 0)
      .map(([ln]) => ln)
      .sort((a, b) => a - b);
    return { file: t.file, lines, branches, functions, uncoveredLines };
  }

  end(): CoverageReport {
    if (this.current) this.files.push(this.finish(this.current));
    this.current = undefined;
    if (this.files.length === 0) throw new ReportError(this.file, 'no SF: records: the lcov report names no source file');
    const sum = (pick: (f: FileCoverage) => { covered: number; total: number } | undefined) => {
      let covered = 0;
      let total = 0;
      for (const f of this.files) {
        const c = pick(f);
        covered += c?.covered ?? 0;
        total += c?.total ?? 0;
      }
      return counter(covered, total);
    };
    return {
      format: 'lcov',
      totals: { lines: sum((f) => f.lines), branches: sum((f) => f.branches), functions: sum((f) => f.functions) },
      files: this.files,
    };
  }
}

/** Parses lcov text. */
export function parseLcov(text: string, file: string): CoverageReport {
  const parser = new LcovParser(file);
  for (const line of text.split('\n')) parser.line(line);
  return parser.end();
}

/** Parses an lcov file by streaming it line by line. */
export async function readLcov(path: string): Promise<CoverageReport> {
  const parser = new LcovParser(path);
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) parser.line(line);
  } catch (error) {
    if (error instanceof ReportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError(
      path,
      code === 'ENOENT' ? 'not found: the test command did not write it' : `cannot read: ${(error as Error).message}`,
    );
  }
  return parser.end();
}
