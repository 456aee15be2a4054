/**
 * Reading what earlier Goldloop versions wrote. Until 0.1 the run state (`.goldloop/state.json`)
 * and the history (`.goldloop/history.jsonl`) named some fields in camelCase (`breakReason`,
 * `durationMs`); every file Goldloop writes now uses snake_case, as the KB does. A file from before
 * is read by renaming its keys, so an upgrade neither loses a project's history nor its schedule.
 */

/** `breakReason` -> `break_reason`; a key already in snake_case stays as it is. */
export const snakeCase = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * The value with every object key in snake_case, at any depth, except below the keys named in
 * `keep`, whose keys are data (a task id, for instance) and stay as they were written.
 */
export function snakeCaseKeys(value: unknown, keep: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeCaseKeys(v, keep));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [snakeCase(key), keep.has(key) ? v : snakeCaseKeys(v, keep)]));
}
