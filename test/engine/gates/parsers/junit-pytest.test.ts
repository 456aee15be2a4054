// pytest's JUnit report when test files cannot be imported: recorded from pytest 7.2.1 (Debian 12;
// pytest 9 writes the same elements) on a src-layout package neither installed nor on the path.
// Each such file is an errored testcase with an empty classname, its module as its name and
// "collection failure" as its message; pytest stops before running any test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../../../electron/engine/gates/checklist/checklist.ts';
import { parseJUnit } from '../../../../electron/engine/gates/parsers/junit.ts';
import { KbSchema } from '../../../../electron/store/kb/schema.ts';

const FILE = 'test/fixtures/reports/junit/pytest-collection-errors.xml';
const report = parseJUnit(readFileSync(FILE, 'utf8'), FILE);

describe("pytest's collection errors", () => {
  it('are read as the test files that could not be collected, with the error they raised', () => {
    expect(report.tests).toEqual([
      {
        name: 'tests.test_c1',
        file: 'tests/test_c1.py',
        suite: 'pytest',
        status: 'errored',
        collectionError: true,
        message: "ModuleNotFoundError: No module named 'shop'",
      },
      {
        name: 'tests.test_c2',
        file: 'tests/test_c2.py',
        suite: 'pytest',
        status: 'errored',
        collectionError: true,
        message: "ModuleNotFoundError: No module named 'shop'",
      },
    ]);
  });

  it('make the tests line say "2 collection errors" (not "0/2 passing"), the first error and its fix for a src layout', () => {
    const command = ['python3', '-m', 'pytest', '--junitxml={reports}/junit.xml'];
    const kb = KbSchema.parse({ gates: { tests: { command, junit_report: '{reports}/junit.xml' } } });
    const result = { argv: command, exitCode: 2, signal: null, durationMs: 900, stdoutTail: [], stderrTail: [] };
    const hints = { pythonPackages: ['shop'], pythonSrc: true, pytestConfig: { file: 'setup.cfg', section: '[tool:pytest]' } };
    const line = evaluateChecklist(kb, { at: '', durationMs: 1, tests: { result, report, hints } }).checklist.find(
      (c) => c.id === 'tests',
    )!;
    expect(line).toMatchObject({ passed: false, value: '2 collection errors' });
    expect(line.evidence.detail).toBe(
      [
        "could not collect tests/test_c1.py, tests/test_c2.py: ModuleNotFoundError: No module named 'shop'",
        "— shop is under src/, and neither installed for python3 nor on pytest's path: add the line `pythonpath = src` under [tool:pytest] in setup.cfg (pytest 7 or later); or install it: `python3 -m pip install -e .` (in a virtual environment: system pythons such as Debian's refuse pip installs)",
      ].join('\n'),
    );
    // A module that is not the project's own: its dependencies are missing.
    const other = evaluateChecklist(kb, { at: '', durationMs: 1, tests: { result, report, hints: {} } }).checklist.find(
      (c) => c.id === 'tests',
    )!;
    expect(other.evidence.detail).toContain(
      "— shop is not installed for python3, which runs the tests: install the project's dependencies",
    );
  });
});
