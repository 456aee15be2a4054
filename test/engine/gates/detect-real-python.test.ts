/**
 * Python projects of the usual shapes, detected as `goldloop init` does and measured through
 * Goldloop's gates with Debian's pytest, pytest-cov and coverage.py, against the figures those
 * tools give when run directly in the same test: pytest's summary line and `coverage json`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectAndRun, project, skipped, works } from './real-projects.ts';
import { gates, init } from './real-cli.ts';

/** An interpreter with pytest, pytest-cov and coverage.py: the one on PATH, else Debian's. */
const python = ['python3', '/usr/bin/python3'].find((py) => works([py, '-c', 'import pytest, pytest_cov, coverage']));
const noPython =
  !python && skipped('python', 'no python3 with pytest, pytest-cov and coverage (Debian: python3-pytest python3-pytest-cov)');

/** Runs `body` with `python3` on PATH naming the interpreter that has the plugins (the gate runs `python3`). */
async function withPython<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const bin = join(dir, '.bin-for-test');
  await mkdir(bin);
  const real = spawnSync(python!, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  await symlink(real, join(bin, 'python3'));
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    return await body();
  } finally {
    process.env.PATH = path;
  }
}

/** What the tools say when run directly: pytest's summary counts, and coverage.py's own total of the data the run left. */
function ownFigures(dir: string, args: string[]): { value: string; percent: number } {
  const run = spawnSync(python!, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const count = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(run.stdout)?.[1] ?? 0);
  spawnSync(python!, ['-m', 'coverage', 'json', '-o', 'own.json'], { cwd: dir, timeout: 60_000 });
  const own = JSON.parse(readFileSync(join(dir, 'own.json'), 'utf8')) as { totals: { percent_covered: number } };
  const passed = count('passed');
  return { value: `${passed}/${passed + count('failed') + count('error')} passing`, percent: own.totals.percent_covered };
}

const CALC =
  'def add(a, b):\n    return a + b\n\n\ndef sign(x):\n    if x > 0:\n        return 1\n    if x < 0:\n        return -1\n    return 0\n';
const calcTests = (from: string): string =>
  `from ${from} import add, sign\n\n\ndef test_req_020_add():\n    assert add(1, 2) == 3\n\n\ndef test_req_021_sign():\n    assert sign(5) == 1\n\n\ndef test_req_022_wrong_on_purpose():\n    assert sign(-5) == 1\n`;

describe('Python: pytest with pytest-cov', () => {
  it.skipIf(noPython)("a flat module: --cov names it, and the figures are pytest-cov's own", async () => {
    const dir = await project({
      'requirements-dev.txt': 'pytest\npytest-cov\n',
      'calc.py': CALC,
      'tests/test_calc.py': calcTests('calc'),
      'pytest.ini': '[pytest]\npythonpath = .\n',
    });
    await withPython(dir, async () => {
      const { tests, coverage, command } = await detectAndRun(dir);
      expect(command).toContain('--cov=calc');
      const own = ownFigures(dir, ['-m', 'pytest', '--cov=calc', '--cov-report=']);
      expect(tests.value).toBe(own.value);
      expect(tests.value).toBe('2/3 passing');
      expect(Math.abs((coverage.value as number) - own.percent)).toBeLessThanOrEqual(1);
      expect(coverage.value as number).toBeLessThan(100);
    });
  });

  it.skipIf(noPython)('src layout with --cov in tox.ini commands: the package is measured, as tox would run it', async () => {
    const dir = await project({
      'tox.ini': '[tox]\nenvlist = py3\n\n[testenv]\ndeps =\n    pytest\n    pytest-cov\ncommands = pytest --cov=shop {posargs}\n',
      'pytest.ini': '[pytest]\npythonpath = src\n',
      'src/shop/__init__.py': '',
      'src/shop/calc.py': CALC,
      'tests/test_calc.py': calcTests('shop.calc'),
    });
    await withPython(dir, async () => {
      const { tests, coverage, command } = await detectAndRun(dir);
      expect(command).toContain('--cov=shop');
      const own = ownFigures(dir, ['-m', 'pytest', '--cov=shop', '--cov-report=']);
      expect(tests.value).toBe(own.value);
      expect(Math.abs((coverage.value as number) - own.percent)).toBeLessThanOrEqual(1);
      expect(coverage.evidence.detail).not.toContain('tests/');
    });
  });
});

