// Where no mutation tool runs, a requirement counts as covered only when a passing test naming it
// runs the code: each such test is run alone by the project's own runner with per-test coverage.
import { ChildProcess, execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureGates } from '../../../../electron/engine/gates/phase.ts';
import { evaluateChecklist } from '../../../../electron/engine/gates/checklist/checklist.ts';
import type { ChecklistItem } from '../../../../electron/engine/gates/types.ts';
import { KbSchema } from '../../../../electron/store/kb/schema.ts';
import { installed, linkPackages } from '../../../helpers/packages.ts';
import { TempDirs } from '../../../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const CART = 'export function total(items) {\n  return items.reduce((sum, i) => sum + i.price, 0);\n}\n';
const HONEST = "test('REQ-001 a cart sums its items', () => {\n  assert.equal(total([{ price: 2 }, { price: 3 }]), 5);\n});\n";
// The empty-tests trick: the name kept, the body emptied.
const EMPTY = "test('REQ-002 coupons reduce the total', () => {});\n";
const HEAD = "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { total } from '../src/cart.js';\n\n";

async function project(tests: string, command?: string[]): Promise<string> {
  const dir = await temps.make('goldloop-pertest-');
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'test'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'src', 'cart.js'), CART);
  await writeFile(join(dir, 'test', 'cart.test.js'), `${HEAD}${tests}`);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const kb = {
    requirements: [
      { id: 'REQ-001', text: 'a cart sums its items' },
      { id: 'REQ-002', text: 'coupons reduce the total' },
    ],
    gates: {
      tests: {
        command: command ?? [
          process.execPath,
          '--test',
          '--test-reporter=junit',
          '--test-reporter-destination={reports}/junit.xml',
          'test/',
        ],
        junit_report: '{reports}/junit.xml',
      },
      canary: { enabled: false },
    },
  };
  await writeFile(join(dir, 'kb.json'), JSON.stringify(kb));
  return dir;
}

async function requirementsLine(
  dir: string,
  kb = KbSchema.parse(JSON.parse(execFileSync('cat', [join(dir, 'kb.json')], { encoding: 'utf8' }))),
) {
  const m = await measureGates({ projectDir: dir, kb, label: 'pertest' });
  const line = evaluateChecklist(kb, m).checklist.find((c) => c.id === 'requirements') as ChecklistItem;
  return { line, m };
}

