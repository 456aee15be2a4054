// The mutation line and the requirements line it sharpens, evaluated from measurements made of
// Stryker reports recorded here (test/fixtures/reports/mutation, see mutation-report.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../../../electron/engine/gates/checklist/checklist.ts';
import type { Measurement, MutationRun, MutationScope, TestsRun } from '../../../../electron/engine/gates/measurement.ts';
import { parseStrykerReport } from '../../../../electron/engine/gates/parsers/mutation-report.ts';
import type { MutationReport, TestCase } from '../../../../electron/engine/gates/parsers/types.ts';
import type { RunResult } from '../../../../electron/platform/process.ts';
import { KbSchema, type Kb, type KbInput } from '../../../../electron/store/kb/schema.ts';

const REQ_1 = 'REQ-001 discount takes a percentage off';
const REQ_2 = 'REQ-002 isFree is true only for zero';
const report = (name: string): MutationReport => parseStrykerReport(readFileSync(`test/fixtures/reports/mutation/${name}`, 'utf8'), name);
const ok = (ms = 1000): RunResult => ({ argv: ['x'], exitCode: 0, signal: null, durationMs: ms, stdoutTail: [], stderrTail: [] });
const STRYKER = ['npx', '--no', '--', 'stryker', 'run', '{reports}/stryker.config.json'];

function kb(extra: Partial<KbInput> = {}, mutation: object | null = {}): Kb {
  return KbSchema.parse({
    requirements: [
      { id: 'REQ-001', text: 'discount' },
      { id: 'REQ-002', text: 'isFree' },
    ],
    task_queue: { high_priority: [{ task_id: 'T1', status: 'done' }] },
    gates: {
      tests: { command: ['node', '--test'], junit_report: '{reports}/junit.xml' },
      ...(mutation ? { mutation: { command: STRYKER, stryker: { test_runner: 'command', command: ['node', 't.js'] }, ...mutation } } : {}),
      docs: { enabled: false },
    },
    ...extra,
  });
}

function testsRun(names: string[], extra: Partial<TestCase> = {}): TestsRun {
  const tests = names.map((name) => ({ name, classname: 'test', status: 'passed' as const, ...extra }));
  return { result: ok(), report: { format: 'junit', passed: tests.length, failed: 0, errored: 0, skipped: 0, tests } };
}

const run = (r: MutationReport, scope: MutationScope = { kind: 'all', why: 'candidate' }): MutationRun => ({
  result: ok(12_000),
  scope,
  report: r,
  copy: '/p/.goldloop/evidence/x/mutation.json',
});
const measure = (m: Partial<Measurement>): Measurement => ({
  at: '2026-12-01T00:00:00Z',
  durationMs: 1,
  tests: testsRun([REQ_1, REQ_2]),
  ...m,
});
const line = (k: Kb, m: Measurement, id: string) => evaluateChecklist(k, m).checklist.find((c) => c.id === id)!;

