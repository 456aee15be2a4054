import type { ProjectSettings, SettingsPatch } from '../../contract/settings.ts';
import type { Kb } from '../kb/schema.ts';

/**
 * A project's settings (electron/contract/settings.ts) as a view over its knowledge base: where
 * each field lives in the KB, the view read from a KB, and a change to the view as a JSON merge
 * patch of the KB's own JSON (project.ts applies it to the file).
 */

/**
 * Where the view's fields live in the KB, most specific first. `agent` and the gates other than
 * the coverage threshold have the same shape in both, so a prefix maps them.
 */
const PLACES: [view: string[], kb: string[]][] = [
  [
    ['schedule', 'duration_minutes'],
    ['autonomous_operation', 'work_cycle', 'duration_minutes'],
  ],
  [
    ['schedule', 'break_between_cycles_minutes'],
    ['autonomous_operation', 'work_cycle', 'break_between_cycles_minutes'],
  ],
  [
    ['schedule', 'max_cycles_per_hour'],
    ['autonomous_operation', 'work_cycle', 'max_cycles_per_hour'],
  ],
  [
    ['schedule', 'max_iterations_per_day'],
    ['autonomous_operation', 'max_iterations_per_day'],
  ],
  [
    ['schedule', 'max_iterations_per_run'],
    ['autonomous_operation', 'max_iterations_per_run'],
  ],
  [
    ['schedule', 'max_consecutive_errors'],
    ['autonomous_operation', 'error_handling', 'max_consecutive_errors'],
  ],
  [
    ['schedule', 'retry_delay_minutes'],
    ['autonomous_operation', 'error_handling', 'retry_delay_minutes'],
  ],
  [
    ['gates', 'test_coverage_threshold'],
    ['autonomous_operation', 'quality_gates', 'test_coverage_threshold'],
  ],
  [
    ['notifications', 'notifications'],
    ['autonomous_operation', 'reporting', 'notifications'],
  ],
  [
    ['notifications', 'error_alert_immediate'],
    ['autonomous_operation', 'reporting', 'error_alert_immediate'],
  ],
  [
    ['notifications', 'progress_report_interval_hours'],
    ['autonomous_operation', 'reporting', 'progress_report_interval_hours'],
  ],
  [
    ['notifications', 'status_report_interval_hours'],
    ['autonomous_operation', 'reporting', 'status_report_interval_hours'],
  ],
  [['gates'], ['gates']],
  [['agent'], ['agent']],
];

const startsWith = (path: readonly PropertyKey[], prefix: readonly string[]): boolean => prefix.every((key, i) => path[i] === key);

/** The KB path of a view path (`schedule.duration_minutes` -> `autonomous_operation.work_cycle.duration_minutes`). */
function toKbPath(view: string[]): string[] {
  const [from, to] = PLACES.find(([v]) => startsWith(view, v))!;
  return [...to, ...view.slice(from.length)];
}

/** The view's field for a KB path, as the API names it (`settings.schedule.duration_minutes`); undefined outside the view. */
export function settingsField(kb: readonly PropertyKey[]): string | undefined {
  const place = PLACES.find(([, k]) => startsWith(kb, k));
  if (!place) return undefined;
  return ['settings', ...place[0], ...kb.slice(place[1].length).map(String)].join('.');
}

export type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396: objects merge, null removes, anything else (arrays too) replaces. Keys keep their order. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The settings patch as a merge patch of the KB. */
export function kbPatch(patch: SettingsPatch): Json {
  const out: Json = {};
  for (const [section, fields] of Object.entries(patch) as [string, Json | undefined][]) {
    for (const [field, value] of Object.entries(fields ?? {})) {
      if (value === undefined) continue;
      const path = toKbPath([section, field]);
      let at = out;
      for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Json;
      at[path.at(-1)!] = value;
    }
  }
  return out;
}

