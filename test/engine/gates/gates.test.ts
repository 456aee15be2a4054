import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEST_COMMAND } from '../../../electron/engine/demo/project.ts';
import { readLcov } from '../../../electron/engine/gates/parsers/lcov.ts';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import type { ChecklistItem, GateId, GateRun } from '../../../electron/engine/gates/types.ts';
import { KbSchema, type Kb, type KbInput } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/temp.ts';

const FAKE_RUN = resolve('test/fixtures/unit/gates/fake-test-run.mjs');

const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** The demo's argv shape (node's test runner writing JUnit and lcov into `{reports}`) on this project's test file. */
const NODE_TEST_COMMAND = [...DEMO_TEST_COMMAND.slice(0, -1), 'test/calc.test.js'];
const REPORTS = { junit_report: '{reports}/junit.xml', coverage_report: { format: 'lcov' as const, path: '{reports}/lcov.info' } };

const CALC = `export function add(a, b) {
  return a + b;
}
export function sub(a, b) {
  return a - b;
}
export function sign(x) {
  if (x > 0) {
    return 'positive';
  }
  return 'other';
}
`;

const testFile = (extra: string): string => `import test from 'node:test';
import assert from 'node:assert/strict';
import { add, sub } from '../src/calc.js';

test('REQ-001 add adds', () => {
  assert.equal(add(2, 3), 5);
});

test('REQ-002 sub subtracts', () => {
  assert.equal(sub(5, 3), 2);
});
${extra}`;

/** A tiny real project: an ESM package with a source file and a node:test file. */
async function project(extraTests = ''): Promise<string> {
  const dir = await temps.make('goldloop-gates-');
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'test'));
  await writeFile(join(dir, 'package.json'), '{ "name": "calc", "private": true, "type": "module" }\n');
  await writeFile(join(dir, 'src', 'calc.js'), CALC);
  await writeFile(join(dir, 'test', 'calc.test.js'), testFile(extraTests));
  return dir;
}

const kbOf = (input: KbInput): Kb => KbSchema.parse(input);

const line = (run: GateRun, id: GateId): ChecklistItem => {
  const found = run.checklist.find((c) => c.id === id);
  if (!found) throw new Error(`no checklist line ${id}`);
  return found;
};

