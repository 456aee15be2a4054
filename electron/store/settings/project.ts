import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixFor } from '../kb/messages.ts';
import type { ProjectSettings, SettingsPatch } from '../../contract/settings.ts';
import { ApiError } from '../../contract/errors.ts';
import { KbSchema, type Kb } from '../kb/schema.ts';
import { GOLDLOOP_DIR, kbPath, loadKb, parseKb, saveKb } from '../kb/kb-file.ts';

/**
 * A project's settings (electron/contract/settings.ts) as a view over its knowledge base: read from
 * it, and changed in it by a JSON merge patch applied to the file's own JSON, so every field the
 * view does not show — and every field Goldloop does not know — is written back as it was.
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

type Json = Record<string, unknown>;
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

const isEmpty = (patch: SettingsPatch): boolean =>
  Object.values(patch).every((section) => section === undefined || Object.keys(section).length === 0);

/** What the dashboard shows: the KB's values, with the schema's defaults for what it leaves out. */
export function settingsFromKb(kb: Kb): ProjectSettings {
  const ao = kb.autonomous_operation;
  const g = kb.gates;
  const commandGate = (gate: { enabled: boolean; command: string[]; timeout_minutes: number }) => ({
    enabled: gate.enabled,
    command: [...gate.command],
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
      ...(g.security ? { security: { ...commandGate(g.security), fail_on: g.security.fail_on } } : {}),
      ...(g.performance
        ? {
            performance: {
              ...commandGate(g.performance),
              thresholds: Object.fromEntries(
                Object.entries(g.performance.thresholds).map(([name, m]) => [
                  name,
                  { ...(m.min !== undefined ? { min: m.min } : {}), ...(m.max !== undefined ? { max: m.max } : {}) },
                ]),
              ),
            },
          }
        : {}),
      docs: { enabled: g.docs.enabled, files: [...g.docs.files], markers: [...g.docs.markers] },
      ...(g.build ? { build: commandGate(g.build) } : {}),
    },
    notifications: {
      notifications: ao.reporting.notifications,
      error_alert_immediate: ao.reporting.error_alert_immediate,
      progress_report_interval_hours: ao.reporting.progress_report_interval_hours,
      status_report_interval_hours: ao.reporting.status_report_interval_hours,
    },
  };
}

/**
 * The KB file as it is: its own JSON (written back with every field the view does not show) and
 * its validated form. A file that does not parse or validate throws the store's KbError, which
 * names the file, the line and column or JSON path, and the fix — and nothing is written.
 */
async function readKbFile(projectDir: string): Promise<{ raw: Json; kb: Kb; file: string }> {
  const file = kbPath(projectDir);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    // loadKb words a missing or unreadable file (and how to create one) the way every command does.
    await loadKb(projectDir);
    throw new Error(`cannot read ${file}`);
  }
  const kb = parseKb(text, file);
  return { raw: JSON.parse(text) as Json, kb, file };
}

/** Validates the KB a change would give; throws ApiError naming the settings field and the fix. */
function validateMerged(merged: unknown, patch: SettingsPatch, file: string): Kb {
  const result = KbSchema.safeParse(merged, { reportInput: true, error: fixFor });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      field: settingsField(issue.path),
      kbPath: issue.path.map(String).join('.'),
      fix: issue.message,
    }));
    const first = issues[0]!;
    const named = issues.filter((i): i is typeof i & { field: string } => i.field !== undefined);
    throw new ApiError({
      code: 'bad_request',
      message: first.field ? `updateSettings: ${first.field} is invalid` : `the change would make ${file} invalid at ${first.kbPath}`,
      ...(first.field ? { field: first.field } : {}),
      fix: first.fix,
      ...(named.length > 1 ? { issues: named.map(({ field, fix }) => ({ field, fix })) } : {}),
    });
  }
  const kb = result.data;
  // The schema lets `command` be absent for every type; the command agent cannot start without it.
  if (patch.agent && kb.agent?.type === 'command' && !kb.agent.command?.length) {
    throw new ApiError({
      code: 'bad_request',
      message: 'updateSettings: settings.agent.command is invalid',
      field: 'settings.agent.command',
      fix: 'the command agent needs a program: give its command line, e.g. my-agent --non-interactive',
    });
  }
  return kb;
}