describe('requirement tests that run the code, where no mutation tool runs (node:test)', () => {
  it('refuses a requirement whose only test has an empty body, naming the test and the fix; accepts the honest one', async () => {
    const dir = await project(`${HONEST}${EMPTY}`);
    const { line, m } = await requirementsLine(dir);
    expect(line.passed).toBe(false);
    expect(line.value).toBe('1/2 (50%)');
    expect(line.evidence.detail).toContain(
      'named but does not run the code (run alone, the test runs none of the project\'s source code): REQ-002 ("REQ-002 coupons reduce the total")',
    );
    expect(line.evidence.detail).toContain('fix: make the test call the code the requirement is about');
    expect(m.requirementTests).toMatchObject({ runner: 'node:test', ran: 2 });
    expect(m.timings?.requirements).toBeGreaterThan(0);
  });

  it('covers both when both tests call the code, and keeps each result until its test file changes', async () => {
    const both = `${HONEST}test('REQ-002 coupons reduce the total', () => {\n  assert.equal(total([{ price: 4 }]), 4);\n});\n`;
    const dir = await project(both);
    const first = await requirementsLine(dir);
    expect(first.line.passed).toBe(true);
    expect(first.line.evidence.detail).toContain("every requirement is named by a passing test that runs the project's code");
    const again = await requirementsLine(dir);
    expect(again.line.passed).toBe(true);
    expect(again.m.requirementTests).toMatchObject({ ran: 0 });
    // The trick played after a measurement: the changed file is measured again.
    await writeFile(join(dir, 'test', 'cart.test.js'), `${HEAD}${HONEST}${EMPTY}`);
    const after = await requirementsLine(dir);
    expect(after.line.passed).toBe(false);
    expect(after.m.requirementTests).toMatchObject({ ran: 2 });
  });

  it("lists the project's files once a phase: the canary, the requirement tags and the requirement tests share one git ls-files", async () => {
    const both = `${HONEST}test('REQ-002 coupons reduce the total', () => {\n  assert.equal(total([{ price: 4 }]), 4);\n});\n`;
    const dir = await project(both);
    const kb = KbSchema.parse(JSON.parse(execFileSync('cat', [join(dir, 'kb.json')], { encoding: 'utf8' })));
    kb.gates.canary = { enabled: true };
    const proto = ChildProcess.prototype as unknown as { spawn: (this: ChildProcess, options: { args?: string[] }) => unknown };
    const spawn = proto.spawn;
    const listings: string[][] = [];
    proto.spawn = function (this: ChildProcess, options) {
      if (options.args?.includes('ls-files')) listings.push(options.args);
      return spawn.call(this, options);
    };
    try {
      const { line, m } = await requirementsLine(dir, kb);
      expect(line.passed).toBe(true);
      expect(m.requirementTests).toMatchObject({ ran: 2 });
      expect(m.canary).toBeDefined();
    } finally {
      proto.spawn = spawn;
    }
    expect(listings).toHaveLength(1);
  });

  it('runs the requirement tests one at a time, and lists them in the order of the tests', async () => {
    // Each test notes when it starts and ends, and waits a while in between: runs side by side would overlap.
    const noted = (name: string, cart: string): string =>
      `test('${name}', async () => {\n  note('start');\n  await new Promise((r) => setTimeout(r, 150));\n  assert.equal(total(${cart}), 2);\n  note('end');\n});\n`;
    const names = ['REQ-001 a cart sums its items', 'REQ-002 coupons reduce the total', 'REQ-001 an empty cart costs nothing more'];
    const dir = await project(
      "import { appendFileSync } from 'node:fs';\nconst note = (what) => appendFileSync('runs.log', `${what} ${performance.timeOrigin + performance.now()}\\n`);\n" +
        names.map((name) => noted(name, '[{ price: 2 }]')).join(''),
    );
    const { line, m } = await requirementsLine(dir);
    expect(line.passed).toBe(true);
    expect(m.requirementTests).toMatchObject({ ran: 3 });
    expect(Object.keys((m.requirementTests as { tests: object }).tests)).toEqual(names);
    const notes = (await readFile(join(dir, 'runs.log'), 'utf8')).trim().split('\n');
    // The tests gate's run of all three, then each alone.
    expect(notes).toHaveLength(12);
    for (let i = 0; i < notes.length; i++) expect(notes[i]).toMatch(i % 2 ? /^end / : /^start /);
    const times = notes.map((n) => Number(n.split(' ')[1]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('says the code was not checked where the runner gives no per-test coverage', async () => {
    const dir = await project(`${HONEST}${EMPTY}`);
    const kb = KbSchema.parse(JSON.parse(execFileSync('cat', [join(dir, 'kb.json')], { encoding: 'utf8' })));
    // The same tests through npm: Goldloop does not run one test alone through a script.
    kb.gates.tests!.command = ['npm', 'test', '--silent'];
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({
        type: 'module',
        scripts: { test: `node --test --test-reporter=junit --test-reporter-destination=$GOLDLOOP_REPORT_DIR/junit.xml test/` },
      }),
    );
    const { line } = await requirementsLine(dir, kb);
    expect(line.passed).toBe(true);
    expect(line.evidence.detail).toContain('not checked (no mutation tool, no per-test coverage for npm)');
  });
});

/** A cart project run by vitest or jest (this repository's copies, linked), with one honest requirement test and one empty one. */
async function runnerProject(runner: 'vitest' | 'jest'): Promise<{ dir: string; kb: ReturnType<typeof KbSchema.parse> }> {
  const dir = await temps.make(`goldloop-pertest-${runner}-`);
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'test'));
  const esm = runner === 'vitest';
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'cart', ...(esm ? { type: 'module' } : {}) }));
  await writeFile(join(dir, 'src', 'cart.js'), esm ? CART : 'exports.total = (items) => items.reduce((sum, i) => sum + i.price, 0);\n');
  const head = esm
    ? "import { expect, test } from 'vitest';\nimport { total } from '../src/cart.js';\n"
    : "const { total } = require('../src/cart.js');\n";
  await writeFile(
    join(dir, 'test', 'cart.test.js'),
    `${head}test('REQ-001 a cart sums its items', () => {\n  expect(total([{ price: 2 }, { price: 3 }])).toBe(5);\n});\n${EMPTY}`,
  );
  execFileSync('git', ['init', '-q'], { cwd: dir });
  await linkPackages(dir, esm ? ['vitest', '@vitest/coverage-v8'] : ['jest']);
  const bin = join(dir, 'node_modules', '.bin', runner);
  const tests = esm
    ? { command: [bin, 'run', '--reporter=junit', '--outputFile={reports}/junit.xml'], junit_report: '{reports}/junit.xml' }
    : {
        command: [bin, '--json', '--outputFile={reports}/jest-results.json'],
        test_report: { format: 'jest-json' as const, path: '{reports}/jest-results.json' },
      };
  const kb = KbSchema.parse({
    requirements: [
      { id: 'REQ-001', text: 'a cart sums its items' },
      { id: 'REQ-002', text: 'coupons reduce the total' },
    ],
    gates: { tests, canary: { enabled: false } },
  });
  return { dir, kb };
}