describe('runGates on a project whose tests all pass', () => {
  let dir: string;
  let run: GateRun;

  beforeAll(async () => {
    dir = await project();
    const kb = kbOf({
      task_queue: {
        high_priority: [{ task_id: 'T1', priority: 'P0', phase: 1, status: 'done' }],
        medium_priority: [{ task_id: 'T2', phase: 2, status: 'done' }],
      },
      requirements: [{ id: 'REQ-001' }, { id: 'REQ-002' }],
      autonomous_operation: { quality_gates: { test_coverage_threshold: 50 } },
      gates: { tests: { command: NODE_TEST_COMMAND, timeout_minutes: 2, ...REPORTS } },
    });
    run = await runGates({ projectDir: dir, kb, label: 'cycle-1' });
  });

  it('lists the phases, requirements, coverage, tests and blockers lines in that order', () => {
    const five: GateId[] = ['phases', 'requirements', 'coverage', 'tests', 'blockers'];
    expect(run.checklist.map((c) => c.id).filter((id) => five.includes(id))).toEqual(five);
    expect(run.checklist.at(-1)?.id).toBe('blockers');
    expect(line(run, 'tests').label).toBe('All tests passing');
  });

  it('measures the tests from the JUnit report', () => {
    expect(line(run, 'tests')).toMatchObject({ passed: true, value: '2/2 passing', threshold: 'all passing' });
    expect(line(run, 'tests').evidence).toMatchObject({ exit_code: 0, command: NODE_TEST_COMMAND, detail: '2 passed' });
  });

  it('keeps the per-test outcomes', () => {
    expect(run.tests).toEqual([
      { name: 'REQ-001 add adds', status: 'passed' },
      { name: 'REQ-002 sub subtracts', status: 'passed' },
    ]);
  });

  it('traces every requirement to a passing test', () => {
    expect(line(run, 'requirements')).toMatchObject({ passed: true, value: '2/2 (100%)', threshold: '100%' });
    expect(run.uncovered_requirements).toEqual([]);
  });

  it('reads coverage from the lcov report of the same run', async () => {
    const coverage = line(run, 'coverage');
    const copy = await readLcov(join(dir, '.goldloop', 'evidence', 'cycle-1', 'lcov.info'));
    expect(coverage).toMatchObject({ passed: true, value: copy.totals.lines!.pct, threshold: 50 });
    expect(coverage.value).toBeLessThan(100);
    expect(run.coverage_pct).toBe(copy.totals.lines!.pct);
    expect(coverage.evidence.detail).toContain(`lines ${copy.totals.lines!.pct}%`);
    expect(coverage.evidence.detail).toContain(`branches ${copy.totals.branches!.pct}%`);
    expect(coverage.evidence.detail).toContain(`functions ${copy.totals.functions!.pct}%`);
    expect(coverage.evidence.detail).toContain(`(${copy.totals.lines!.covered}/${copy.totals.lines!.total}`);
  });

  it('names the least covered source file', () => {
    expect(run.least_covered_files[0]?.file).toMatch(/calc\.js$/);
    expect(run.least_covered_files[0]?.pct).toBeLessThan(100);
  });

  it('counts the phases from the task queue', () => {
    expect(line(run, 'phases')).toMatchObject({ passed: true, value: '2/2 tasks', threshold: 'all done' });
  });

  it('finds no blockers', () => {
    expect(line(run, 'blockers')).toMatchObject({ passed: true, value: 0, threshold: 0 });
  });

  it('passes each of these five lines', () => {
    for (const id of ['phases', 'requirements', 'coverage', 'tests', 'blockers'] as const) expect(line(run, id).passed, id).toBe(true);
  });

  it('is gold exactly when every checklist line passes', () => {
    expect(run.gold).toBe(run.checklist.every((c) => c.passed));
  });

  it('keeps evidence copies of both reports in .goldloop/evidence/<label>/', async () => {
    const evidence = join(dir, '.goldloop', 'evidence', 'cycle-1');
    expect((await readdir(evidence)).sort()).toEqual(['junit.xml', 'lcov.info']);
    expect(line(run, 'tests').evidence.report).toBe(join(evidence, 'junit.xml'));
    expect(line(run, 'coverage').evidence.report).toBe(join(evidence, 'lcov.info'));
    expect(await readFile(join(evidence, 'junit.xml'), 'utf8')).toContain('REQ-001 add adds');
  });
});

