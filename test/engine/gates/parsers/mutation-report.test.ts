// Samples: Stryker's JSON reports recorded here with StrykerJS 9.6.1 on the fixture
// test/fixtures/mutation/node-test (src/price.js, 18 mutants) and its vitest and jest twins:
// stryker-command-tap.json is the command runner over `node --test-reporter=tap`,
// stryker-command-dot.json the same with the dot reporter (no test names), stryker-vitest.json and
// stryker-jest.json Stryker's vitest and jest runners. stryker-assert-patch.json is the demo project
// with a source that patches node:assert into no-ops on import (the command runner with TAP).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStrykerReport, tapFailures } from '../../../../electron/engine/gates/parsers/mutation-report.ts';
import { reasonOf } from './report-error.ts';

const dir = 'test/fixtures/reports/mutation';
const parse = (name: string) => parseStrykerReport(readFileSync(`${dir}/${name}`, 'utf8'), `${dir}/${name}`);
const REQ_1 = 'REQ-001 discount takes a percentage off';
const REQ_2 = 'REQ-002 isFree is true only for zero';

describe('parseStrykerReport', () => {
  it('counts the mutants per status and scores killed and timed out over the valid ones', () => {
    const r = parse('stryker-command-tap.json');
    expect(r.format).toBe('stryker');
    expect(r.counts).toEqual({ Killed: 14, Survived: 4, NoCoverage: 0, Timeout: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 });
    expect(r.score).toBe(77.78);
  });

  it('keeps each mutant with its file, line, mutator and replacement', () => {
    const r = parse('stryker-command-tap.json');
    expect(r.mutants).toHaveLength(18);
    expect(new Set(r.mutants.map((m) => m.file))).toEqual(new Set(['src/price.js']));
    const survivors = r.mutants.filter((m) => m.status === 'Survived');
    expect(survivors.map((m) => `${m.line} ${m.mutator}`)).toContain('3 EqualityOperator');
    expect(survivors.every((m) => m.replacement !== undefined && m.killedBy === undefined)).toBe(true);
  });

  it("names the command runner's killers from the TAP output of the test command", () => {
    const r = parse('stryker-command-tap.json');
    expect(r.killers).toBe(true);
    const killers = new Set(r.mutants.flatMap((m) => m.killedBy ?? []));
    expect(killers).toEqual(new Set([REQ_1, REQ_2]));
    // The mutant `total === 0` -> `true` fails only the isFree test.
    expect(r.mutants.find((m) => m.line === 8 && m.replacement === 'true')?.killedBy).toEqual([REQ_2]);
  });

  it('leaves the killers unknown when the command runner printed no TAP', () => {
    const r = parse('stryker-command-dot.json');
    expect(r.score).toBe(77.78);
    expect(r.killers).toBe(false);
    expect(r.mutants.every((m) => m.killedBy === undefined)).toBe(true);
  });

  it("maps the vitest and jest runners' killedBy ids to the tests' full names", () => {
    for (const name of ['stryker-vitest.json', 'stryker-jest.json']) {
      const r = parse(name);
      expect(r.killers).toBe(true);
      expect(new Set(r.mutants.flatMap((m) => m.killedBy ?? []))).toEqual(new Set([`price ${REQ_1}`, `price ${REQ_2}`]));
    }
    expect(parse('stryker-jest.json').score).toBe(78.95);
  });

  it('shows a patch of node:assert as mutants every test fails on', () => {
    const r = parse('stryker-assert-patch.json');
    expect(r.score).toBe(42.86);
    const killed = r.mutants.filter((m) => m.status === 'Killed');
    expect(killed.every((m) => m.killedBy?.length === 6)).toBe(true);
  });

  it('refuses another schema version, a run that did not finish, and what is not a report', () => {
    const report = JSON.parse(readFileSync(`${dir}/stryker-vitest.json`, 'utf8')) as {
      schemaVersion: string;
      files: Record<string, { mutants: { status: string }[] }>;
    };
    expect(reasonOf(() => parseStrykerReport(JSON.stringify({ ...report, schemaVersion: '2' }), 'r.json'))).toBe(
      'schemaVersion 2: Goldloop reads version 1 of the schema',
    );
    report.files['src/price.js']!.mutants[0]!.status = 'Pending';
    expect(reasonOf(() => parseStrykerReport(JSON.stringify(report), 'r.json'))).toContain('was never run: the run did not finish');
    expect(reasonOf(() => parseStrykerReport('', 'r.json'))).toContain("empty report: expected Stryker's JSON report");
    expect(reasonOf(() => parseStrykerReport('{"files": 3}', 'r.json'))).toContain("unexpected shape at field 'schemaVersion'");
  });
});

describe('tapFailures', () => {
  it("names the failing tests at any depth, unescaping TAP's #", () => {
    const tap = [
      'TAP version 13',
      '# Subtest: suite',
      '    not ok 1 - REQ-7 adds \\# numbers',
      '    ok 2 - other',
      'not ok 1 - suite',
      'ok 2 - fine',
    ].join('\n');
    expect(tapFailures(tap)).toEqual(['REQ-7 adds # numbers', 'suite']);
  });

  it('leaves out tests marked TODO or SKIP, which do not fail a run, and reads mocha\'s "not ok N name"', () => {
    expect(tapFailures('not ok 1 - later # TODO\nnot ok 2 - off # SKIP\nnot ok 3 mocha style')).toEqual(['mocha style']);
  });
});