describe('the mutation line', () => {
  it('sits after the tests line and passes at or above the threshold over all the code', () => {
    const gates = evaluateChecklist(kb(), measure({ mutation: run(report('stryker-command-tap.json')) }));
    expect(gates.checklist.map((c) => c.id).slice(3, 7)).toEqual(['tests', 'mutation', 'holdout', 'security']);
    const m = gates.checklist[4]!;
    expect(m).toMatchObject({ label: 'Tests catch faults', passed: true, value: 77.78, threshold: 60 });
    expect(m.evidence).toMatchObject({
      command: STRYKER,
      exit_code: 0,
      duration_ms: 12_000,
      report: '/p/.goldloop/evidence/x/mutation.json',
    });
    expect(m.evidence.detail).toMatch(
      /^14\/18 mutants caught \(77\.78%\) in all the code \(every other line passes: a gold candidate\): 14 killed, 4 survived; surviving: src\/price\.js:3 /,
    );
  });

  it('lists the surviving mutants with file, line, mutator and replacement', () => {
    const m = line(kb(), measure({ mutation: run(report('stryker-command-tap.json')) }), 'mutation');
    expect(m.evidence.survivors?.total).toBe(4);
    expect(m.evidence.survivors?.mutants[0]).toEqual({
      file: 'src/price.js',
      line: 3,
      mutator: expect.any(String) as string,
      replacement: expect.any(String) as string,
      status: 'Survived',
    });
  });

  it('fails below the threshold the KB sets', () => {
    const m = line(kb({}, { threshold: 80 }), measure({ mutation: run(report('stryker-command-tap.json')) }), 'mutation');
    expect(m).toMatchObject({ passed: false, value: 77.78, threshold: 80 });
  });

  it('passes over the changed code between gold candidates, but not when it alone stands between the project and gold', () => {
    const changed: MutationScope = { kind: 'changed', files: ['src/price.js'] };
    const failing = measure({ tests: testsRun([REQ_1]), mutation: run(report('stryker-command-tap.json'), changed) });
    expect(line(kb(), failing, 'mutation')).toMatchObject({ passed: true, value: 77.78 });
    expect(line(kb(), failing, 'mutation').evidence.detail).toContain('in the 1 source file(s) changed since the baseline');
    // Every other gate configured, measured and passing, or switched off.
    const gold = kb({
      autonomous_operation: { quality_gates: { security_scan_must_pass: false } },
      gates: {
        tests: { command: ['node', '--test'], junit_report: 'j.xml', coverage_report: { format: 'lcov', path: 'l.info' } },
        mutation: { command: STRYKER, stryker: { test_runner: 'command', command: ['node', 't.js'] } },
        performance: { enabled: false, command: ['b'], thresholds: { x: { max: 1 } } },
        build: { enabled: false, command: ['b'] },
        docs: { enabled: false },
      },
    });
    const covered = {
      ...testsRun([REQ_1, REQ_2]),
      coverage: { format: 'lcov' as const, totals: { lines: { covered: 9, total: 9, pct: 100 } }, files: [] },
    };
    const allElse = line(gold, measure({ tests: covered, mutation: run(report('stryker-command-tap.json'), changed) }), 'mutation');
    expect(allElse.passed).toBe(false);
    expect(allElse.evidence.detail).toContain('every other line passes, so the next measurement mutates all the code, which gold needs');
  });

  it('says how to configure it when the KB has no mutation gate, and OFF when it is switched off', () => {
    const none = line(kb({}, null), measure({}), 'mutation');
    expect(none).toMatchObject({ passed: false, value: null });
    expect(none.evidence.detail).toContain('no mutation testing configured: set gates.mutation');
    const off = line(kb({}, { enabled: false, command: undefined }), measure({}), 'mutation');
    expect(off).toMatchObject({ passed: true, value: 'off', disabled: true });
    expect(off.evidence.detail).toBe('switched off by the user (gates.mutation.enabled is false)');
  });

  it('fails, not run, while the tests fail; passes with nothing changed since the baseline', () => {
    const skipped = line(kb(), measure({ mutation: { skipped: 'not run: a mutation run starts from a passing test suite' } }), 'mutation');
    expect(skipped).toMatchObject({ passed: false, value: null });
    const unchanged = {
      scope: { kind: 'changed', files: [] } as MutationScope,
      skipped: 'no source file to mutate changed since the baseline',
    };
    const still = line(kb(), measure({ tests: testsRun([REQ_1]), mutation: unchanged }), 'mutation');
    expect(still).toMatchObject({ passed: true, value: 'no change' });
    expect(still.evidence.detail).toBe('no source file to mutate changed since the baseline; all the code is mutated at a gold candidate');
  });

  it("fails on a run that timed out, or that wrote no report, with the tool's own error", () => {
    const timedOut = { ...run(report('stryker-vitest.json')), result: { ...ok(), exitCode: null, killedBy: 'timeout' as const } };
    expect(line(kb(), measure({ mutation: timedOut }), 'mutation').evidence.detail).toBe('the mutation run timed out after 30 min');
    const broken: MutationRun = {
      result: { ...ok(), exitCode: 1, stdoutTail: ['ERROR Stryker There were failed tests in the initial test run.'] },
      scope: { kind: 'all', why: 'candidate' },
      error: '{reports}/mutation.json: not found: the command did not write it',
    };
    expect(line(kb(), measure({ mutation: broken }), 'mutation').evidence.detail).toBe(
      '{reports}/mutation.json: not found: the command did not write it (exit 1: ERROR Stryker There were failed tests in the initial test run.)',
    );
  });
});

