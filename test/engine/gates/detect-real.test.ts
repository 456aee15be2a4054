/**
 * The detected gate commands, run for real through Goldloop's gates on tiny projects with the
 * tools this machine has: node's test runner, vitest and jest (this repository's own copies), go
 * and cargo (Python: detect-real-python.test.ts). A tool that is missing skips its test and says why.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChecklistItem } from '../../../electron/engine/gates/types.ts';
import { detectAndRun, project, skipped, works } from './real-projects.ts';
import { installed, linkPackages } from '../../helpers/packages.ts';

describe('Node: node:test', () => {
  it('one run of the detected command gives per-test results and lcov coverage', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ name: 'calc', type: 'module', scripts: { test: 'node --test' } }),
      'src/calc.js':
        'export const add = (a, b) => a + b;\nexport function sign(x) {\n  if (x > 0) return 1;\n  if (x < 0) return -1;\n  return 0;\n}\n',
      'test/calc.test.js': [
        "import test from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { add, sign } from '../src/calc.js';",
        "test('REQ-001 add adds', () => assert.equal(add(1, 2), 3));",
        "test('REQ-002 sign of a positive number', () => assert.equal(sign(5), 1));",
        "test('REQ-003 sign is wrong on purpose', () => assert.equal(sign(-5), 1));",
        '',
      ].join('\n'),
    });
    const { tests, coverage } = await detectAndRun(dir);
    expect(tests.value).toBe('2/3 passing');
    expect(tests.passed).toBe(false);
    expect(tests.evidence.detail).toContain('REQ-003 sign is wrong on purpose');
    // The code's coverage, not the tests': src/calc.js, where `return 0;` never runs.
    expect(coverage.value).toBe(83.33);
    expect(coverage.evidence.detail).toContain('(5/6); not counted: 1 file(s) the gate excludes (test/calc.test.js)');
  });
});

const notInstalled = (...packages: string[]): boolean =>
  !installed(...packages) && skipped(packages.join(' + '), 'not installed in this repository (npm ci installs them)');

/** A calculator with one test that fails on purpose and a branch no test takes. */
const CALC_ESM = {
  'src/calc.js':
    'export const add = (a, b) => a + b;\nexport function sign(x) {\n  if (x > 0) return 1;\n  if (x < 0) return -1;\n  return 0;\n}\n',
};
const CALC_CJS = {
  'src/calc.js':
    'exports.add = (a, b) => a + b;\nexports.sign = function sign(x) {\n  if (x > 0) return 1;\n  if (x < 0) return -1;\n  return 0;\n};\n',
};

/** The calculator's three tests for the runners with a global `expect` (vitest, jest), after `header`'s imports. */
const expectTests = (header: string): string =>
  [
    header,
    "test('REQ-001 add adds', () => expect(add(1, 2)).toBe(3));",
    "test('REQ-002 sign of a positive number', () => expect(sign(5)).toBe(1));",
    "test('REQ-003 sign is wrong on purpose', () => expect(sign(-5)).toBe(1));",
    '',
  ].join('\n');

/** The checks every real Node run below makes: per-test results with the failing test named, and a coverage figure strictly between 0 and 100. */
function expectMeasured(tests: ChecklistItem, coverage: ChecklistItem, failing: string): void {
  expect(tests.value, tests.evidence.detail).toBe('2/3 passing');
  expect(tests.passed).toBe(false);
  expect(tests.evidence.detail).toContain(failing);
  expect(typeof coverage.value, coverage.evidence.detail).toBe('number');
  expect(coverage.value as number).toBeGreaterThan(0);
  expect(coverage.value as number).toBeLessThan(100);
}

/** The calculator tested with vitest and @vitest/coverage-v8, whose test script is `script`. */
async function vitestCalc(script: string, more: Record<string, string> = {}): Promise<string> {
  const dir = await project({
    'package.json': JSON.stringify({
      name: 'v',
      type: 'module',
      scripts: { test: script },
      devDependencies: { vitest: '*', '@vitest/coverage-v8': '*' },
    }),
    ...more,
    ...CALC_ESM,
    'test/calc.test.js': expectTests("import { expect, test } from 'vitest';\nimport { add, sign } from '../src/calc.js';"),
  });
  await linkPackages(dir, ['vitest', '@vitest/coverage-v8']);
  return dir;
}