describe('requirement tests that run the code, with vitest and jest (their own coverage)', () => {
  for (const [runner, packages] of [
    ['vitest', ['vitest', '@vitest/coverage-v8']],
    ['jest', ['jest']],
  ] as const) {
    it.skipIf(!installed(...packages))(`${runner}: refuses the empty test's requirement and accepts the honest one`, async () => {
      const { dir, kb } = await runnerProject(runner);
      const { line, m } = await requirementsLine(dir, kb);
      expect(line.value).toBe('1/2 (50%)');
      expect(line.evidence.detail).toMatch(/named but does not run the code .*: REQ-002 \(".*REQ-002 coupons reduce the total"\)/);
      expect(line.evidence.detail).toContain(
        `the others are named by a passing test that runs the project's code (run alone with ${runner}'s`,
      );
      expect(m.requirementTests).toMatchObject({ runner, ran: 2 });
    });
  }
});

/** Debian's python with pytest, coverage.py and pytest-cov (`.ci/run` installs them), or why not. */
const PYTHON = '/usr/bin/python3';
const noPytestCov = ((): string | undefined => {
  try {
    execFileSync(PYTHON, ['-c', 'import pytest, coverage, pytest_cov'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${PYTHON} has no pytest, coverage.py or pytest-cov`;
  }
})();

describe('requirement tests that run the code, with pytest (pytest-cov per-test contexts)', () => {
  it.skipIf(noPytestCov !== undefined)("refuses the empty test's requirement and accepts the honest one", async () => {
    const dir = await temps.make('goldloop-pertest-pytest-');
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'tests'));
    await writeFile(join(dir, 'src', '__init__.py'), '');
    await writeFile(join(dir, 'src', 'cart.py'), 'def total(items):\n    return sum(i["price"] for i in items)\n');
    await writeFile(
      join(dir, 'tests', 'test_cart.py'),
      'from src.cart import total\n\n# [REQ-001]\ndef test_sums():\n    assert total([{"price": 2}, {"price": 3}]) == 5\n\n# [REQ-002]\ndef test_coupons():\n    pass\n',
    );
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const kb = KbSchema.parse({
      requirements: [
        { id: 'REQ-001', text: 'a cart sums its items' },
        { id: 'REQ-002', text: 'coupons reduce the total' },
      ],
      gates: { tests: { command: [PYTHON, '-m', 'pytest', '--junitxml={reports}/junit.xml'], junit_report: '{reports}/junit.xml' } },
    });
    const { line, m } = await requirementsLine(dir, kb);
    expect(line.value).toBe('1/2 (50%)');
    expect(line.evidence.detail).toContain('named but does not run the code');
    expect(line.evidence.detail).toContain('REQ-002 ("tests.test_cart > test_coupons")');
    expect(m.requirementTests).toMatchObject({ runner: 'pytest', ran: 2 });
  });
});