/** A patch that changes nothing. */
export const isEmptyPatch = (patch: SettingsPatch): boolean =>
  Object.values(patch).every((section) => section === undefined || Object.keys(section).length === 0);

/** What the dashboard shows: the KB's values, with the schema's defaults for what it leaves out. */
export function settingsFromKb(kb: Kb): ProjectSettings {
  const ao = kb.autonomous_operation;
  const g = kb.gates;
  // Only the mutation gate may go without a command, when it is switched off: the form shows an empty one.
  const commandGate = (gate: { enabled: boolean; command?: string[] | undefined; timeout_minutes: number }) => ({
    enabled: gate.enabled,
    command: [...(gate.command ?? [])],
    timeout_minutes: gate.timeout_minutes,
  });
  const budget = (b: { cost_usd?: number | undefined; tokens?: number | undefined } | undefined) =>
    b
      ? { ...(b.cost_usd !== undefined ? { cost_usd: b.cost_usd } : {}), ...(b.tokens !== undefined ? { tokens: b.tokens } : {}) }
      : undefined;
  const a = kb.agent;
  const perDay = budget(a?.budget?.per_day);
  const perRun = budget(a?.budget?.per_run);
  return {
    ...(a
      ? {
          agent: {
            type: a.type,
            ...(a.command ? { command: [...a.command] } : {}),
            ...(a.model !== undefined ? { model: a.model } : {}),
            ...(a.permission_mode !== undefined ? { permission_mode: a.permission_mode } : {}),
            ...(a.extra_args ? { extra_args: [...a.extra_args] } : {}),
            ...(a.executable !== undefined ? { executable: a.executable } : {}),
            ...(a.prompt_budget_chars !== undefined ? { prompt_budget_chars: a.prompt_budget_chars } : {}),
            ...(a.sandbox !== undefined ? { sandbox: a.sandbox } : {}),
            ...(perDay || perRun ? { budget: { ...(perDay ? { per_day: perDay } : {}), ...(perRun ? { per_run: perRun } : {}) } } : {}),
          },
        }
      : {}),
    schedule: {
      duration_minutes: ao.work_cycle.duration_minutes,
      break_between_cycles_minutes: ao.work_cycle.break_between_cycles_minutes,
      max_cycles_per_hour: ao.work_cycle.max_cycles_per_hour,
      max_iterations_per_day: ao.max_iterations_per_day,
      max_iterations_per_run: ao.max_iterations_per_run,
      max_consecutive_errors: ao.error_handling.max_consecutive_errors,
      retry_delay_minutes: ao.error_handling.retry_delay_minutes,
    },
    gates: {
      test_coverage_threshold: ao.quality_gates.test_coverage_threshold,
      ...(g.tests ? { tests: commandGate(g.tests) } : {}),
      ...(g.mutation ? { mutation: { ...commandGate(g.mutation), threshold: g.mutation.threshold } } : {}),
      ...(g.security ? { security: { ...commandGate(g.security), fail_on: g.security.fail_on } } : {}),
      ...(g.performance
        ? {
            performance: {
              ...commandGate(g.performance),
              thresholds: Object.fromEntries(
                Object.entries(g.performance.thresholds ?? {}).map(([name, m]) => [
                  name,
                  { ...(m.min !== undefined ? { min: m.min } : {}), ...(m.max !== undefined ? { max: m.max } : {}) },
                ]),
              ),
            },
          }
        : {}),
      docs: { enabled: g.docs.enabled, files: [...g.docs.files], markers: [...g.docs.markers] },
      ...(g.build ? { build: commandGate(g.build) } : {}),
      ...(g.holdout ? { holdout: { ...commandGate(g.holdout), dir: g.holdout.dir } } : {}),
    },
    notifications: {
      notifications: ao.reporting.notifications,
      error_alert_immediate: ao.reporting.error_alert_immediate,
      progress_report_interval_hours: ao.reporting.progress_report_interval_hours,
      status_report_interval_hours: ao.reporting.status_report_interval_hours,
    },
  };
}