describe('Node: vitest', () => {
  it.skipIf(notInstalled('vitest'))(
    'without a coverage provider in package.json: per-test results, and coverage is said to be not configured',
    async () => {
      const dir = await project({
        'package.json': JSON.stringify({ name: 'v', type: 'module', scripts: { test: 'vitest' }, devDependencies: { vitest: '*' } }),
        'test/math.test.js':
          "import { expect, test } from 'vitest';\ntest('REQ-010 one plus one', () => expect(1 + 1).toBe(2));\ntest('REQ-011 two times two', () => expect(2 * 2).toBe(4));\n",
      });
      await linkPackages(dir, ['vitest']);
      const { tests, coverage, command } = await detectAndRun(dir);
      expect(command.slice(0, 5)).toEqual(['npx', '--no', '--', 'vitest', 'run']);
      expect(tests.value).toBe('2/2 passing');
      expect(tests.passed).toBe(true);
      expect(coverage.value).toBeNull();
      expect(coverage.evidence.detail).toContain('no coverage report configured');
    },
  );

  it.skipIf(notInstalled('vitest', '@vitest/coverage-v8'))(
    'with @vitest/coverage-v8: one run gives per-test results and lcov coverage',
    async () => {
      const dir = await vitestCalc('vitest run');
      const { tests, coverage, command } = await detectAndRun(dir);
      expect(command).toContain('--coverage.enabled=true');
      expectMeasured(tests, coverage, 'REQ-003 sign is wrong on purpose');
    },
  );
});

describe('Node: vitest through a package manager', () => {
  it.skipIf(notInstalled('vitest', '@vitest/coverage-v8'))(
    'a "pnpm vitest run" script is measured as vitest measures itself: the same counts and line coverage',
    async () => {
      const dir = await vitestCalc('pnpm vitest run', { 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
      const { tests, coverage, command } = await detectAndRun(dir);
      expect(command.slice(0, 5)).toEqual(['npx', '--no', '--', 'vitest', 'run']);
      // vitest's own figures, from its JSON reporter and json-summary coverage.
      const own = join(dir, 'own');
      spawnSync(
        join(dir, 'node_modules/.bin/vitest'),
        [
          'run',
          '--reporter=json',
          `--outputFile=${own}/results.json`,
          '--coverage.enabled',
          '--coverage.reporter=json-summary',
          '--coverage.reportOnFailure',
          `--coverage.reportsDirectory=${own}`,
        ],
        { cwd: dir, timeout: 120_000 },
      );
      const results = JSON.parse(readFileSync(join(own, 'results.json'), 'utf8')) as { numPassedTests: number; numTotalTests: number };
      const summary = JSON.parse(readFileSync(join(own, 'coverage-summary.json'), 'utf8')) as { total: { lines: { pct: number } } };
      expect(tests.value).toBe(`${results.numPassedTests}/${results.numTotalTests} passing`);
      expect(Math.abs((coverage.value as number) - summary.total.lines.pct)).toBeLessThanOrEqual(1);
      expectMeasured(tests, coverage, 'REQ-003 sign is wrong on purpose');
    },
  );
});

describe('Node: jest with jest-junit', () => {
  it.skipIf(notInstalled('jest', 'jest-junit'))('one run gives per-test results through jest-junit and lcov coverage', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ name: 'j', scripts: { test: 'jest' }, devDependencies: { jest: '*', 'jest-junit': '*' } }),
      ...CALC_CJS,
      'test/calc.test.js': expectTests("const { add, sign } = require('../src/calc.js');"),
    });
    await linkPackages(dir, ['jest', 'jest-junit']);
    const { tests, coverage, command } = await detectAndRun(dir);
    expect(command.slice(0, 3)).toEqual(['env', 'JEST_JUNIT_OUTPUT_DIR={reports}', 'JEST_JUNIT_OUTPUT_NAME=junit.xml']);
    expectMeasured(tests, coverage, 'REQ-003 sign is wrong on purpose');
  });
});

describe("Node: jest's own --json results", () => {
  it.skipIf(notInstalled('jest'))('without jest-junit: the counts and line coverage jest itself reports', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ name: 'j', scripts: { test: 'jest' }, devDependencies: { jest: '*' } }),
      ...CALC_CJS,
      'test/calc.test.js': expectTests("const { add, sign } = require('../src/calc.js');"),
    });
    await linkPackages(dir, ['jest']);
    const { tests, coverage, command, gates } = await detectAndRun(dir);
    expect(gates.test_report).toEqual({ format: 'jest-json', path: '{reports}/jest-results.json' });
    expect(command).not.toContain('--reporters=jest-junit');
    expect(tests.evidence.detail).toContain('failing: REQ-003 sign is wrong on purpose (test/calc.test.js)');
    // jest run directly, its own figures: --json results and a json-summary of the same coverage.
    const own = join(dir, 'own');
    const jest = join(dir, 'node_modules/.bin/jest');
    spawnSync(
      jest,
      [
        '--ci',
        '--json',
        `--outputFile=${own}/results.json`,
        '--coverage',
        '--coverageReporters=json-summary',
        `--coverageDirectory=${own}`,
      ],
      {
        cwd: dir,
        timeout: 120_000,
      },
    );
    const results = JSON.parse(readFileSync(join(own, 'results.json'), 'utf8')) as { numPassedTests: number; numTotalTests: number };
    const summary = JSON.parse(readFileSync(join(own, 'coverage-summary.json'), 'utf8')) as { total: { lines: { pct: number } } };
    expect(tests.value).toBe(`${results.numPassedTests}/${results.numTotalTests} passing`);
    expect(Math.abs((coverage.value as number) - summary.total.lines.pct)).toBeLessThanOrEqual(1);
    expectMeasured(tests, coverage, 'REQ-003 sign is wrong on purpose');
  });
});

