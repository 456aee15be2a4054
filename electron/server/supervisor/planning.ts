import type { ApiResults } from '../../contract/api.ts';
import { fail } from '../../contract/errors.ts';
import { loadKb } from '../../store/kb/kb-file.ts';
import { lockHolder, LockedError } from '../../store/lock.ts';
import type { Entry } from './registry.ts';
import type { SupervisorState } from './state.ts';

/**
 * Starts a planning cycle with the KB's agent, like `goldloop init --plan`, and returns at once;
 * the outcome arrives as the project's `plan`. Refused while anything else uses the project.
 */
export async function planProject(s: SupervisorState, entry: Entry, docs: string[]): Promise<ApiResults['planProject']> {
  if (s.closed) return fail('conflict', 'the server is shutting down', 'plan again after the restart');
  if (s.driven.has(entry.id))
    return fail(
      'conflict',
      `${entry.path} is running`,
      'pause or stop the run first: planning and work cycles do not share the project',
      'project_id',
    );
  if (s.measuring.has(entry.id))
    return fail('conflict', 'the gates are being measured', 'plan when the measurement has finished', 'project_id');
  if (s.plans.isRunning(entry.id))
    return fail('conflict', 'a planning cycle is already running for this project', 'wait for it to end', 'project_id');
  const holder = await lockHolder(entry.path);
  if (holder) throw new LockedError(entry.path, holder);
  await loadKb(entry.path); // A broken KB is refused with its own message (file, JSON path, fix).
  await s.plans.start(entry.id, entry.path, () => s.agentFor(entry.path), docs);
  return { project: await s.view(entry) };
}
