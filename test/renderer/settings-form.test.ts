import { describe, expect, it } from 'vitest';
import { joinCommandLine, splitCommandLine } from '../../electron/contract/command-line.ts';
import type { ProjectSettings } from '../../electron/contract/settings.ts';
import { claimField, formKeys } from '../../renderer/src/lib/settings-fields.ts';
import { isEmptyPatch, newMetric, toDraft, toPatch } from '../../renderer/src/lib/settings-form.ts';

const SETTINGS: ProjectSettings = {
  agent: { type: 'claude-code', model: 'opus', budget: { per_day: { cost_usd: 5 } } },
  schedule: {
    duration_minutes: 15,
    break_between_cycles_minutes: 5,
    max_cycles_per_hour: 3,
    max_iterations_per_day: 100,
    max_iterations_per_run: 1000,
    max_consecutive_errors: 3,
    retry_delay_minutes: 30,
  },
  gates: {
    test_coverage_threshold: 80,
    tests: {
      enabled: true,
      command: ['node', '--test', '--test-reporter-destination={reports}/junit.xml', 'test/a b.js'],
      timeout_minutes: 10,
    },
    performance: {
      enabled: true,
      command: ['node', 'bench.js'],
      timeout_minutes: 1,
      thresholds: { p95_ms: { max: 200 }, rps: { min: 100 } },
    },
    docs: { enabled: true, files: ['README.md'], markers: ['TODO', 'lorem ipsum'] },
  },
  notifications: { notifications: true, error_alert_immediate: true, progress_report_interval_hours: 2, status_report_interval_hours: 6 },
};

describe('the mutation gate in the settings form', () => {
  const withMutation: ProjectSettings = {
    ...SETTINGS,
    gates: {
      ...SETTINGS.gates,
      mutation: { enabled: true, command: ['npx', 'stryker', 'run', '{reports}/stryker.config.json'], timeout_minutes: 30, threshold: 60 },
    },
  };

  it('sends a changed threshold, and asks for a number when the box is emptied', () => {
    const draft = toDraft(withMutation);
    draft.gates.mutation!.threshold = 75;
    draft.gates.mutation!.enabled = false;
    expect(toPatch(withMutation, draft).patch).toEqual({ gates: { mutation: { enabled: false, threshold: 75 } } });
    draft.gates.mutation!.threshold = null;
    expect(toPatch(withMutation, draft).errors).toEqual({ 'settings.gates.mutation.threshold': 'give a number' });
    expect(formKeys(draft)).toContain('settings.gates.mutation.threshold');
  });
});

describe('the held-out tests in the settings form', () => {
  const KEY = 'settings.gates.holdout';
  const holdout = { enabled: true, command: ['npx', 'vitest', 'run', '--dir', '{holdout}'], timeout_minutes: 10, dir: '/srv/acceptance' };
  const withHoldout: ProjectSettings = { ...SETTINGS, gates: { ...SETTINGS.gates, holdout } };

  it('are empty until a folder and a command are given, which adds them', () => {
    const draft = toDraft(SETTINGS);
    expect(draft.gates.holdout).toEqual({ enabled: true, command: '', timeout_minutes: null, dir: '' });
    expect(isEmptyPatch(toPatch(SETTINGS, draft).patch)).toBe(true);
    draft.gates.holdout.dir = ' /srv/acceptance ';
    draft.gates.holdout.command = 'npx vitest run --dir {holdout}';
    expect(toPatch(SETTINGS, draft)).toEqual({
      patch: { gates: { holdout: { dir: '/srv/acceptance', command: holdout.command } } },
      errors: {},
    });
    expect(formKeys(draft)).toEqual(expect.arrayContaining([`${KEY}.dir`, `${KEY}.command`, `${KEY}.enabled`, `${KEY}.timeout_minutes`]));
    expect(claimField(`${KEY}.dir`, formKeys(draft))).toBe(`${KEY}.dir`);
  });

  it('ask for the part that is missing before anything is sent', () => {
    const draft = toDraft(SETTINGS);
    draft.gates.holdout.dir = '/srv/acceptance';
    expect(toPatch(SETTINGS, draft).errors).toEqual({ [`${KEY}.command`]: expect.stringContaining('{holdout} where the folder goes') });
    draft.gates.holdout = { ...draft.gates.holdout, dir: '', command: 'pytest {holdout}' };
    expect(toPatch(SETTINGS, draft).errors).toEqual({ [`${KEY}.dir`]: expect.stringContaining('absolute path outside the project') });
  });

  it('send what changed, and remove them when both the folder and the command are emptied', () => {
    const draft = toDraft(withHoldout);
    expect(draft.gates.holdout.command).toBe('npx vitest run --dir {holdout}');
    expect(isEmptyPatch(toPatch(withHoldout, draft).patch)).toBe(true);
    draft.gates.holdout.dir = '/srv/other';
    draft.gates.holdout.enabled = false;
    expect(toPatch(withHoldout, draft).patch).toEqual({ gates: { holdout: { enabled: false, dir: '/srv/other' } } });
    draft.gates.holdout = { ...draft.gates.holdout, dir: '', command: ' ' };
    expect(toPatch(withHoldout, draft).patch).toEqual({ gates: { holdout: null } });
  });
});