describe('Node: node:test under a coverage wrapper', () => {
  const nodeTests = [
    "const test = require('node:test');",
    "const assert = require('node:assert/strict');",
    "const { add, sign } = require('../src/calc.js');",
    "test('REQ-001 add adds', () => assert.equal(add(1, 2), 3));",
    "test('REQ-002 sign of a positive number', () => assert.equal(sign(5), 1));",
    "test('REQ-003 sign is wrong on purpose', () => assert.equal(sign(-5), 1));",
    '',
  ].join('\n');

  for (const tool of ['c8', 'nyc']) {
    it.skipIf(notInstalled(tool))(`${tool} node --test: one run gives node's JUnit results and ${tool}'s lcov coverage`, async () => {
      const dir = await project({
        'package.json': JSON.stringify({ name: tool, scripts: { test: `${tool} node --test test/` }, devDependencies: { [tool]: '*' } }),
        ...CALC_CJS,
        'test/calc.test.js': nodeTests,
      });
      await linkPackages(dir, [tool]);
      const { tests, coverage, command } = await detectAndRun(dir);
      expect(command.slice(0, 4)).toEqual(['npx', '--no', '--', tool]);
      expect(coverage.evidence.report).toMatch(/lcov\.info$/);
      expectMeasured(tests, coverage, 'REQ-003 sign is wrong on purpose');
    });
  }
});

describe('Go: go test -json -coverprofile', () => {
  it.skipIf(!works(['go', 'version']) && skipped('go', 'go is not installed'))(
    'one run gives per-test results (subtests included) and the coverage go itself reports',
    async () => {
      const dir = await project({
        'go.mod': 'module example.com/calc\n\ngo 1.19\n',
        'calc.go':
          'package calc\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Sign(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t}\n\tif x < 0 {\n\t\treturn -1\n\t}\n\treturn 0\n}\n',
        'calc_test.go': [
          'package calc',
          '',
          'import "testing"',
          '',
          'func TestAdd(t *testing.T) {',
          '\tif Add(1, 2) != 3 {',
          '\t\tt.Fatal("add")',
          '\t}',
          '}',
          '',
          'func TestSign(t *testing.T) {',
          '\tt.Run("positive", func(t *testing.T) {',
          '\t\tif Sign(5) != 1 {',
          '\t\t\tt.Fatal("sign")',
          '\t\t}',
          '\t})',
          '\tt.Run("negative is wrong on purpose", func(t *testing.T) {',
          '\t\tif Sign(-5) != 1 {',
          '\t\t\tt.Fatal("sign")',
          '\t\t}',
          '\t})',
          '}',
          '',
        ].join('\n'),
      });
      const { tests, coverage, gates } = await detectAndRun(dir);
      expect(gates.test_report).toEqual({ format: 'go-test-json', path: 'stdout' });
      // go's own figures: the --- PASS/--- FAIL lines of go test -v, and go tool cover's total.
      const verbose = spawnSync('go', ['test', '-v', '-coverprofile=own.out', './...'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      }).stdout;
      const passes = verbose.match(/--- PASS/g)?.length ?? 0;
      const fails = verbose.match(/--- FAIL/g)?.length ?? 0;
      const total = /total:\s+\(statements\)\s+([\d.]+)%/.exec(
        spawnSync('go', ['tool', 'cover', '-func=own.out'], { cwd: dir, encoding: 'utf8', timeout: 60_000 }).stdout,
      );
      expect(tests.value).toBe(`${passes}/${passes + fails} passing`);
      expect(tests.evidence.detail).toContain('TestSign/negative_is_wrong_on_purpose');
      expect(Math.abs((coverage.value as number) - Number(total?.[1]))).toBeLessThanOrEqual(1);
      expect(coverage.value as number).toBeGreaterThan(0);
      expect(coverage.value as number).toBeLessThan(100);
    },
  );
});

describe('Rust: cargo test', () => {
  it.skipIf(!works(['cargo', '--version']) && skipped('cargo', 'cargo is not installed'))(
    'the detected command runs the tests (by exit code without cargo-llvm-cov)',
    async () => {
      const dir = await project({
        'Cargo.toml': '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
        'src/lib.rs':
          'pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n        assert_eq!(super::add(1, 2), 3);\n    }\n}\n',
      });
      const { tests, command } = await detectAndRun(dir);
      expect(command[0]).toBe('cargo');
      expect(tests.passed, tests.evidence.detail).toBe(true);
    },
  );
});
