// Samples: test/fixtures/reports/istanbul/coverage-final.json and coverage-summary.json are written
// by hand from istanbul's documented formats (no istanbul/nyc/@vitest/coverage is installed here);
// both describe the same three files (cart.js partly covered, format.js never run, index.js with
// no statements), so their totals agree. The small inline reports below are hand-written too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIstanbulFinal, parseIstanbulSummary } from '../../../../electron/engine/gates/parsers/istanbul.ts';
import { reasonOf } from './report-error.ts';

const dir = 'test/fixtures/reports/istanbul';
const summaryPath = `${dir}/coverage-summary.json`;
const finalPath = `${dir}/coverage-final.json`;
const summary = readFileSync(summaryPath, 'utf8');
const final = readFileSync(finalPath, 'utf8');

describe('parseIstanbulSummary', () => {
  it('reads the totals of every metric', () => {
    const report = parseIstanbulSummary(summary, summaryPath);
    expect(report.format).toBe('istanbul-summary');
    expect(report.totals).toEqual({
      lines: { covered: 6, total: 9, pct: 66.67 },
      statements: { covered: 6, total: 9, pct: 66.67 },
      functions: { covered: 2, total: 4, pct: 50 },
      branches: { covered: 3, total: 6, pct: 50 },
    });
  });

  it('lists every file except the total entry', () => {
    const report = parseIstanbulSummary(summary, summaryPath);
    expect(report.files.map((f) => f.file)).toEqual([
      '/home/dev/shop/src/cart.js',
      '/home/dev/shop/src/format.js',
      '/home/dev/shop/src/index.js',
    ]);
    expect(report.files[0]?.lines).toEqual({ covered: 6, total: 7, pct: 85.71 });
  });

  it('counts a file with no statements as fully covered despite istanbul writing pct "Unknown"', () => {
    const index = parseIstanbulSummary(summary, summaryPath).files.find((f) => f.file.endsWith('index.js'));
    expect(index?.lines).toEqual({ covered: 0, total: 0, pct: 100 });
  });

  it('reports a never-run file at 0%', () => {
    const format = parseIstanbulSummary(summary, summaryPath).files.find((f) => f.file.endsWith('format.js'));
    expect(format?.functions).toEqual({ covered: 0, total: 2, pct: 0 });
  });

  it('rejects empty input', () => {
    expect(reasonOf(() => parseIstanbulSummary('  \n', summaryPath))).toMatch(/^empty report: expected .*coverage-summary\.json/);
  });

  it('rejects malformed JSON', () => {
    expect(reasonOf(() => parseIstanbulSummary('{"total": {', summaryPath))).toMatch(/^not valid JSON: /);
  });

  it('points to the other format when given coverage-final.json', () => {
    expect(reasonOf(() => parseIstanbulSummary(final, finalPath))).toMatch(/looks like coverage-final\.json/);
  });

  it('names the field whose counter is not a number', () => {
    const broken = JSON.stringify({ total: { lines: { total: '9', covered: 6 }, statements: {}, functions: {}, branches: {} } });
    expect(reasonOf(() => parseIstanbulSummary(broken, summaryPath))).toMatch(/field 'total\.lines\.total'/);
  });

  it('rejects a summary that measured no files', () => {
    const empty = JSON.stringify({ total: JSON.parse(summary).total });
    expect(reasonOf(() => parseIstanbulSummary(empty, summaryPath))).toMatch(/measures no files/);
  });

  it('rejects a JSON array', () => {
    expect(reasonOf(() => parseIstanbulSummary('[]', summaryPath))).toMatch(/expected an object with a 'total' entry/);
  });
});

describe('parseIstanbulFinal', () => {
  it('computes totals from the hit maps', () => {
    const report = parseIstanbulFinal(final, finalPath);
    expect(report.format).toBe('istanbul-final');
    expect(report.totals).toEqual({
      lines: { covered: 6, total: 9, pct: 66.67 },
      statements: { covered: 6, total: 9, pct: 66.67 },
      functions: { covered: 2, total: 4, pct: 50 },
      branches: { covered: 3, total: 6, pct: 50 },
    });
  });

  it('agrees with the summary reporter on every file', () => {
    const fromSummary = parseIstanbulSummary(summary, summaryPath).files;
    const fromFinal = parseIstanbulFinal(final, finalPath).files.map(({ uncoveredLines: _, ...counters }) => counters);
    expect(fromFinal).toEqual(fromSummary);
  });

  it('lists the uncovered lines of each file', () => {
    const files = parseIstanbulFinal(final, finalPath).files;
    expect(files.map((f) => f.uncoveredLines)).toEqual([[11], [2, 6], []]);
  });

  it('counts a line as covered when any statement starting on it ran', () => {
    const report = JSON.stringify({
      'a.js': {
        path: 'a.js',
        statementMap: { 0: { start: { line: 1 } }, 1: { start: { line: 1 } } },
        s: { 0: 0, 1: 4 },
        f: {},
        b: {},
      },
    });
    const [a] = parseIstanbulFinal(report, 'a.json').files;
    expect(a?.lines).toEqual({ covered: 1, total: 1, pct: 100 });
    expect(a?.statements).toEqual({ covered: 1, total: 2, pct: 50 });
  });

  it('uses the object key when an entry has no path', () => {
    const report = JSON.stringify({ 'src/b.js': { statementMap: {}, s: {}, f: {}, b: {} } });
    expect(parseIstanbulFinal(report, 'b.json').files[0]?.file).toBe('src/b.js');
  });

  it('rejects a statement hit without a location', () => {
    const report = JSON.stringify({ 'a.js': { statementMap: {}, s: { 0: 1 }, f: {}, b: {} } });
    expect(reasonOf(() => parseIstanbulFinal(report, 'a.json'))).toBe("a.js: statement '0' has hits but no entry in statementMap");
  });

  it('names the field of a negative hit count', () => {
    const report = JSON.stringify({ 'a.js': { statementMap: {}, s: {}, f: { 0: -1 }, b: {} } });
    expect(reasonOf(() => parseIstanbulFinal(report, 'a.json'))).toMatch(/field 'a\.js\.f\.0'/);
  });

  it('points to the other format when given coverage-summary.json', () => {
    expect(reasonOf(() => parseIstanbulFinal(summary, summaryPath))).toMatch(/looks like coverage-summary\.json/);
  });

  it('rejects a report with no files', () => {
    expect(reasonOf(() => parseIstanbulFinal('{}', finalPath))).toMatch(/measures no files/);
  });

  it('rejects empty input', () => {
    expect(reasonOf(() => parseIstanbulFinal('', finalPath))).toMatch(/^empty report: /);
  });

  it('rejects malformed JSON', () => {
    expect(reasonOf(() => parseIstanbulFinal('{"a.js": }', finalPath))).toMatch(/^not valid JSON: /);
  });

  it('names the file in the error message', () => {
    expect(() => parseIstanbulFinal('null', finalPath)).toThrow(`${finalPath}: expected an object of per-file hit maps`);
  });
});
