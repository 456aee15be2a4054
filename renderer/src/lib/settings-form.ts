import type { AgentType, CommandGateSettings, ProjectSettings, SettingsPatch, SeverityLevel } from '../../../electron/contract/api.ts';
import { joinCommandLine, splitCommandLine } from '../../../electron/contract/command-line.ts';

/**
 * The settings form's own model: what the inputs hold (text for command lines and lists, numbers
 * or null for number boxes), made from the engine's settings and turned back into the smallest
 * patch that says what the user changed. Pure, so it is tested without a browser.
 */

export type Num = number | null;

export interface CommandGateDraft {
  enabled: boolean;
  /** argv as one line, split like a shell would (without one). */
  command: string;
  timeout_minutes: Num;
}

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
    security?: CommandGateDraft & { fail_on: SeverityLevel };
    performance?: CommandGateDraft & { thresholds: MetricDraft[] };
    /** Files and markers one per line. */
    docs: { enabled: boolean; files: string; markers: string };
    build?: CommandGateDraft;
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

const gateDraft = (g: CommandGateSettings): CommandGateDraft => ({
  enabled: g.enabled,
  command: joinCommandLine(g.command),
  timeout_minutes: g.timeout_minutes,
});

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
      budget: {
        per_day: { cost_usd: a?.budget?.per_day?.cost_usd ?? null, tokens: a?.budget?.per_day?.tokens ?? null },
        per_run: { cost_usd: a?.budget?.per_run?.cost_usd ?? null, tokens: a?.budget?.per_run?.tokens ?? null },
      },
    },
    schedule: { ...s.schedule },
    gates: {
      test_coverage_threshold: g.test_coverage_threshold,
      ...(g.tests ? { tests: gateDraft(g.tests) } : {}),
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
    },
    notifications: { ...s.notifications },
  };
}

/** Field keys are the engine's error fields: `settings.schedule.duration_minutes`. */
export type FieldErrors = Record<string, string>;

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The smallest patch for what changed, or the errors that stop it being sent. */
export function toPatch(original: ProjectSettings, draft: SettingsDraft): { patch: SettingsPatch; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const patch: SettingsPatch = {};

  /** A command line as argv; an unterminated quote is the user's to fix before anything is sent. */
  const argv = (key: string, line: string): string[] | undefined => {
    try {
      return splitCommandLine(line);
    } catch {
      errors[key] = 'close the quote: an argument that starts with a quote must end with the same quote';
      return undefined;
    }
  };
  /** A number box that must hold a number. */
  const required = (key: string, value: Num): value is number => {
    if (isNum(value)) return true;
    errors[key] = 'give a number';
    return false;
  };

  // Schedule and notifications: numbers (and two switches) that always exist.
  const schedule: NonNullable<SettingsPatch['schedule']> = {};
  for (const [name, value] of Object.entries(draft.schedule) as [keyof SettingsDraft['schedule'], Num][]) {
    if (value !== original.schedule[name] && required(`settings.schedule.${name}`, value)) schedule[name] = value;
  }
  if (Object.keys(schedule).length) patch.schedule = schedule;

  const notifications: NonNullable<SettingsPatch['notifications']> = {};
  const n = draft.notifications;
  if (n.notifications !== original.notifications.notifications) notifications.notifications = n.notifications;
  if (n.error_alert_immediate !== original.notifications.error_alert_immediate)
    notifications.error_alert_immediate = n.error_alert_immediate;
  for (const name of ['progress_report_interval_hours', 'status_report_interval_hours'] as const) {
    if (n[name] !== original.notifications[name] && required(`settings.notifications.${name}`, n[name])) notifications[name] = n[name];
  }
  if (Object.keys(notifications).length) patch.notifications = notifications;

  // The agent: optional fields are removed (null) when emptied.
  const a = draft.agent;
  const o = original.agent;
  const agent: NonNullable<SettingsPatch['agent']> = {};
  if (a.type !== (o?.type ?? 'command')) agent.type = a.type;
  const text = (name: 'model' | 'permission_mode' | 'executable'): void => {
    const value = a[name].trim();
    if (value !== (o?.[name] ?? '')) agent[name] = value === '' ? null : value;
  };
  text('model');
  text('permission_mode');
  text('executable');
  const command = argv('settings.agent.command', a.command);
  if (command && !same(command, o?.command ?? [])) agent.command = command.length ? command : null;
  const extra = argv('settings.agent.extra_args', a.extra_args);
  if (extra && !same(extra, o?.extra_args ?? [])) agent.extra_args = extra.length ? extra : null;
  if (a.prompt_budget_chars !== (o?.prompt_budget_chars ?? null))
    agent.prompt_budget_chars = isNum(a.prompt_budget_chars) ? a.prompt_budget_chars : null;
  const budget: NonNullable<NonNullable<SettingsPatch['agent']>['budget']> = {};
  for (const period of ['per_day', 'per_run'] as const) {
    const now = a.budget[period];
    const was = o?.budget?.[period];
    if (now.cost_usd === (was?.cost_usd ?? null) && now.tokens === (was?.tokens ?? null)) continue;
    budget[period] = now.cost_usd === null && now.tokens === null ? null : { cost_usd: now.cost_usd, tokens: now.tokens };
  }
  if (Object.keys(budget).length) {
    const cleared = (p: 'per_day' | 'per_run'): boolean => (p in budget ? budget[p] === null : !o?.budget?.[p]);
    agent.budget = cleared('per_day') && cleared('per_run') ? null : budget;
  }
  if (Object.keys(agent).length) {
    // A KB without an agent section gets one with its type said out loud.
    patch.agent = o ? agent : { type: a.type, ...agent };
  }

  // Gates: only those the KB configures are in the form.
  const gates: NonNullable<SettingsPatch['gates']> = {};
  const g = draft.gates;
  if (
    g.test_coverage_threshold !== original.gates.test_coverage_threshold &&
    required('settings.gates.test_coverage_threshold', g.test_coverage_threshold)
  ) {
    gates.test_coverage_threshold = g.test_coverage_threshold;
  }
  const commandGate = (
    name: 'tests' | 'security' | 'performance' | 'build',
    d: CommandGateDraft,
    was: CommandGateSettings,
  ): Partial<CommandGateSettings> => {
    const out: Partial<CommandGateSettings> = {};
    if (d.enabled !== was.enabled) out.enabled = d.enabled;
    const cmd = argv(`settings.gates.${name}.command`, d.command);
    if (cmd && !same(cmd, was.command)) out.command = cmd;
    if (d.timeout_minutes !== was.timeout_minutes && required(`settings.gates.${name}.timeout_minutes`, d.timeout_minutes))
      out.timeout_minutes = d.timeout_minutes;
    return out;
  };
  const og = original.gates;
  if (g.tests && og.tests) {
    const t = commandGate('tests', g.tests, og.tests);
    if (Object.keys(t).length) gates.tests = t;
  }
  if (g.build && og.build) {
    const b = commandGate('build', g.build, og.build);
    if (Object.keys(b).length) gates.build = b;
  }
  if (g.security && og.security) {
    const s: NonNullable<typeof gates.security> = commandGate('security', g.security, og.security);
    if (g.security.fail_on !== og.security.fail_on) s.fail_on = g.security.fail_on;
    if (Object.keys(s).length) gates.security = s;
  }
  if (g.performance && og.performance) {
    const p: NonNullable<typeof gates.performance> = commandGate('performance', g.performance, og.performance);
    const thresholds: Record<string, { min: number | null; max: number | null } | null> = {};
    const seen = new Set<string>();
    for (const row of g.performance.thresholds) {
      const name = row.name.trim();
      const key = `settings.gates.performance.thresholds.${name}`;
      if (!name) {
        errors[`settings.gates.performance.thresholds.#${row.id}`] =
          'give the metric a name (as the benchmark prints it), or remove the row';
        continue;
      }
      if (seen.has(name)) {
        errors[key] = `"${name}" is listed twice: keep one row per metric`;
        continue;
      }
      seen.add(name);
      const was = og.performance.thresholds[name];
      if (!was || (was.min ?? null) !== row.min || (was.max ?? null) !== row.max) thresholds[name] = { min: row.min, max: row.max };
    }
    for (const name of Object.keys(og.performance.thresholds)) if (!seen.has(name)) thresholds[name] = null;
    if (Object.keys(thresholds).length) p.thresholds = thresholds;
    if (Object.keys(p).length) gates.performance = p;
  }
  const docs: NonNullable<typeof gates.docs> = {};
  if (g.docs.enabled !== og.docs.enabled) docs.enabled = g.docs.enabled;
  if (!same(lines(g.docs.files), og.docs.files)) docs.files = lines(g.docs.files);
  if (!same(lines(g.docs.markers), og.docs.markers)) docs.markers = lines(g.docs.markers);
  if (Object.keys(docs).length) gates.docs = docs;
  if (Object.keys(gates).length) patch.gates = gates;

  return { patch, errors };
}

