/**
 * The hints of a test command given with `init --test-command`, followed word for word, for each
 * runner: the hint's text is taken from what `goldloop gates` prints, its flags put where it says
 * in gates.tests.command and its field set to its JSON, and `goldloop gates` run again measures
 * the line. node:test's hints are followed in hints.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KB_FILE } from '../../../electron/store/kb/kb-file.ts';
import { installed, linkPackages } from '../../helpers/packages.ts';
import { fixtureCopy, gates, init } from './real-cli.ts';
import { project, skipped, works } from './real-projects.ts';

type Tests = { command: string[] } & Record<string, unknown>;

/** The hint a line's detail gives after `marker`, up to the end of its line. */
function hintIn(detail: string, marker: string): string {
  const at = detail.indexOf(marker);
  expect(at, detail).toBeGreaterThanOrEqual(0);
  return detail.slice(at + marker.length).split('\n')[0]!;
}

/** Follows a hint literally: its flags where it puts them in the command, its field set to its JSON. */
function follow(tests: Tests, hint: string): Tests {
  const m =
    /^(?:add|put) (.+?) (?:after (\S+)|before (\S+) in gates\.tests\.command|to gates\.tests\.command)(?: \([^)]*\))? and set (\w+) (.+?), or run goldloop init --redetect/.exec(
      hint,
    );
  expect(m, hint).not.toBeNull();
  const [, flags, after, before, field, value] = m!;
  const command = [...tests.command];
  const words = flags!.split(' ');
  if (after) command.splice(command.indexOf(after) + 1, 0, ...words);
  else if (before)
    command.splice(
      command.findIndex((a) => basename(a) === before),
      0,
      ...words,
    );
  else command.push(...words);
  return { ...tests, command, [field!]: JSON.parse(value!) as unknown };
}

/** `init --test-command`, `gates`, both hints followed, `gates` again: the lines before and after. */
async function followBoth(dir: string, testCommand: string, env: Record<string, string> = {}) {
  await init(dir, ['--test-command', testCommand], env);
  const before = gates(dir, env);
  expect(before.tests.value, before.tests.evidence.detail).toMatch(/^exit \d+$/);
  const results = hintIn(before.tests.evidence.detail, '— for per-test results: ');
  const coverage = hintIn(before.coverage.evidence.detail, 'no coverage report configured: ');
  const file = join(dir, KB_FILE);
  const kb = JSON.parse(await readFile(file, 'utf8')) as { gates: { tests: Tests } };
  kb.gates.tests = follow(follow(kb.gates.tests, results), coverage);
  await writeFile(file, JSON.stringify(kb, null, 2));
  return { results, coverage, after: gates(dir, env) };
}

const notInstalled = (...packages: string[]): boolean =>
  !installed(...packages) && skipped(packages.join(' + '), 'not installed in this repository (npm ci installs them)');

const CALC_CJS = {
  'src/calc.js':
    'exports.add = (a, b) => a + b;\nexports.sign = function sign(x) {\n  if (x > 0) return 1;\n  if (x < 0) return -1;\n  return 0;\n};\n',
};
const expectTests = (header: string): string =>
  `${header}\ntest('adds', () => expect(add(1, 2)).toBe(3));\ntest('sign of a positive number', () => expect(sign(5)).toBe(1));\n`;

