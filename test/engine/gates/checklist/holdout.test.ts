// The held-out line from measurements: it names the requirements whose held-out tests fail, never
// the tests; it waits for a gold candidate; a folder inside the project is refused.
import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../../../electron/engine/gates/checklist/checklist.ts';
import { runHoldoutGate } from '../../../../electron/engine/gates/measure/holdout.ts';
import { insideFolder } from '../../../../electron/platform/paths.ts';
import type { HoldoutRun, Measurement } from '../../../../electron/engine/gates/measurement.ts';
import type { TestCase } from '../../../../electron/engine/gates/parsers/types.ts';
import type { RunResult } from '../../../../electron/platform/process.ts';
import { KbSchema, type Kb } from '../../../../electron/store/kb/schema.ts';

const ok = (exitCode = 0): RunResult => ({
  argv: ['x'],
  exitCode,
  signal: null,
  durationMs: 900,
  stdoutTail: ['secret output'],
  stderrTail: [],
});
const COMMAND = ['node', '--test', '{holdout}/a.test.mjs'];

const kb = (holdout: object | null = {}): Kb =>
  KbSchema.parse({
    requirements: [{ id: 'REQ-001' }, { id: 'REQ-002' }],
    gates: { ...(holdout ? { holdout: { dir: '/elsewhere/acceptance', command: COMMAND, ...holdout } } : {}) },
  });

function held(tests: [string, TestCase['status']][], exitCode = 0): HoldoutRun {
  const cases = tests.map(([name, status]) => ({ name, classname: 'x', status, message: 'expected 4, got 3' }));
  const count = (s: TestCase['status']): number => cases.filter((c) => c.status === s).length;
  return {
    result: ok(exitCode),
    copy: '/state/holdout/cycle-1/junit.xml',
    report: {
      format: 'junit',
      passed: count('passed'),
      failed: count('failed'),
      errored: count('errored'),
      skipped: count('skipped'),
      tests: cases,
    },
  };
}

const line = (k: Kb, holdout: Measurement['holdout']) =>
  evaluateChecklist(k, { at: '', durationMs: 0, ...(holdout ? { holdout } : {}) }).checklist.find((c) => c.id === 'holdout')!;

describe('the held-out line', () => {
  it('passes when every held-out test passes, with the report kept outside the project', () => {
    const l = line(
      kb(),
      held([
        ['REQ-001 a', 'passed'],
        ['REQ-002 b', 'passed'],
      ]),
    );
    expect(l).toMatchObject({ label: 'Held-out acceptance tests passing', passed: true, value: '2/2', threshold: 'all' });
    expect(l.evidence).toMatchObject({ report: '/state/holdout/cycle-1/junit.xml', detail: 'all 2 held-out acceptance tests pass' });
  });

  it('names the requirements whose held-out tests fail or skip, and never a test, its message or its output', () => {
    const l = line(
      kb(),
      held(
        [
          ['REQ-001 the hidden case', 'failed'],
          ['REQ-002 other', 'skipped'],
          ['unnamed check', 'errored'],
        ],
        1,
      ),
    );
    expect(l).toMatchObject({ passed: false, value: '0/3' });
    expect(l.evidence.detail).toBe(
      'held-out acceptance tests fail for REQ-001, REQ-002: make these requirements work for every input, not only for those of the visible tests; 1 held-out test(s) that name no requirement fail',
    );
    expect(JSON.stringify(l)).not.toMatch(/hidden case|expected 4|secret output|unnamed check/);
  });

  it('fails on a run that ran no test or wrote no report, and waits, failing, until a gold candidate', () => {
    expect(line(kb(), held([])).evidence.detail).toBe('the held-out folder ran no test');
    const none: HoldoutRun = { result: ok(1), error: '{reports}/junit.xml: not found: the command did not write it' };
    expect(line(kb(), none).evidence.detail).toBe('{reports}/junit.xml: not found: the command did not write it (exit 1)');
    expect(line(kb(), { skipped: 'not run yet' })).toMatchObject({ passed: false, value: null });
  });

  it('is OFF, passing, when no folder is set or it is switched off: held-out tests are optional', () => {
    expect(line(kb(null), undefined)).toMatchObject({ passed: true, disabled: true, value: 'none' });
    expect(line(kb({ enabled: false }), undefined)).toMatchObject({ passed: true, disabled: true, value: 'off' });
  });
});

describe('where the held-out tests may be', () => {
  it('tells a folder inside the project from one beside it', () => {
    expect(insideFolder('/p/app', '/p/app/acceptance')).toBe(true);
    expect(insideFolder('/p/app', '/p/app')).toBe(true);
    expect(insideFolder('/p/app', '/p/app-acceptance')).toBe(false);
    expect(insideFolder('/p/app', '/p/acceptance')).toBe(false);
  });

  it('refuses to run tests the agent could read and change', async () => {
    const k = kb({ dir: '/p/app/acceptance' });
    const run = await runHoldoutGate({ projectDir: '/p/app', kb: k, label: 'x' }, { at: '', durationMs: 0 });
    expect(run).toEqual({
      skipped:
        'not run: gates.holdout.dir is inside the project, where the agent can read and change the tests; move the folder outside it',
    });
  });

  it('asks for an absolute path', () => {
    expect(() => kb({ dir: 'acceptance' })).toThrow(/absolute path/);
  });
});
