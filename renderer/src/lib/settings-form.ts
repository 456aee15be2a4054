import type { AgentType, ProjectSettings, SettingsPatch, SeverityLevel } from '../../../electron/contract/api.ts';
import type { SandboxMode } from '../../../electron/contract/sandbox.ts';
import { joinCommandLine } from '../../../electron/contract/command-line.ts';
import { holdoutDraft, holdoutPatch, type HoldoutDraft } from './holdout.ts';
import {
  changed,
  commandGatePatch,
  FieldChecks,
  gateDraft,
  isNum,
  lines,
  same,
  type CommandGateDraft,
  type FieldErrors,
  type Num,
} from './settings-checks.ts';

export type { CommandGateDraft, FieldErrors, Num } from './settings-checks.ts';
export type { HoldoutDraft } from './holdout.ts';

/**
 * The settings form's own model: what the inputs hold (text for command lines and lists, numbers
 * or null for number boxes), made from the engine's settings and turned back into the smallest
 * patch that says what the user changed. Pure, so it is tested without a browser.
 */

export interface MetricDraft {
  /** Stable per row, for the list's keys and input ids. */
  id: number;
  name: string;
  min: Num;
  max: Num;
}

export interface SettingsDraft {
  agent: {
    type: AgentType;
    command: string;
    model: string;
    permission_mode: string;
    extra_args: string;
    executable: string;
    prompt_budget_chars: Num;
    sandbox: SandboxMode;
    budget: { per_day: { cost_usd: Num; tokens: Num }; per_run: { cost_usd: Num; tokens: Num } };
  };
  schedule: {
    duration_minutes: Num;
    break_between_cycles_minutes: Num;
    max_cycles_per_hour: Num;
    max_iterations_per_day: Num;
    max_iterations_per_run: Num;
    max_consecutive_errors: Num;
    retry_delay_minutes: Num;
  };
  gates: {
    test_coverage_threshold: Num;
    tests?: CommandGateDraft;
    mutation?: CommandGateDraft & { threshold: Num };
    security?: CommandGateDraft & { fail_on: SeverityLevel };
    performance?: CommandGateDraft & { thresholds: MetricDraft[] };
    /** Files and markers one per line. */
    docs: { enabled: boolean; files: string; markers: string };
    build?: CommandGateDraft;
    /** Always in the form: empty until the user sets a folder and a command (`holdout.ts`). */
    holdout: HoldoutDraft;
  };
  notifications: {
    notifications: boolean;
    error_alert_immediate: boolean;
    progress_report_interval_hours: Num;
    status_report_interval_hours: Num;
  };
}

let nextMetric = 1;
export const newMetric = (name = ''): MetricDraft => ({ id: nextMetric++, name, min: null, max: null });

export function toDraft(s: ProjectSettings): SettingsDraft {
  const a = s.agent;
  const g = s.gates;
  return {
    agent: {
      type: a?.type ?? 'command',
      command: a?.command ? joinCommandLine(a.command) : '',
      model: a?.model ?? '',
      permission_mode: a?.permission_mode ?? '',
      extra_args: a?.extra_args ? joinCommandLine(a.extra_args) : '',
      executable: a?.executable ?? '',
      prompt_budget_chars: a?.prompt_budget_chars ?? null,
      sandbox: a?.sandbox ?? 'auto',
      budget: {
        per_day: { cost_usd: a?.budget?.per_day?.cost_usd ?? null, tokens: a?.budget?.per_day?.tokens ?? null },
        per_run: { cost_usd: a?.budget?.per_run?.cost_usd ?? null, tokens: a?.budget?.per_run?.tokens ?? null },
      },
    },
    schedule: { ...s.schedule },
    gates: {
      test_coverage_threshold: g.test_coverage_threshold,
      ...(g.tests ? { tests: gateDraft(g.tests) } : {}),
      ...(g.mutation ? { mutation: { ...gateDraft(g.mutation), threshold: g.mutation.threshold } } : {}),
      ...(g.security ? { security: { ...gateDraft(g.security), fail_on: g.security.fail_on } } : {}),
      ...(g.performance
        ? {
            performance: {
              ...gateDraft(g.performance),
              thresholds: Object.entries(g.performance.thresholds).map(([name, m]) => ({
                ...newMetric(name),
                min: m.min ?? null,
                max: m.max ?? null,
              })),
            },
          }
        : {}),
      docs: { enabled: g.docs.enabled, files: g.docs.files.join('\n'), markers: g.docs.markers.join('\n') },
      ...(g.build ? { build: gateDraft(g.build) } : {}),
      holdout: holdoutDraft(g.holdout),
    },
    notifications: { ...s.notifications },
  };
}