export const isEmptyPatch = (patch: SettingsPatch): boolean => Object.keys(patch).length === 0;

/**
 * Which input shows an engine error: the one whose key is the longest prefix of the error's
 * field (`settings.gates.tests.command.0` -> the tests command box). Undefined: no input claims
 * it, so the form shows it at the top.
 */
export function claimField(field: string, keys: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    if ((field === key || field.startsWith(`${key}.`)) && (!best || key.length > best.length)) best = key;
  }
  return best;
}

/** Every input's key (and the groups that show errors of their own), for `claimField`. */
export function formKeys(draft: SettingsDraft): string[] {
  const keys: string[] = [];
  const add = (prefix: string, names: readonly string[]): void => {
    for (const n of names) keys.push(`settings.${prefix}.${n}`);
  };
  add('agent', [
    'type',
    'command',
    'model',
    'permission_mode',
    'extra_args',
    'executable',
    'prompt_budget_chars',
    'budget',
    'budget.per_day',
    'budget.per_run',
  ]);
  add('agent.budget', ['per_day.cost_usd', 'per_day.tokens', 'per_run.cost_usd', 'per_run.tokens']);
  add('schedule', Object.keys(draft.schedule));
  add('notifications', Object.keys(draft.notifications));
  add('gates', ['test_coverage_threshold', 'docs.enabled', 'docs.files', 'docs.markers']);
  for (const name of ['tests', 'security', 'performance', 'build'] as const) {
    if (draft.gates[name]) add(`gates.${name}`, ['enabled', 'command', 'timeout_minutes']);
  }
  if (draft.gates.security) keys.push('settings.gates.security.fail_on');
  for (const row of draft.gates.performance?.thresholds ?? []) {
    keys.push(`settings.gates.performance.thresholds.${row.name.trim()}`, `settings.gates.performance.thresholds.#${row.id}`);
  }
  if (draft.gates.performance) keys.push('settings.gates.performance.thresholds');
  return keys;
}

/** An element id for a field key (`settings.schedule.duration_minutes` -> `setting-schedule-duration_minutes`). */
export const fieldId = (key: string): string => `setting-${key.replace(/^settings\./, '').replace(/[^\w-]+/g, '-')}`;

/** What an input needs to be labelled and described: SettingField hands it to the input it wraps. */
export interface InputAttrs {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
}
