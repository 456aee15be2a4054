// Samples: test/fixtures/reports/jacoco/jacoco.xml is written by hand (no JDK or JaCoCo here),
// following JaCoCo's report.dtd and the layout JaCoCo emits: one line, counters at method,
// class, sourcefile, package and report level, BRANCH left out where there are no branches.
// It holds Stock.java (partly covered), Labels.java (never run) and io/Csv.java (fully covered),
// with counters that add up at every level. The small inline reports below are hand-written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJacoco } from '../../../../electron/engine/gates/parsers/jacoco.ts';
import { reasonOf } from './report-error.ts';

const path = 'test/fixtures/reports/jacoco/jacoco.xml';
const xml = readFileSync(path, 'utf8');

const DOCTYPE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">';
const LINE = (missed: number, covered: number) => `<counter type="LINE" missed="${missed}" covered="${covered}"/>`;

describe('parseJacoco', () => {
  it('reads the report-level counters as totals', () => {
    const report = parseJacoco(xml, path);
    expect(report.format).toBe('jacoco');
    expect(report.totals).toEqual({
      lines: { covered: 6, total: 10, pct: 60 },
      branches: { covered: 3, total: 6, pct: 50 },
      functions: { covered: 4, total: 7, pct: 57.14 },
      statements: { covered: 25, total: 40, pct: 62.5 },
    });
  });

  it('names each file by package path and source file name', () => {
    expect(parseJacoco(xml, path).files.map((f) => f.file)).toEqual([
      'com/example/inventory/Stock.java',
      'com/example/inventory/Labels.java',
      'com/example/inventory/io/Csv.java',
    ]);
  });

  it('reads per-file counters and the lines where nothing ran', () => {
    expect(parseJacoco(xml, path).files[0]).toEqual({
      file: 'com/example/inventory/Stock.java',
      lines: { covered: 3, total: 5, pct: 60 },
      branches: { covered: 1, total: 4, pct: 25 },
      functions: { covered: 2, total: 3, pct: 66.67 },
      statements: { covered: 13, total: 21, pct: 61.9 },
      uncoveredLines: [13, 19],
    });
  });

  it('reads a never-run file at 0% and leaves out the BRANCH counter JaCoCo omitted', () => {
    expect(parseJacoco(xml, path).files[1]).toEqual({
      file: 'com/example/inventory/Labels.java',
      lines: { covered: 0, total: 2, pct: 0 },
      functions: { covered: 0, total: 2, pct: 0 },
      statements: { covered: 0, total: 7, pct: 0 },
      uncoveredLines: [3, 6],
    });
  });

  it('does not list a partly covered line as uncovered', () => {
    const csv = `${DOCTYPE}<report name="r"><package name="p"><sourcefile name="A.java"><line nr="4" mi="2" ci="1" mb="1" cb="1"/>${LINE(0, 1)}</sourcefile></package>${LINE(0, 1)}</report>`;
    expect(parseJacoco(csv, 'j.xml').files[0]?.uncoveredLines).toEqual([]);
  });

  it('keeps a source file without counters, with no counters', () => {
    const report = `<report name="r"><package name="p"><sourcefile name="Empty.java"/></package>${LINE(0, 0)}</report>`;
    expect(parseJacoco(report, 'j.xml').files).toEqual([{ file: 'p/Empty.java', uncoveredLines: [] }]);
  });

  it('reads the packages of a multi-module report through its groups', () => {
    const report = `<report name="all"><group name="core"><package name="a"><sourcefile name="A.java">${LINE(1, 1)}</sourcefile></package></group><group name="web"><group name="api"><package name="b"><sourcefile name="B.java">${LINE(0, 2)}</sourcefile></package></group></group>${LINE(1, 3)}</report>`;
    const parsed = parseJacoco(report, 'j.xml');
    expect(parsed.files.map((f) => f.file)).toEqual(['a/A.java', 'b/B.java']);
    expect(parsed.totals.lines).toEqual({ covered: 3, total: 4, pct: 75 });
  });

  it('names a file in the default package without a leading slash', () => {
    const report = `<report name="r"><package name=""><sourcefile name="Main.java">${LINE(0, 1)}</sourcefile></package>${LINE(0, 1)}</report>`;
    expect(parseJacoco(report, 'j.xml').files[0]?.file).toBe('Main.java');
  });

  it('rejects a report without report-level counters', () => {
    const report = `<report name="r"><package name="p"><sourcefile name="A.java">${LINE(0, 1)}</sourcefile></package></report>`;
    expect(reasonOf(() => parseJacoco(report, 'j.xml'))).toBe('no report-level <counter> elements: expected a JaCoCo XML report');
  });

  it('rejects a report without source files', () => {
    expect(reasonOf(() => parseJacoco(`<report name="r">${LINE(0, 0)}</report>`, 'j.xml'))).toMatch(/measures no files/);
  });

  it('names a counter attribute that is not a count', () => {
    const report = '<report name="r"><counter type="LINE" missed="-1" covered="2"/></report>';
    expect(reasonOf(() => parseJacoco(report, 'j.xml'))).toBe(
      '<report>: <counter type="LINE">: attribute missed="-1" is not a non-negative whole number',
    );
  });

  it('rejects a counter without covered', () => {
    const report = '<report name="r"><counter type="BRANCH" missed="1"/></report>';
    expect(reasonOf(() => parseJacoco(report, 'j.xml'))).toBe('<report>: <counter type="BRANCH"> needs both missed and covered attributes');
  });

  it('rejects a Cobertura report given by mistake', () => {
    const cobertura = readFileSync('test/fixtures/reports/cobertura/coveragepy.xml', 'utf8');
    expect(reasonOf(() => parseJacoco(cobertura, 'j.xml'))).toBe(
      'missing <report> root element (found <coverage>): expected a JaCoCo XML report',
    );
  });

  it('rejects truncated XML', () => {
    expect(reasonOf(() => parseJacoco(xml.slice(0, 400), path))).toMatch(/^not valid XML: /);
  });

  it('rejects empty input', () => {
    expect(reasonOf(() => parseJacoco('', path))).toBe('empty report: expected a JaCoCo XML report');
  });
});