type AgentPatch = NonNullable<SettingsPatch['agent']>;
type GatesPatch = NonNullable<SettingsPatch['gates']>;
/** The smallest patch for what changed, or the errors that stop it being sent. */
export function toPatch(original: ProjectSettings, draft: SettingsDraft): { patch: SettingsPatch; errors: FieldErrors } {
  const check = new FieldChecks();
  const schedule = schedulePatch(original.schedule, draft.schedule, check);
  const notifications = notificationsPatch(original.notifications, draft.notifications, check);
  const agent = agentPatch(original.agent, draft.agent, check);
  const gates = gatesPatch(original.gates, draft.gates, check);
  const patch: SettingsPatch = {
    ...(schedule ? { schedule } : {}),
    ...(notifications ? { notifications } : {}),
    ...(agent ? { agent } : {}),
    ...(gates ? { gates } : {}),
  };
  return { patch, errors: check.errors };
}

/** Numbers that always exist. */
function schedulePatch(
  was: ProjectSettings['schedule'],
  draft: SettingsDraft['schedule'],
  check: FieldChecks,
): SettingsPatch['schedule'] | undefined {
  const schedule: NonNullable<SettingsPatch['schedule']> = {};
  for (const [name, value] of Object.entries(draft) as [keyof SettingsDraft['schedule'], Num][]) {
    if (value !== was[name] && check.required(`settings.schedule.${name}`, value)) schedule[name] = value;
  }
  return changed(schedule);
}

/** Two switches and two numbers, all of which always exist. */
function notificationsPatch(
  was: ProjectSettings['notifications'],
  n: SettingsDraft['notifications'],
  check: FieldChecks,
): SettingsPatch['notifications'] | undefined {
  const notifications: NonNullable<SettingsPatch['notifications']> = {};
  if (n.notifications !== was.notifications) notifications.notifications = n.notifications;
  if (n.error_alert_immediate !== was.error_alert_immediate) notifications.error_alert_immediate = n.error_alert_immediate;
  for (const name of ['progress_report_interval_hours', 'status_report_interval_hours'] as const) {
    if (n[name] !== was[name] && check.required(`settings.notifications.${name}`, n[name])) notifications[name] = n[name];
  }
  return changed(notifications);
}

/** The agent: optional fields are removed (null) when emptied. */
function agentPatch(o: ProjectSettings['agent'], a: SettingsDraft['agent'], check: FieldChecks): AgentPatch | undefined {
  const agent: AgentPatch = {};
  if (a.type !== (o?.type ?? 'command')) agent.type = a.type;
  for (const name of ['model', 'permission_mode', 'executable'] as const) {
    const value = a[name].trim();
    if (value !== (o?.[name] ?? '')) agent[name] = value === '' ? null : value;
  }
  const command = check.argv('settings.agent.command', a.command);
  if (command && !same(command, o?.command ?? [])) agent.command = command.length ? command : null;
  const extra = check.argv('settings.agent.extra_args', a.extra_args);
  if (extra && !same(extra, o?.extra_args ?? [])) agent.extra_args = extra.length ? extra : null;
  if (a.prompt_budget_chars !== (o?.prompt_budget_chars ?? null))
    agent.prompt_budget_chars = isNum(a.prompt_budget_chars) ? a.prompt_budget_chars : null;
  // `auto` is the default: choosing it again removes the field.
  if (a.sandbox !== (o?.sandbox ?? 'auto')) agent.sandbox = a.sandbox === 'auto' ? null : a.sandbox;
  const budget = budgetPatch(o?.budget, a.budget);
  if (budget !== undefined) agent.budget = budget;
  if (!changed(agent)) return undefined;
  // A KB without an agent section gets one with its type said out loud.
  return o ? agent : { type: a.type, ...agent };
}