/** The settings of a project; `pending` changes (not yet written) are shown as they will be. */
export async function readSettings(projectDir: string, pending: readonly SettingsPatch[] = []): Promise<ProjectSettings> {
  const { raw, kb, file } = await readKbFile(projectDir);
  if (!pending.length) return settingsFromKb(kb);
  const merged = pending.reduce<unknown>((at, p) => mergePatch(at, kbPatch(p)), raw);
  try {
    return settingsFromKb(validateMerged(merged, {}, file));
  } catch {
    return settingsFromKb(kb);
  }
}

/**
 * Checks a change against the KB as it is now (after `pending` ones), without writing: a bad value
 * is reported at once even when the write has to wait for the cycle to end. Returns the settings
 * the change gives. Throws ApiError (a bad value) or KbError (the file itself is broken).
 */
export async function checkSettings(
  projectDir: string,
  patch: SettingsPatch,
  pending: readonly SettingsPatch[] = [],
): Promise<ProjectSettings> {
  const { raw, file } = await readKbFile(projectDir);
  const before = pending.reduce<unknown>((at, p) => mergePatch(at, kbPatch(p)), raw);
  return settingsFromKb(validateMerged(mergePatch(before, kbPatch(patch)), patch, file));
}

/**
 * Writes a change into the KB: a read-modify-write of the file's current JSON (so edits made since
 * it was last read are kept), validated as a whole, saved atomically with the previous version in
 * `.goldloop/kb-backup.json`. Returns the settings as written.
 */
export async function writeSettings(projectDir: string, patch: SettingsPatch): Promise<ProjectSettings> {
  const { raw, kb, file } = await readKbFile(projectDir);
  if (isEmpty(patch)) return settingsFromKb(kb);
  const merged = mergePatch(raw, kbPatch(patch)) as Json;
  const next = validateMerged(merged, patch, file);
  // The file's own JSON, not the parsed KB: no defaults are written into it, unknown fields stay as they were.
  await saveKb(projectDir, merged as Kb);
  return settingsFromKb(next);
}

/** Settings saved while a cycle ran, kept on disk until written, so a crash or reboot loses none. */
export const PENDING_SETTINGS_FILE = join(GOLDLOOP_DIR, 'pending-settings.json');

/** Records the changes still waiting for their cycle to end (none: the file goes). */
export async function savePendingSettings(projectDir: string, pending: readonly SettingsPatch[]): Promise<void> {
  const file = join(projectDir, PENDING_SETTINGS_FILE);
  if (!pending.length) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(pending, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/**
 * Writes the changes a process that ended mid-cycle left waiting, in the order they were saved;
 * the file goes once they are in the KB. Returns what could not be written, in words: a change
 * the KB no longer accepts is dropped with its reason, never half-applied.
 */
export async function applyPendingSettings(projectDir: string): Promise<{ written: number; problems: string[] }> {
  const file = join(projectDir, PENDING_SETTINGS_FILE);
  let pending: unknown;
  try {
    pending = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { written: 0, problems: [] };
    await rename(file, `${file}.unreadable`).catch(() => {});
    return {
      written: 0,
      problems: [
        `${PENDING_SETTINGS_FILE} could not be read (${(error as Error).message}); it is kept as ${PENDING_SETTINGS_FILE}.unreadable`,
      ],
    };
  }
  const problems: string[] = [];
  let written = 0;
  for (const patch of Array.isArray(pending) ? pending : []) {
    try {
      await writeSettings(projectDir, patch as SettingsPatch);
      written += 1;
    } catch (error) {
      const body = error instanceof ApiError ? error.body : undefined;
      problems.push(
        `a settings change saved during a cycle was not written: ${body ? `${body.field ?? ''} ${body.fix ?? body.message}`.trim() : (error as Error).message}`,
      );
    }
  }
  await rm(file, { force: true });
  return { written, problems };
}
