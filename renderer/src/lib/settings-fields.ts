import type { SettingsDraft } from './settings-form.ts';

/**
 * The settings form's field keys: every input is named by the engine's field (`settings.gates.tests.command`),
 * so an engine error finds its input, and the input its element id.
 */

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
    'sandbox',
    'budget',
    'budget.per_day',
    'budget.per_run',
  ]);
  add('agent.budget', ['per_day.cost_usd', 'per_day.tokens', 'per_run.cost_usd', 'per_run.tokens']);
  add('schedule', Object.keys(draft.schedule));
  add('notifications', Object.keys(draft.notifications));
  add('gates', ['test_coverage_threshold', 'docs.enabled', 'docs.files', 'docs.markers']);
  for (const name of ['tests', 'mutation', 'security', 'performance', 'build'] as const) {
    if (draft.gates[name]) add(`gates.${name}`, ['enabled', 'command', 'timeout_minutes']);
  }
  add('gates.holdout', ['enabled', 'dir', 'command', 'timeout_minutes']);
  if (draft.gates.mutation) keys.push('settings.gates.mutation.threshold');
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
