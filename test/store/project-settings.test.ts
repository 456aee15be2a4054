import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KB_BACKUP, KbError, kbPath } from '../../electron/store/kb/kb-file.ts';
import { ApiError } from '../../electron/contract/errors.ts';
import { checkSettings, mergePatch, readSettings, settingsField, writeSettings } from '../../electron/store/settings/index.ts';
import { parseArgs } from '../../electron/server/requests.ts';
import { TempDirs } from '../helpers/temp.ts';

/** The operating document's own "Core Loop Structure" KB: a hand-written file with fields Goldloop does not model. */
const LOOP = readFileSync(join('test/fixtures/unit/kb/operating-doc-loop.json'), 'utf8');

const temps = new TempDirs();
afterEach(() => temps.cleanup());

async function projectWith(kb: unknown): Promise<string> {
  const dir = await temps.make('goldloop-settings-');
  await writeFile(kbPath(dir), typeof kb === 'string' ? kb : `${JSON.stringify(kb, null, 2)}\n`);
  return dir;
}

/** The KB file's JSON as it is; the tests compare it whole, or read a field they know is there. */
type Json = ReturnType<typeof annotated> & {
  agent: Record<string, unknown>;
  gates: Record<string, { command?: string[]; thresholds?: unknown }>;
};
const readJson = async (dir: string): Promise<Json> => JSON.parse(await readFile(kbPath(dir), 'utf8')) as Json;