describe('the requirements line with a mutation run', () => {
  it('covers a requirement when a passing test naming it kills a mutant', () => {
    const r = line(kb(), measure({ mutation: run(report('stryker-command-tap.json')) }), 'requirements');
    expect(r).toMatchObject({ passed: true, value: '2/2 (100%)' });
    expect(r.evidence.detail).toBe('every requirement is named by a passing test that kills a mutant of the code');
  });

  it('names each requirement whose tests kill nothing', () => {
    const r = report('stryker-vitest.json');
    const only2 = { ...r, mutants: r.mutants.map((m) => ({ ...m, killedBy: m.killedBy?.filter((k) => k.includes('REQ-002')) })) };
    const gates = evaluateChecklist(
      kb(),
      measure({ mutation: run({ ...only2, mutants: only2.mutants.filter((m) => m.killedBy?.length !== 0) }) }),
    );
    const req = gates.checklist.find((c) => c.id === 'requirements')!;
    expect(req).toMatchObject({ passed: false, value: '1/2 (50%)' });
    expect(req.evidence.detail).toBe('named only by tests that catch no fault (kill no mutant of the code): REQ-001');
    expect(gates.uncovered_requirements).toEqual(['REQ-001']);
  });

  it('does not count mutants every test fails on: a patch run on import shows that the tests run, not what they check', () => {
    const six = ['REQ-001 a', 'REQ-002 b', 'c', 'd', 'e', 'f'];
    const names = report('stryker-assert-patch.json').mutants.flatMap((m) => m.killedBy ?? []);
    expect(new Set(names).size).toBe(6);
    const r = line(kb(), measure({ tests: testsRun(six), mutation: run(report('stryker-assert-patch.json')) }), 'requirements');
    expect(r).toMatchObject({ passed: false, value: '0/2 (0%)' });
  });

  it('matches a tag beside the test to the killer named after its title', () => {
    const k = kb({ requirements: [{ id: 'REQ-009', text: 'tagged' }] });
    const tagged = testsRun(['discount takes a percentage off', REQ_2], { tags: ['REQ-009'] });
    const r = report('stryker-vitest.json');
    const renamed = { ...r, mutants: r.mutants.map((m) => ({ ...m, killedBy: m.killedBy?.map((n) => n.replace('REQ-001 ', '')) })) };
    expect(line(k, measure({ tests: tagged, mutation: run(renamed) }), 'requirements')).toMatchObject({ passed: true });
  });

  it('keeps the weaker rule, and says so, where no mutation tool runs or the killers are unknown', () => {
    const none = line(kb({}, null), measure({}), 'requirements');
    expect(none).toMatchObject({ passed: true, value: '2/2 (100%)' });
    expect(none.evidence.detail).toBe(
      'every requirement is named by a passing test (the weaker rule: no mutation tool runs: configure gates.mutation, so a test that checks nothing counts too)',
    );
    const dot = line(kb(), measure({ mutation: run(report('stryker-command-dot.json')) }), 'requirements');
    expect(dot.passed).toBe(true);
    expect(dot.evidence.detail).toContain(
      "the weaker rule: Stryker's command runner over output that is not TAP does not say which tests kill a mutant",
    );
    const changed = line(
      kb(),
      measure({ mutation: run(report('stryker-command-tap.json'), { kind: 'changed', files: ['src/price.js'] }) }),
      'requirements',
    );
    expect(changed.evidence.detail).toContain('the weaker rule: the mutation run covered only the code changed since the baseline');
  });
});