describe('hints followed word for word', { timeout: 600_000 }, () => {
  it.skipIf(notInstalled('vitest', '@vitest/coverage-v8'))('vitest: per-test results and v8 coverage', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ name: 'v', type: 'module', devDependencies: { vitest: '*', '@vitest/coverage-v8': '*' } }),
      'src/calc.js': 'export const add = (a, b) => a + b;\nexport function sign(x) {\n  if (x > 0) return 1;\n  return -1;\n}\n',
      'test/calc.test.js': expectTests("import { expect, test } from 'vitest';\nimport { add, sign } from '../src/calc.js';"),
    });
    await linkPackages(dir, ['vitest', '@vitest/coverage-v8']);
    const { after } = await followBoth(dir, 'npx vitest run');
    expect(after.tests.value, after.tests.evidence.detail).toBe('2/2 passing');
    expect(after.tests.passed).toBe(true);
    // sign(x) < 0 never runs.
    expect(after.coverage.value as number, after.coverage.evidence.detail).toBeGreaterThan(0);
    expect(after.coverage.value as number).toBeLessThan(100);
  });

  it.skipIf(notInstalled('jest'))('jest: its own --json results and coverage', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ name: 'j', devDependencies: { jest: '*' } }),
      ...CALC_CJS,
      'test/calc.test.js': expectTests("const { add, sign } = require('../src/calc.js');"),
    });
    await linkPackages(dir, ['jest']);
    const { after } = await followBoth(dir, 'npx jest');
    expect(after.tests.value, after.tests.evidence.detail).toBe('2/2 passing');
    expect(after.tests.passed).toBe(true);
    expect(after.coverage.value as number, after.coverage.evidence.detail).toBeGreaterThan(0);
    expect(after.coverage.value as number).toBeLessThan(100);
  });

  it.skipIf(notInstalled('mocha', 'nyc'))("mocha: its xunit reporter, and the project's nyc put before it", async () => {
    const dir = await fixtureCopy('mocha-nyc');
    await linkPackages(dir, ['mocha', 'nyc']);
    const { coverage, after } = await followBoth(dir, 'npx mocha');
    expect(coverage).toMatch(/^put nyc /);
    expect(after.tests.value, after.tests.evidence.detail).toBe('10/11 passing, 1 skipped');
    expect(after.coverage.value, after.coverage.evidence.detail).toBe(92);
  });

  it.skipIf(notInstalled('mocha', 'c8'))('mocha: c8 put before it where the project has c8', async () => {
    const dir = await fixtureCopy('mocha-nyc');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ ...pkg, scripts: { test: 'mocha' }, devDependencies: { mocha: '*', c8: '*' } }),
    );
    await linkPackages(dir, ['mocha', 'c8']);
    const { coverage, after } = await followBoth(dir, 'npx mocha');
    expect(coverage).toMatch(/^put c8 /);
    expect(after.tests.value, after.tests.evidence.detail).toBe('10/11 passing, 1 skipped');
    expect(after.coverage.value as number, after.coverage.evidence.detail).toBeGreaterThan(50);
    expect(after.coverage.value as number).toBeLessThan(100);
  });

  const python = ['python3', '/usr/bin/python3'].find((py) => works([py, '-c', 'import pytest, pytest_cov']));
  it.skipIf(!python && skipped('python', 'no python3 with pytest and pytest-cov (Debian: python3-pytest python3-pytest-cov)'))(
    'pytest: --junitxml, and --cov naming the package',
    async () => {
      const dir = await project({
        'requirements-dev.txt': 'pytest\npytest-cov\n',
        'pytest.ini': '[pytest]\npythonpath = .\n',
        'calc/__init__.py': 'def add(a, b):\n    return a + b\n\n\ndef unused():\n    return 0\n',
        'tests/test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n',
      });
      // The gate runs `python3`: the one with the plugins, first on PATH.
      const bin = join(dir, '.bin-for-test');
      await mkdir(bin);
      const real = spawnSync(python!, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
      await symlink(real, join(bin, 'python3'));
      const { coverage, after } = await followBoth(dir, 'python3 -m pytest', { PATH: `${bin}:${process.env.PATH}` });
      expect(coverage).toContain('--cov=calc ');
      expect(after.tests.value, after.tests.evidence.detail).toBe('1/1 passing');
      expect(after.tests.passed).toBe(true);
      // calc/__init__.py alone: 3 of its 4 statements run.
      expect(after.coverage.value, after.coverage.evidence.detail).toBe(75);
    },
  );

  it.skipIf(!works(['go', 'version']) && skipped('go', 'go is not installed'))('go: -json and -coverprofile', async () => {
    const dir = await project({
      'go.mod': 'module example.com/calc\n\ngo 1.19\n',
      'calc.go': 'package calc\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Sub(a, b int) int { return a - b }\n',
      'calc_test.go':
        'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("add")\n\t}\n}\n',
    });
    const { after } = await followBoth(dir, 'go test ./...');
    expect(after.tests.value, after.tests.evidence.detail).toBe('1/1 passing');
    expect(after.tests.passed).toBe(true);
    expect(after.coverage.value, after.coverage.evidence.detail).toBe(50);
  });
});