describe('runGates on a project with a failing test, an open P0 and low coverage', () => {
  let run: GateRun;

  beforeAll(async () => {
    const dir = await project(`
test('REQ-003 mul multiplies', () => {
  assert.equal(2 * 2, 5, 'two times two is not five');
});

test('REQ-004 later', { skip: 'not yet' }, () => {});
`);
    const kb = kbOf({
      task_queue: {
        high_priority: [{ task_id: 'T2', priority: 'P0', phase: 2 }],
        low_priority: [{ task_id: 'T1', phase: 1, status: 'done' }],
      },
      requirements: [{ id: 'REQ-001' }, { id: 'REQ-002' }, { id: 'REQ-003' }],
      autonomous_operation: { quality_gates: { test_coverage_threshold: 100 } },
      gates: { tests: { command: NODE_TEST_COMMAND, timeout_minutes: 2, ...REPORTS } },
    });
    run = await runGates({ projectDir: dir, kb, label: 'cycle-2' });
  });

  it('fails the tests line, naming the failing test and counting the skipped one', () => {
    expect(line(run, 'tests')).toMatchObject({ passed: false, value: '2/3 passing, 1 skipped' });
    expect(line(run, 'tests').evidence).toMatchObject({ exit_code: 1, detail: 'failing: REQ-003 mul multiplies' });
  });

  it('keeps the failure message of the failing test', () => {
    expect(run.tests.find((t) => t.name === 'REQ-003 mul multiplies')?.message).toContain('two times two is not five');
  });

  it('does not count a requirement named only by a failing test as covered', () => {
    expect(line(run, 'requirements')).toMatchObject({ passed: false, value: '2/3 (67%)' });
    expect(line(run, 'requirements').evidence.detail).toBe(
      "not covered by a passing test: REQ-003; the others are named by a passing test that runs the project's code (run alone with node:test's per-test coverage)",
    );
    expect(run.uncovered_requirements).toEqual(['REQ-003']);
  });

  it('fails coverage below the threshold', () => {
    const coverage = line(run, 'coverage');
    expect(coverage.passed).toBe(false);
    expect(coverage.threshold).toBe(100);
    expect(typeof coverage.value === 'number' && coverage.value < 100).toBe(true);
  });

  it('names the open phase', () => {
    expect(line(run, 'phases')).toMatchObject({ passed: false, value: '1/2 tasks' });
    expect(line(run, 'phases').evidence.detail).toBe('open: Phase 2 0/1');
  });

  it('counts the open P0 task as a blocker', () => {
    expect(line(run, 'blockers')).toMatchObject({ passed: false, value: 1 });
    expect(line(run, 'blockers').evidence.detail).toBe('T2 (open P0)');
  });

  it('is not gold', () => {
    expect(run.gold).toBe(false);
  });
});

