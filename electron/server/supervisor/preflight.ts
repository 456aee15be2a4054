import { ApiError } from '../../contract/errors.ts';
import { preflightFailures, preflightLines, type Preflight } from '../../contract/preflight.ts';
import { preflight } from '../../engine/project/preflight.ts';
import { loadKb } from '../../store/kb/kb-file.ts';
import type { Entry } from './registry.ts';

/** What the preflight needs of the supervisor: whether it gives agents of its own, and where results are kept. */
export interface PreflightHost {
  readonly options: { readonly agentFor?: unknown };
  readonly preflights: Map<string, Preflight>;
}

/**
 * The project's preflight (engine/project/preflight.ts) with the agent its KB names — or none to
 * check when the supervisor was given a runner of its own (tests). Kept for the project's view; the
 * caller pushes a fresh status when the view is not on its way anyway.
 */
export async function checkPreflight(s: PreflightHost, entry: Entry): Promise<Preflight> {
  const kb = await loadKb(entry.path);
  const agent = s.options.agentFor ? 'given' : kb.agent ? { ...kb.agent } : undefined;
  const checked = await preflight({ projectDir: entry.path, kb, agent });
  s.preflights.set(entry.id, checked);
  return checked;
}

/** Refuses a start whose preflight fails: every failing check, each with its fix. The view shows the same list. */
export function refuseUnlessReady(checked: Preflight): void {
  if (checked.ok) return;
  const failing = preflightFailures(checked);
  throw new ApiError({
    code: 'preflight_failed',
    message: `${failing.length} preflight check${failing.length === 1 ? '' : 's'} failed; no cycle started:\n${preflightLines(checked, 'failing').join('\n')}`,
    fix: "fix each check listed (the project's page in the dashboard lists them, with a control per fix), then start again",
    field: 'preflight',
    issues: failing.map((c) => ({ field: `preflight.${c.gate ?? c.id}`, fix: c.fix ?? c.detail })),
  });
}

/** The message a run ends with when a settings change made its preflight fail between cycles. */
export function notReadyMessage(checked: Preflight): string | undefined {
  if (checked.ok) return undefined;
  const failing = preflightFailures(checked);
  return `the settings changed and the preflight now fails, so no further cycle starts: ${failing.map((c) => `${c.title}: ${c.detail}`).join('; ')}`;
}
