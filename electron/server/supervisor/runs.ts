import { basename } from 'node:path';
import type { ProjectView } from '../../contract/status.ts';
import { fail } from '../../contract/errors.ts';
import { ProjectLoop } from '../../engine/loop/project-loop.ts';
import { projectStatus } from '../../engine/project/status.ts';
import { lockHolder, LockedError } from '../../store/lock.ts';
import { loadRunState, saveRunState } from '../../store/run-state.ts';
import { agentEachCycle } from './agent.ts';
import { checkPreflight, notReadyMessage, refuseUnlessReady } from './preflight.ts';
import type { Entry } from './registry.ts';
import type { SupervisorState } from './state.ts';
import { toApiEvent } from './views.ts';

/**
 * Starts (or resumes) a project's loop in this process and returns once the run has begun, so the
 * caller's next status already shows it. Refused while anything else uses the project.
 */
export async function startRun(s: SupervisorState, entry: Entry, how: 'start' | 'resume'): Promise<ProjectView> {
  if (s.closed) return fail('conflict', 'the server is shutting down', 'start it again after the restart');
  if (s.driven.has(entry.id)) return fail('conflict', `${entry.path} is already running`, 'pause or stop it first', 'project_id');
  if (s.measuring.has(entry.id))
    return fail('conflict', 'the gates are being measured', 'start again when the measurement has finished', 'project_id');
  if (s.plans.isRunning(entry.id))
    return fail('conflict', 'a planning cycle is running', 'start when it has ended and you have reviewed the plan', 'project_id');
  const status = await projectStatus(entry.path);
  if (how === 'resume' && status.state !== 'paused') {
    return fail('conflict', `${status.name} is not paused (it is ${status.state})`, 'use start', 'project_id');
  }
  const holder = await lockHolder(entry.path);
  if (holder) throw new LockedError(entry.path, holder);
  // What only the user can fix, checked before any cycle: a failing check refuses the start with every fix (the view lists them too).
  const checked = await checkPreflight(s, entry);
  s.scheduleStatus(entry.id);
  refuseUnlessReady(checked);
  // Checked before the run begins, so a project without a usable agent is refused with the fix.
  await s.agentFor(entry.path);
  const loop = new ProjectLoop({
    projectDir: entry.path,
    agent: agentEachCycle((dir) => s.agentFor(dir), entry.path),
    ...(s.options.overrides ? { overrides: s.options.overrides } : {}),
    // Again whenever a settings change was written between cycles.
    preflight: async () => notReadyMessage(await checkPreflight(s, entry)),
  });
  await drive(s, entry, loop);
  return s.view(entry);
}

/** Runs the loop in the background, its events fanned out with the project's id; resolves when the run has begun. */
async function drive(s: SupervisorState, entry: Entry, loop: ProjectLoop): Promise<void> {
  const off = loop.on((event) => {
    s.emit(toApiEvent(entry.id, event));
    if (event.type !== 'agent_line') s.scheduleStatus(entry.id);
  });
  // The first state event means the lock is ours and the run has begun.
  let begun!: () => void;
  const started = new Promise<void>((r) => (begun = r));
  const offBegin = loop.on((event) => event.type === 'state' && begun());
  const done = loop
    .run()
    .catch((error: unknown) => {
      s.alert(entry.id, 'error', (error as Error).message);
      return undefined;
    })
    .finally(() => {
      off();
      offBegin();
      begun();
      s.driven.delete(entry.id);
      s.scheduleStatus(entry.id);
    });
  s.driven.set(entry.id, { loop, done });
  await started;
}

/** Pause or stop: ends the agent's whole process tree, waits until the state is saved. */
export async function haltRun(s: SupervisorState, entry: Entry, how: 'pause' | 'stop'): Promise<ProjectView> {
  const run = s.driven.get(entry.id);
  if (run) {
    if (how === 'pause') run.loop.pause();
    else run.loop.stop();
    await run.done;
    return s.view(entry);
  }
  const rs = await loadRunState(entry.path);
  const holder = await lockHolder(entry.path);
  if (holder)
    return fail(
      'conflict',
      `${entry.path} is driven by another Goldloop process (pid ${holder.pid})`,
      'pause or stop it there',
      'project_id',
    );
  if (how === 'pause') return fail('conflict', `${basename(entry.path)} is not running`, 'start it first', 'project_id');
  // Stopping a paused run means the next start begins a new run instead of resuming it.
  if (rs && rs.state.state === 'paused') {
    rs.state = { state: 'stopped', iteration: rs.state.iteration, message: 'stopped by the user' };
    await saveRunState(entry.path, rs);
    s.scheduleStatus(entry.id);
  }
  return s.view(entry);
}