describe('Python: coverage.py without pytest-cov', () => {
  it.skipIf(noPython)('coverage run -m pytest, then coverage xml: the figures coverage.py gives itself', async () => {
    const dir = await project({
      'requirements-dev.txt': 'pytest\ncoverage\n',
      'calc/__init__.py': CALC,
      'tests/test_calc.py': calcTests('calc'),
      'pytest.ini': '[pytest]\npythonpath = .\n',
    });
    await withPython(dir, async () => {
      const { tests, coverage, gates } = await detectAndRun(dir);
      expect(gates.report_command?.slice(1, 4)).toEqual(['-m', 'coverage', 'xml']);
      const own = ownFigures(dir, ['-m', 'coverage', 'run', '--source=calc', '-m', 'pytest']);
      expect(tests.value).toBe(own.value);
      expect(tests.value).toBe('2/3 passing');
      expect(Math.abs((coverage.value as number) - own.percent)).toBeLessThanOrEqual(1);
      expect(coverage.value as number).toBeLessThan(100);
    });
  });
});

/** Follows a fix that puts src/ on pytest's path, word for word: the line(s) it names, where it says. */
async function followPythonpathFix(dir: string, fix: string): Promise<void> {
  const under = /add the line `(.+?)` under (\[\S+\]) in (\S+) \(/.exec(fix);
  const atEnd = /add the two lines `(.+?)` and `(.+?)` at the end of (\S+) \(/.exec(fix);
  const create = /create (\S+) with the two lines `(.+?)` and `(.+?)` \(/.exec(fix);
  if (under) {
    const [, line, section, file] = under;
    const text = readFileSync(join(dir, file!), 'utf8');
    expect(text).toContain(`${section}\n`);
    await writeFile(join(dir, file!), text.replace(`${section}\n`, `${section}\n${line}\n`));
  } else if (atEnd) await appendFile(join(dir, atEnd[3]!), `\n${atEnd[1]}\n${atEnd[2]}\n`);
  else if (create) await writeFile(join(dir, create[1]!), `${create[2]}\n${create[3]}\n`);
  else expect.fail(`not a fix this test can follow: ${fix}`);
}

describe('Python: a src-layout package neither installed nor on the path', () => {
  it.skipIf(noPython)(
    'init warns; gates shows the collection errors with the first error and the fix, which followed word for word measures the tests',
    async () => {
      const dir = await project({
        'pyproject.toml': '[project]\nname = "shop"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        'requirements-dev.txt': 'pytest\npytest-cov\n',
        'src/shop/__init__.py': '',
        'src/shop/calc.py': CALC,
        'tests/test_calc.py': calcTests('shop.calc'),
        'tests/test_more.py': 'from shop.calc import add\n\n\ndef test_req_023_add_zero():\n    assert add(0, 0) == 0\n',
        'tests/test_plain.py': 'def test_plain():\n    assert True\n',
      });
      const real = spawnSync(python!, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
      const bin = join(dir, '.bin-for-test');
      await mkdir(bin);
      await symlink(real, join(bin, 'python3'));
      const env = { PATH: `${bin}:${process.env.PATH}` };

      const { notes } = await init(dir, [], env);
      expect(notes).toContain("shop is under src/ and neither installed for python3 nor on pytest's path");
      const before = gates(dir, env);
      // pytest run directly says "2 errors" and stops before running any test.
      const direct = spawnSync(python!, ['-m', 'pytest', '-q'], { cwd: dir, encoding: 'utf8', timeout: 120_000 }).stdout;
      expect(direct).toMatch(/\b2 errors?\b/);
      expect(before.tests.value).toBe('2 collection errors');
      const detail = before.tests.evidence.detail;
      expect(detail).toContain("could not collect tests/test_calc.py, tests/test_more.py: ModuleNotFoundError: No module named 'shop'");
      const fix = /— shop is under src\/.*?path: (.+?); or install it: `python3 -m pip install -e \.`/.exec(detail);
      expect(fix, detail).not.toBeNull();
      expect(fix![1]).toBe('add the line `pythonpath = ["src"]` under [tool.pytest.ini_options] in pyproject.toml (pytest 7 or later)');

      await followPythonpathFix(dir, fix![1]!);
      const after = gates(dir, env);
      const own = ownFigures(dir, ['-m', 'pytest', '--cov=shop', '--cov-report=']);
      expect(after.tests.value).toBe(own.value);
      expect(after.tests.value).toBe('4/5 passing');
      expect(Math.abs((after.coverage.value as number) - own.percent)).toBeLessThanOrEqual(1);
    },
  );
});