/** Each period's limits; a period emptied is removed, and a budget with no period left is removed whole. */
function budgetPatch(
  was: NonNullable<ProjectSettings['agent']>['budget'],
  now: SettingsDraft['agent']['budget'],
): AgentPatch['budget'] | undefined {
  const budget: NonNullable<AgentPatch['budget']> = {};
  for (const period of ['per_day', 'per_run'] as const) {
    const limits = now[period];
    const before = was?.[period];
    if (limits.cost_usd === (before?.cost_usd ?? null) && limits.tokens === (before?.tokens ?? null)) continue;
    budget[period] = limits.cost_usd === null && limits.tokens === null ? null : { cost_usd: limits.cost_usd, tokens: limits.tokens };
  }
  if (!changed(budget)) return undefined;
  const cleared = (p: 'per_day' | 'per_run'): boolean => (p in budget ? budget[p] === null : !was?.[p]);
  return cleared('per_day') && cleared('per_run') ? null : budget;
}

/** Gates: only those the KB configures are in the form. */
function gatesPatch(og: ProjectSettings['gates'], g: SettingsDraft['gates'], check: FieldChecks): GatesPatch | undefined {
  const gates: GatesPatch = {};
  if (
    g.test_coverage_threshold !== og.test_coverage_threshold &&
    check.required('settings.gates.test_coverage_threshold', g.test_coverage_threshold)
  ) {
    gates.test_coverage_threshold = g.test_coverage_threshold;
  }
  if (g.tests && og.tests) {
    const tests = changed(commandGatePatch('tests', g.tests, og.tests, check));
    if (tests) gates.tests = tests;
  }
  if (g.build && og.build) {
    const build = changed(commandGatePatch('build', g.build, og.build, check));
    if (build) gates.build = build;
  }
  if (g.mutation && og.mutation) {
    const mutation: NonNullable<GatesPatch['mutation']> = commandGatePatch('mutation', g.mutation, og.mutation, check);
    const t = g.mutation.threshold;
    if (t !== og.mutation.threshold && check.required('settings.gates.mutation.threshold', t)) mutation.threshold = t;
    if (changed(mutation)) gates.mutation = mutation;
  }
  if (g.security && og.security) {
    const security: NonNullable<GatesPatch['security']> = commandGatePatch('security', g.security, og.security, check);
    if (g.security.fail_on !== og.security.fail_on) security.fail_on = g.security.fail_on;
    if (changed(security)) gates.security = security;
  }
  if (g.performance && og.performance) {
    const performance = performancePatch(g.performance, og.performance, check);
    if (performance) gates.performance = performance;
  }
  const docs = docsPatch(og.docs, g.docs);
  if (docs) gates.docs = docs;
  const holdout = holdoutPatch(og.holdout, g.holdout, check);
  if (holdout !== undefined) gates.holdout = holdout;
  return changed(gates);
}

/** A command gate plus its metric rows: a row renamed or removed clears the old metric (null). */
function performancePatch(
  d: NonNullable<SettingsDraft['gates']['performance']>,
  was: NonNullable<ProjectSettings['gates']['performance']>,
  check: FieldChecks,
): GatesPatch['performance'] | undefined {
  const p: NonNullable<GatesPatch['performance']> = commandGatePatch('performance', d, was, check);
  const thresholds: Record<string, { min: number | null; max: number | null } | null> = {};
  const seen = new Set<string>();
  for (const row of d.thresholds) {
    const name = row.name.trim();
    const key = `settings.gates.performance.thresholds.${name}`;
    if (!name) {
      check.fail(
        `settings.gates.performance.thresholds.#${row.id}`,
        'give the metric a name (as the benchmark prints it), or remove the row',
      );
      continue;
    }
    if (seen.has(name)) {
      check.fail(key, `"${name}" is listed twice: keep one row per metric`);
      continue;
    }
    seen.add(name);
    const before = was.thresholds[name];
    if (!before || (before.min ?? null) !== row.min || (before.max ?? null) !== row.max) thresholds[name] = { min: row.min, max: row.max };
  }
  for (const name of Object.keys(was.thresholds)) if (!seen.has(name)) thresholds[name] = null;
  if (Object.keys(thresholds).length) p.thresholds = thresholds;
  return changed(p);
}

/** Files and markers compare as the lists they are, not as the text boxes' whitespace. */
function docsPatch(was: ProjectSettings['gates']['docs'], d: SettingsDraft['gates']['docs']): GatesPatch['docs'] | undefined {
  const docs: NonNullable<GatesPatch['docs']> = {};
  if (d.enabled !== was.enabled) docs.enabled = d.enabled;
  if (!same(lines(d.files), was.files)) docs.files = lines(d.files);
  if (!same(lines(d.markers), was.markers)) docs.markers = lines(d.markers);
  return changed(docs);
}

export const isEmptyPatch = (patch: SettingsPatch): boolean => Object.keys(patch).length === 0;
