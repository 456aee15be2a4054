import type { ProjectView } from '../../../electron/contract/api.ts';

/** The gates (and the test command) the project's preflight found neither configured nor switched off: each offers both fixes in place. */
export function unconfiguredGates(project: ProjectView): string[] {
  return (project.preflight?.checks ?? []).flatMap((c) => (!c.ok && c.action?.kind === 'gate' ? [c.action.gate] : []));
}