describe('runGates when the test command misbehaves', () => {
  it('fails the tests line naming the JUnit report the command did not write', async () => {
    const dir = await project();
    const kb = kbOf({
      requirements: [{ id: 'REQ-001' }],
      gates: { tests: { command: [process.execPath, '-e', 'process.exit(0)'], junit_report: '{reports}/results/missing-junit.xml' } },
    });
    const run = await runGates({ projectDir: dir, kb, label: 'no-report' });
    const tests = line(run, 'tests');
    expect(tests).toMatchObject({ passed: false, value: null });
    expect(tests.evidence.detail).toMatch(/^\{reports\}\/results\/missing-junit\.xml: not found: the (test )?command did not write it$/);
    expect(line(run, 'requirements')).toMatchObject({ passed: false, value: '0/1' });
    expect(run.gold).toBe(false);
  });

  it('shows why a failing command wrote no report: its exit code, the error line of its output, and the likely fix', async () => {
    const dir = await project();
    const kb = kbOf({
      gates: {
        tests: {
          command: [process.execPath, '-e', "console.log('starting the tests'); require('goldloop-no-such-module')"],
          junit_report: '{reports}/junit.xml',
          coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
        },
      },
    });
    const run = await runGates({ projectDir: dir, kb, label: 'crashed-before-report' });
    for (const id of ['tests', 'coverage'] as const) {
      const detail = line(run, id).evidence.detail;
      expect(detail).toMatch(/: not found: the (test )?command did not write it; the command exited with code 1: /);
      expect(detail).toContain("Error: Cannot find module 'goldloop-no-such-module'");
      expect(detail).toMatch(/\n— a module the tests import is missing: install the project's dependencies/);
    }
  });

  it('fails the tests and coverage lines with "command not found" for a runner that is not installed', async () => {
    const dir = await project();
    const kb = kbOf({ gates: { tests: { command: ['goldloop-no-such-test-runner', '--test'], ...REPORTS } } });
    const run = await runGates({ projectDir: dir, kb, label: 'missing-runner' });
    const message = 'command not found: goldloop-no-such-test-runner (is it installed and on PATH?)';
    expect(line(run, 'tests')).toMatchObject({ passed: false, value: null });
    expect(line(run, 'tests').evidence.detail).toBe(message);
    expect(line(run, 'coverage')).toMatchObject({ passed: false, value: null });
    expect(line(run, 'coverage').evidence.detail).toBe(message);
  });

  it('fails a run whose report shows no failures when the command exits non-zero', async () => {
    const dir = await project();
    const junit = join(dir, 'prepared.xml');
    await writeFile(junit, '<testsuites><testcase name="REQ-001 ok"/></testsuites>');
    const kb = kbOf({
      gates: { tests: { command: [process.execPath, FAKE_RUN, '{reports}', junit, '-', '2'], junit_report: '{reports}/junit.xml' } },
    });
    const tests = line(await runGates({ projectDir: dir, kb, label: 'exit-2' }), 'tests');
    expect(tests).toMatchObject({ passed: false, value: '1/1 passing' });
    expect(tests.evidence.detail).toBe('the report shows no failures, but the test command exited with code 2');
  });

  it('fails the tests line when the test command times out, saying after how long', async () => {
    const dir = await project();
    const kb = kbOf({
      gates: { tests: { command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'], timeout_minutes: 0.01, ...REPORTS } },
    });
    const run = await runGates({ projectDir: dir, kb, label: 'slow' });
    expect(line(run, 'tests')).toMatchObject({ passed: false, value: null });
    expect(line(run, 'tests').evidence.detail).toContain('timed out after 0.01 min');
    expect(line(run, 'coverage').evidence.detail).toContain('timed out after 0.01 min');
  });

  it('fails the tests line as interrupted when the run is aborted', async () => {
    const dir = await project();
    const kb = kbOf({ gates: { tests: { command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'], ...REPORTS } } });
    const run = await runGates({ projectDir: dir, kb, label: 'stopped', signal: AbortSignal.timeout(300) });
    expect(line(run, 'tests').evidence.detail).toMatch(/^the test (run|command) was interrupted$/);
    expect(line(run, 'tests').passed).toBe(false);
    expect(run.gold).toBe(false);
  });

  it('passes failing tests only when the KB says tests need not pass, and says so', async () => {
    const dir = await project();
    const junit = join(dir, 'prepared.xml');
    await writeFile(junit, '<testsuites><testcase name="ok"/><testcase name="bad"><failure message="boom"/></testcase></testsuites>');
    const kb = kbOf({
      autonomous_operation: { quality_gates: { all_tests_must_pass: false } },
      gates: { tests: { command: [process.execPath, FAKE_RUN, '{reports}', junit, '-', '1'], junit_report: '{reports}/junit.xml' } },
    });
    const tests = line(await runGates({ projectDir: dir, kb, label: 'lenient' }), 'tests');
    expect(tests).toMatchObject({ passed: true, value: '1/2 passing' });
    expect(tests.evidence.detail).toBe('failing: bad (not required: quality_gates.all_tests_must_pass is false)');
  });

  it('judges by the exit code when no JUnit report is configured', async () => {
    const dir = await project();
    const ok = kbOf({ gates: { tests: { command: [process.execPath, '-e', 'process.exit(0)'] } } });
    const bad = kbOf({ gates: { tests: { command: [process.execPath, '-e', 'console.error("3 tests failed"); process.exit(3)'] } } });
    const passed = line(await runGates({ projectDir: dir, kb: ok, label: 'exit-ok' }), 'tests');
    const failed = line(await runGates({ projectDir: dir, kb: bad, label: 'exit-bad' }), 'tests');
    expect(passed).toMatchObject({ passed: true, value: 'exit 0', threshold: 'exit 0' });
    expect(failed).toMatchObject({ passed: false, value: 'exit 3' });
    expect(failed.evidence.detail).toMatch(/^3 tests failed\n— for per-test results: make the command write a JUnit XML file/);
    expect(passed.evidence.detail).toContain('so no per-test counts)\n— for per-test results: ');
  });

  it('fails a report that lists no tests', async () => {
    const dir = await project();
    const junit = join(dir, 'prepared.xml');
    await writeFile(junit, '<testsuites name="none"></testsuites>');
    const kb = kbOf({
      gates: { tests: { command: [process.execPath, FAKE_RUN, '{reports}', junit, '-', '0'], junit_report: '{reports}/junit.xml' } },
    });
    const tests = line(await runGates({ projectDir: dir, kb, label: 'empty' }), 'tests');
    expect(tests).toMatchObject({ passed: false, value: '0/0 passing' });
    expect(tests.evidence.detail).toBe('the report lists no tests that ran');
  });

  it('fails the coverage line naming the lcov report the command did not write', async () => {
    const dir = await project();
    const kb = kbOf({ gates: { tests: { command: [process.execPath, '-e', 'process.exit(0)'], ...REPORTS } } });
    const coverage = line(await runGates({ projectDir: dir, kb, label: 'no-lcov' }), 'coverage');
    expect(coverage).toMatchObject({ passed: false, value: null });
    expect(coverage.evidence.detail).toMatch(/^\{reports\}\/lcov\.info: not found: the (test )?command did not write it$/);
  });

  // Evidence must point only at a report Goldloop kept. (In commit a04268e, runTestsCommand set
  // `coverageCopy` before the copy, so a missing lcov report left evidence naming a file that
  // does not exist.)
  it('points coverage evidence at no file when the lcov report is missing', async () => {
    const dir = await project();
    const kb = kbOf({ gates: { tests: { command: [process.execPath, '-e', 'process.exit(0)'], ...REPORTS } } });
    const coverage = line(await runGates({ projectDir: dir, kb, label: 'no-lcov' }), 'coverage');
    const report = coverage.evidence.report;
    expect(report === undefined || existsSync(report)).toBe(true);
  });

  it('fails the coverage line with the parser\u2019s reason for a malformed lcov report', async () => {
    const dir = await project();
    const lcov = join(dir, 'prepared.info');
    await writeFile(lcov, 'SF:a.js\nthis is not lcov\n');
    const kb = kbOf({ gates: { tests: { command: [process.execPath, FAKE_RUN, '{reports}', '-', lcov, '0'], ...REPORTS } } });
    const run = await runGates({ projectDir: dir, kb, label: 'bad-lcov' });
    const coverage = line(run, 'coverage');
    expect(coverage).toMatchObject({ passed: false, value: null });
    expect(coverage.evidence.detail).toBe(
      `${join(dir, '.goldloop', 'evidence', 'bad-lcov', 'lcov.info')}: line 2: "this is not lcov" is not an lcov record`,
    );
  });
});

describe('runGates report folder and evidence', () => {
  let dir: string;
  let run: GateRun;
  let seen: { reports: string; env: string; ci: string };
  const JUNIT = '<testsuites><testsuite name="s"><testcase name="REQ-12 big" classname="test"/></testsuite></testsuites>\n';
  const LCOV = 'SF:src/calc.js\nDA:1,1\nDA:2,0\nend_of_record\n';

  beforeAll(async () => {
    dir = await project();
    await writeFile(join(dir, 'prepared.xml'), JUNIT);
    await writeFile(join(dir, 'prepared.info'), LCOV);
    const kb = kbOf({
      requirements: [{ id: 'REQ-1' }, { id: 'REQ-12' }],
      gates: { tests: { command: [process.execPath, FAKE_RUN, '{reports}', 'prepared.xml', 'prepared.info', '0'], ...REPORTS } },
    });
    run = await runGates({ projectDir: dir, kb, label: 'run-7' });
    seen = JSON.parse(await readFile(join(dir, 'seen.json'), 'utf8')) as typeof seen;
  });

  it('gives the command a report folder outside the project, as {reports} and GOLDLOOP_REPORT_DIR', async () => {
    expect(seen.env).toBe(seen.reports);
    const inside = relative(await realpath(dir), seen.reports);
    expect(inside.startsWith('..') || resolve(inside) === inside).toBe(true);
  });

  it('removes the report folder afterwards', () => {
    expect(existsSync(seen.reports)).toBe(false);
  });

  it('runs the command with CI set', () => {
    expect(seen.ci).toBe('true');
  });

  it('copies the reports it read into .goldloop/evidence/<label>/', async () => {
    const evidence = join(dir, '.goldloop', 'evidence', 'run-7');
    expect(await readFile(join(evidence, 'junit.xml'), 'utf8')).toBe(JUNIT);
    expect(await readFile(join(evidence, 'lcov.info'), 'utf8')).toBe(LCOV);
  });

  it('reads coverage from the copy', () => {
    expect(line(run, 'coverage')).toMatchObject({ value: 50 });
    expect(line(run, 'coverage').evidence.detail).toContain('(1/2');
  });

  it('does not count REQ-1 as covered by a test named REQ-12', () => {
    expect(run.uncovered_requirements).toEqual(['REQ-1']);
    expect(line(run, 'requirements').value).toBe('1/2 (50%)');
  });

  it('resolves a relative report path against the project folder', async () => {
    // The command writes the report there itself: one that was there before it ran is not read.
    const kb = kbOf({
      gates: {
        tests: {
          command: [process.execPath, '-e', "require('node:fs').copyFileSync('prepared.xml', 'relative.xml')"],
          junit_report: 'relative.xml',
        },
      },
    });
    const rel = await runGates({ projectDir: dir, kb, label: 'run-8' });
    expect(line(rel, 'tests')).toMatchObject({ passed: true, value: '1/1 passing' });
    expect(line(rel, 'tests').evidence.report).toBe(join(dir, '.goldloop', 'evidence', 'run-8', 'junit.xml'));
  });
});

describe('runGates without a test command', () => {
  it('fails tests, coverage and requirements saying what to configure', async () => {
    const dir = await temps.make('goldloop-gates-');
    const run = await runGates({ projectDir: dir, kb: kbOf({ requirements: [{ id: 'REQ-001' }] }), label: 'x' });
    expect(line(run, 'tests').evidence.detail).toBe('no test command configured: set gates.tests.command in .ai-knowledge-base.json');
    expect(line(run, 'coverage').evidence.detail).toContain('no coverage report configured');
    expect(line(run, 'requirements')).toMatchObject({ passed: false, value: '0/1' });
    expect(existsSync(join(dir, '.goldloop', 'evidence', 'x'))).toBe(false);
  });

  it('does not pass the phases line for an empty task queue', async () => {
    const run = await runGates({ projectDir: await temps.make(), kb: kbOf({}), label: 'x' });
    expect(line(run, 'phases')).toMatchObject({ passed: false, value: '0/0 tasks' });
    expect(line(run, 'phases').evidence.detail).toContain('the task queue is empty');
  });

  it('does not pass the requirements line when no requirement is listed', async () => {
    const run = await runGates({ projectDir: await temps.make(), kb: kbOf({}), label: 'x' });
    expect(line(run, 'requirements')).toMatchObject({ passed: false, value: '0/0' });
  });

  it('lists critical bugs, manual blocks and dependency problems as blockers', async () => {
    const kb = kbOf({
      task_queue: {
        medium_priority: [
          { task_id: 'BUG_1', critical_bug: true },
          { task_id: 'WAIT_1', blocked_reason: 'needs a key' },
          { task_id: 'DEP_1', dependencies: ['GONE'] },
        ],
      },
    });
    const blockers = line(await runGates({ projectDir: await temps.make(), kb, label: 'x' }), 'blockers');
    expect(blockers).toMatchObject({ passed: false, value: 3 });
    expect(blockers.evidence.detail).toBe(
      'BUG_1 (critical bug); WAIT_1 (blocked: needs a key); DEP_1 depends on GONE, which is not in the task queue',
    );
  });

  it('keeps only the 20 newest evidence folders', async () => {
    const dir = await temps.make();
    for (let i = 1; i <= 25; i++) await mkdir(join(dir, '.goldloop', 'evidence', `cycle-${i}`), { recursive: true });
    await runGates({ projectDir: dir, kb: kbOf({}), label: 'x' });
    const left = await readdir(join(dir, '.goldloop', 'evidence'));
    expect(left.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))).toEqual(
      Array.from({ length: 20 }, (_, i) => `cycle-${i + 6}`),
    );
  });
});