describe('the settings form', () => {
  it('sends nothing when nothing changed: command lines and lists round-trip through their text', () => {
    const draft = toDraft(SETTINGS);
    expect(draft.gates.tests!.command).toBe('node --test --test-reporter-destination={reports}/junit.xml "test/a b.js"');
    expect(isEmptyPatch(toPatch(SETTINGS, draft).patch)).toBe(true);
  });

  it('sends only what changed', () => {
    const draft = toDraft(SETTINGS);
    draft.schedule.duration_minutes = 20;
    draft.gates.test_coverage_threshold = 90;
    draft.gates.tests!.command = 'npx vitest run --coverage';
    draft.gates.docs.markers = 'TODO\n\n  FIXME  \n';
    draft.notifications.notifications = false;
    expect(toPatch(SETTINGS, draft)).toEqual({
      patch: {
        schedule: { duration_minutes: 20 },
        gates: {
          test_coverage_threshold: 90,
          tests: { command: ['npx', 'vitest', 'run', '--coverage'] },
          docs: { markers: ['TODO', 'FIXME'] },
        },
        notifications: { notifications: false },
      },
      errors: {},
    });
  });

  it('removes what the user emptied: a model, a day budget, a metric', () => {
    const draft = toDraft(SETTINGS);
    draft.agent.model = '  ';
    draft.agent.budget.per_day.cost_usd = null;
    draft.gates.performance!.thresholds = draft.gates.performance!.thresholds.filter((m) => m.name !== 'rps');
    draft.gates.performance!.thresholds.push({ ...newMetric('startup_ms'), max: 300 });
    expect(toPatch(SETTINGS, draft).patch).toEqual({
      agent: { model: null, budget: null },
      gates: { performance: { thresholds: { startup_ms: { min: null, max: 300 }, rps: null } } },
    });
  });

  it('stops at what it can tell itself: an empty number box, an unclosed quote, a metric listed twice', () => {
    const draft = toDraft(SETTINGS);
    draft.schedule.retry_delay_minutes = null;
    draft.gates.tests!.command = 'node "unclosed';
    draft.gates.performance!.thresholds.push({ ...newMetric('p95_ms'), max: 1 });
    const { errors } = toPatch(SETTINGS, draft);
    expect(errors).toEqual({
      'settings.schedule.retry_delay_minutes': 'give a number',
      'settings.gates.tests.command': expect.stringContaining('close the quote'),
      'settings.gates.performance.thresholds.p95_ms': expect.stringContaining('listed twice'),
    });
  });

  it('gives a KB without an agent section one, with its type', () => {
    const none: ProjectSettings = { ...SETTINGS, agent: undefined };
    const draft = toDraft(none);
    draft.agent.command = 'my-agent --yes';
    expect(toPatch(none, draft).patch).toEqual({ agent: { type: 'command', command: ['my-agent', '--yes'] } });
  });

  it('shows an engine error at the input whose key is the longest prefix of its field', () => {
    const keys = formKeys(toDraft(SETTINGS));
    expect(claimField('settings.gates.tests.command.0', keys)).toBe('settings.gates.tests.command');
    expect(claimField('settings.agent.budget.per_day', keys)).toBe('settings.agent.budget.per_day');
    expect(claimField('settings.gates.performance.thresholds.p95_ms', keys)).toBe('settings.gates.performance.thresholds.p95_ms');
    expect(claimField('projectId', keys)).toBeUndefined();
  });

  it('joins argv into a line that splits back into the same argv', () => {
    for (const argv of [['node', 'a b.js', "it's", '', '$HOME', 'x"y', '{reports}/j.xml', 'a\\b', "await import('./x.js')", "it's $5"]]) {
      expect(splitCommandLine(joinCommandLine(argv))).toEqual(argv);
    }
    expect(joinCommandLine(['node', '-e', "await import('./x.js')"])).toBe(`node -e "await import('./x.js')"`);
  });
});