/** The ApiError a change is refused with (fails the test when it is accepted). */
async function refusal(run: () => Promise<unknown>): Promise<ApiError> {
  const error: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** A KB with a field Goldloop does not know at every level the settings touch. */
const annotated = () => ({
  project: { name: 'shop', owner: 'team-a' },
  house_style: { tabs: false },
  autonomous_operation: {
    work_cycle: { duration_minutes: 15, note: 'agreed with ops' },
    quality_gates: { test_coverage_threshold: 80, reviewer: 'kim' },
    reporting: { notifications: true, channel: '#builds' },
  },
  gates: {
    tests: { command: ['npm', 'test'], junit_report: '{reports}/junit.xml', flaky_retries: 2 },
    performance: { command: ['node', 'bench.js'], thresholds: { p95_ms: { max: 200, unit: 'ms' }, rps: { min: 100 } } },
  },
  agent: { type: 'claude-code', model: 'opus', team_quota: 'q1' },
});

describe('settings: reading', () => {
  it('shows the KB values, and the defaults for what a hand-written KB leaves out', async () => {
    const dir = await projectWith(LOOP);
    const s = await readSettings(dir);
    expect(s.schedule).toEqual({
      duration_minutes: 15,
      break_between_cycles_minutes: 5,
      max_cycles_per_hour: 3,
      max_iterations_per_day: 100,
      max_iterations_per_run: 1000,
      max_consecutive_errors: 3,
      retry_delay_minutes: 30,
    });
    expect(s.gates.test_coverage_threshold).toBe(80);
    expect(s.gates.docs).toEqual({ enabled: true, files: ['README.md'], markers: ['TODO', 'TBD', 'FIXME', 'lorem ipsum'] });
    expect(s.gates.tests).toBeUndefined();
    expect(s.agent).toBeUndefined();
    expect(s.notifications).toEqual({
      notifications: true,
      error_alert_immediate: true,
      progress_report_interval_hours: 2,
      status_report_interval_hours: 6,
    });
  });
});

describe('settings: a change keeps everything else', () => {
  it('changes only the fields it names; fields Goldloop does not know survive at every level', async () => {
    const dir = await projectWith(annotated());
    await writeSettings(dir, {
      schedule: { duration_minutes: 20 },
      gates: { test_coverage_threshold: 90, tests: { timeout_minutes: 5 }, performance: { thresholds: { p95_ms: { max: 150 } } } },
      notifications: { notifications: false },
      agent: { model: 'sonnet' },
    });
    const expected = annotated();
    expected.autonomous_operation.work_cycle.duration_minutes = 20;
    expected.autonomous_operation.quality_gates.test_coverage_threshold = 90;
    expected.autonomous_operation.reporting.notifications = false;
    Object.assign(expected.gates.tests, { timeout_minutes: 5 });
    expected.gates.performance.thresholds.p95_ms.max = 150;
    expected.agent.model = 'sonnet';
    // Exactly the user's JSON with the four changes: no defaults written in, nothing dropped.
    expect(await readJson(dir)).toEqual(expected);
  });

  it('keeps a hand-written KB in its own shape and keeps the previous version as the backup', async () => {
    const dir = await projectWith(LOOP);
    await writeSettings(dir, { schedule: { break_between_cycles_minutes: 1 } });
    const after = await readJson(dir);
    const before = JSON.parse(LOOP) as { autonomous_operation: { work_cycle: { break_between_cycles_minutes: number } } };
    before.autonomous_operation.work_cycle.break_between_cycles_minutes = 1;
    expect(after).toEqual(before);
    expect(await readFile(join(dir, KB_BACKUP), 'utf8')).toBe(LOOP);
  });

  it('removes an optional field given as null, replaces arrays, and drops a metric given as null', async () => {
    const dir = await projectWith(annotated());
    const s = await writeSettings(dir, {
      agent: { model: null, extra_args: ['--verbose'], budget: { per_day: { cost_usd: 5 } } },
      gates: { tests: { command: ['npx', 'vitest', 'run'] }, performance: { thresholds: { rps: null, latency_ms: { max: 9 } } } },
    });
    const kb = await readJson(dir);
    expect(kb.agent).toEqual({ type: 'claude-code', team_quota: 'q1', extra_args: ['--verbose'], budget: { per_day: { cost_usd: 5 } } });
    expect(kb.gates.tests.command).toEqual(['npx', 'vitest', 'run']);
    expect(kb.gates.performance.thresholds).toEqual({ p95_ms: { max: 200, unit: 'ms' }, latency_ms: { max: 9 } });
    expect(s.agent).toEqual({ type: 'claude-code', extra_args: ['--verbose'], budget: { per_day: { cost_usd: 5 } } });
  });

  it('writes nothing for an empty change', async () => {
    const dir = await projectWith(`{"autonomous_operation":   {"max_iterations_per_day": 7}}`);
    await writeSettings(dir, {});
    expect(await readFile(kbPath(dir), 'utf8')).toBe(`{"autonomous_operation":   {"max_iterations_per_day": 7}}`);
  });

  it('merges as RFC 7396 says: objects merge, null removes, arrays and values replace', () => {
    expect(mergePatch({ a: 1, b: { c: [1, 2], d: 'x', keep: true } }, { b: { c: [3], d: null }, e: 2 })).toEqual({
      a: 1,
      b: { c: [3], keep: true },
      e: 2,
    });
  });
});

describe('settings: a bad value names the field and the fix', () => {
  const args = (settings: unknown) => ({ project_id: 'abc123', settings });

  it('refuses a value out of range in the request, naming the settings field', () => {
    const r = parseArgs('updateSettings', args({ schedule: { duration_minutes: 0 } }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'bad_request', field: 'settings.schedule.duration_minutes', fix: 'use a number above 0' });
  });

  it('says what to give for a wrong type, a fraction where a whole number belongs, and an unknown choice', () => {
    const fixOf = (settings: unknown) => {
      const r = parseArgs('updateSettings', args(settings));
      return r.ok ? undefined : [r.error.field, r.error.fix];
    };
    expect(fixOf({ schedule: { break_between_cycles_minutes: '5' } })).toEqual([
      'settings.schedule.break_between_cycles_minutes',
      'give a number',
    ]);
    expect(fixOf({ schedule: { max_cycles_per_hour: 1.5 } })).toEqual(['settings.schedule.max_cycles_per_hour', 'give a whole number']);
    expect(fixOf({ gates: { test_coverage_threshold: 101 } })).toEqual([
      'settings.gates.test_coverage_threshold',
      'use a number of at most 100',
    ]);
    expect(fixOf({ gates: { security: { fail_on: 'severe' } } })).toEqual([
      'settings.gates.security.fail_on',
      'use one of "critical", "high", "moderate", "low", "info"',
    ]);
    expect(fixOf({ agent: { type: 'gpt' } })?.[0]).toBe('settings.agent.type');
    expect(fixOf({ gates: { tests: { command: [] } } })).toEqual(['settings.gates.tests.command', 'give at least the program to run']);
    expect(fixOf({ schedule: { duration_minutes: null } })).toEqual(['settings.schedule.duration_minutes', 'give a number']);
  });

  it('refuses an unknown field, saying to remove it, and lists every problem when there are several', () => {
    const unknown = parseArgs('updateSettings', args({ schedule: { cycle_minutes: 5 } }));
    expect(unknown.ok || unknown.error).toMatchObject({
      field: 'settings.schedule',
      fix: 'remove cycle_minutes: updateSettings does not take it',
    });
    const several = parseArgs('updateSettings', args({ schedule: { duration_minutes: -1, retry_delay_minutes: -1 } }));
    expect(several.ok || several.error.issues?.map((i) => i.field)).toEqual([
      'settings.schedule.duration_minutes',
      'settings.schedule.retry_delay_minutes',
    ]);
  });

  it('checks the KB the change would give, and names the settings field when only the whole KB can tell', async () => {
    const dir = await projectWith(annotated());
    // The day's limit names only a cost: removing it would leave a limit of nothing.
    await writeSettings(dir, { agent: { budget: { per_day: { cost_usd: 5 } } } });
    const empty = await refusal(() => checkSettings(dir, { agent: { budget: { per_day: { cost_usd: null } } } }));
    expect(empty.body).toMatchObject({ code: 'bad_request', field: 'settings.agent.budget.per_day', fix: 'give cost_usd, tokens or both' });
    const metric = await refusal(() => checkSettings(dir, { gates: { performance: { thresholds: { p95_ms: { max: null } } } } }));
    expect(metric.body).toMatchObject({ field: 'settings.gates.performance.thresholds.p95_ms', fix: 'give max, min or both' });
    const command = await refusal(() => checkSettings(dir, { agent: { type: 'command' } }));
    expect(command.body.field).toBe('settings.agent.command');
    expect(command.body.fix).toContain('needs a program');
  });

  it('maps KB paths to settings fields, and nothing outside the settings', () => {
    expect(settingsField(['autonomous_operation', 'work_cycle', 'duration_minutes'])).toBe('settings.schedule.duration_minutes');
    expect(settingsField(['autonomous_operation', 'quality_gates', 'test_coverage_threshold'])).toBe(
      'settings.gates.test_coverage_threshold',
    );
    expect(settingsField(['gates', 'tests', 'command', 0])).toBe('settings.gates.tests.command.0');
    expect(settingsField(['task_queue', 'high_priority', 0])).toBeUndefined();
  });
});

describe('settings: the mutation gate', () => {
  const mutation = {
    command: ['npx', '--no', '--', 'stryker', 'run', '{reports}/stryker.config.json'],
    stryker: { test_runner: 'vitest', mutate: ['src/**/*.ts'] },
  };

  it('shows its switch, command, time limit and threshold, and writes a new threshold without touching the rest', async () => {
    const dir = await projectWith({ ...annotated(), gates: { ...annotated().gates, mutation } });
    expect((await readSettings(dir)).gates.mutation).toEqual({
      enabled: true,
      command: mutation.command,
      timeout_minutes: 30,
      threshold: 60,
    });
    await writeSettings(dir, { gates: { mutation: { threshold: 75 } } });
    expect((await readJson(dir)).gates.mutation).toEqual({ ...mutation, threshold: 75 });
  });

  it('refuses a threshold over 100, and a command that does not read the Stryker config Goldloop writes', async () => {
    const r = parseArgs('updateSettings', { project_id: 'abc123', settings: { gates: { mutation: { threshold: 120 } } } });
    expect(r.ok || [r.error.field, r.error.fix]).toEqual(['settings.gates.mutation.threshold', 'use a number of at most 100']);
    const dir = await projectWith({ ...annotated(), gates: { ...annotated().gates, mutation } });
    const command = await refusal(() => checkSettings(dir, { gates: { mutation: { command: ['npx', 'stryker', 'run'] } } }));
    expect(command.body.field).toBe('settings.gates.mutation.command');
    expect(command.body.fix).toContain('{reports}/stryker.config.json');
  });
});

describe('settings: the held-out tests', () => {
  const holdout = { dir: '/srv/acceptance/shop', command: ['npx', '--no', '--', 'vitest', 'run', '--dir', '{holdout}'] };

  it('are added with a folder and a command, shown with their defaults, changed, and removed with null', async () => {
    const dir = await projectWith(annotated());
    expect((await readSettings(dir)).gates.holdout).toBeUndefined();
    await writeSettings(dir, { gates: { holdout } });
    expect((await readJson(dir)).gates.holdout).toEqual(holdout);
    expect((await readSettings(dir)).gates.holdout).toEqual({ ...holdout, enabled: true, timeout_minutes: 10 });
    await writeSettings(dir, { gates: { holdout: { dir: '/srv/other', enabled: false } } });
    expect((await readJson(dir)).gates.holdout).toEqual({ ...holdout, dir: '/srv/other', enabled: false });
    await writeSettings(dir, { gates: { holdout: null } });
    expect((await readJson(dir)).gates.holdout).toBeUndefined();
  });

  it('refuse a relative folder, a folder inside the project and a missing command, naming the field', async () => {
    const r = parseArgs('updateSettings', { project_id: 'abc123', settings: { gates: { holdout: { ...holdout, dir: 'acceptance' } } } });
    expect(r.ok || [r.error.field, r.error.fix]).toEqual([
      'settings.gates.holdout.dir',
      'give an absolute path to a folder outside the project',
    ]);
    const dir = await projectWith(annotated());
    const inside = await refusal(() => checkSettings(dir, { gates: { holdout: { ...holdout, dir: join(dir, 'acceptance') } } }));
    expect(inside.body.field).toBe('settings.gates.holdout.dir');
    expect(inside.body.fix).toContain('is inside the project, where the agent can read and change the tests');
    const command = await refusal(() => checkSettings(dir, { gates: { holdout: { dir: '/srv/acceptance' } } }));
    expect(command.body.field).toBe('settings.gates.holdout.command');
  });
});

describe('settings: a broken KB on disk', () => {
  it('is refused with the file, the line and column and the fix, and never overwritten', async () => {
    const broken = '{\n  "autonomous_operation": { "work_cycle": { "duration_minutes": 15, } }\n}\n';
    const dir = await projectWith(broken);
    const error: unknown = await writeSettings(dir, { schedule: { duration_minutes: 5 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KbError);
    const message = (error as KbError).message;
    expect(message).toContain(kbPath(dir));
    expect(message).toMatch(/line 2, column \d+/);
    expect(message).toContain('fix: repair the JSON syntax');
    await expect(readSettings(dir)).rejects.toBeInstanceOf(KbError);
    expect(await readFile(kbPath(dir), 'utf8')).toBe(broken);
  });

  it('names a missing KB and how to create one', async () => {
    const dir = await temps.make();
    const error = (await readSettings(dir).catch((e: unknown) => e)) as KbError;
    expect(error).toBeInstanceOf(KbError);
    expect(error.problems[0]!.fix).toContain('goldloop init');
  });
});
