import type { EditPlanResult, PlanEdit } from '../../contract/plan.ts';
import { fail } from '../../contract/errors.ts';
import type { LoopState } from '../../contract/status.ts';
import { editPlanFile, type PlanContext } from '../../engine/tasks/plan-edit.ts';
import { KB_FILE } from '../../store/kb/kb-file.ts';
import { lockHolder } from '../../store/lock.ts';
import { loadRunState } from '../../store/run-state.ts';
import { checkPreflight } from './preflight.ts';
import type { Entry } from './registry.ts';
import type { SupervisorState } from './state.ts';

/**
 * The user's edit of a project's plan (engine/tasks/plan-edit.ts), at a moment the loop allows it.
 * During a cycle the loop holds the plan as the cycle started with it: after the cycle it puts
 * back removed or moved tasks and changed terms as if the agent had made the change. So an edit is
 * refused while a cycle runs, saying when it can be made; between cycles it goes through the loop
 * (as a settings change does), which writes it before it reads the KB again.
 */
export async function editPlan(s: SupervisorState, entry: Entry, edit: PlanEdit): Promise<EditPlanResult> {
  // The planning cycle puts the KB back as it found it before merging: an edit saved meanwhile would be undone.
  if (s.plans.isRunning(entry.id)) return fail('conflict', 'a planning cycle is running', 'edit the plan when it has ended', 'project_id');
  const context = await planContext(s, entry);
  let message = '';
  const write = async (): Promise<void> => {
    message = await editPlanFile(entry.path, edit, context);
  };
  const run = s.driven.get(entry.id);
  const change = run ? (refuseDuringCycle(run.loop.state), run.loop.changeSettings(write)) : undefined;
  if (change?.deferred) {
    // A cycle started between the check and the hand-over: the loop writes the edit when it ends.
    change.written.then(
      () => s.scheduleStatus(entry.id),
      (error: unknown) =>
        s.alert(
          entry.id,
          'error',
          `The plan edit saved as cycle ${run!.loop.state.iteration} started was not written: ${(error as Error).message}`,
        ),
    );
    return { message: 'Saved; a cycle had just started: the edit goes into the knowledge base when it ends.' };
  }
  if (change) {
    await change.written;
  } else {
    // The run is ending (or there is none): write once nothing holds the KB.
    if (run) await run.done;
    await refuseWhenDrivenElsewhere(entry);
    await write();
    await checkPreflight(s, entry).catch(() => {});
  }
  s.scheduleStatus(entry.id);
  return { message };
}

/** Which requirements passing tests cover, as last measured (by the loop, or by hand when that is newer). */
async function planContext(s: SupervisorState, entry: Entry): Promise<PlanContext> {
  const last = (await loadRunState(entry.path))?.last_gates;
  const manual = s.manualGates.get(entry.id);
  const measured = manual && (!last || manual.at > last.at) ? manual : last;
  const uncovered = new Set(measured?.uncovered_requirements);
  return { covered: (id) => measured !== undefined && !uncovered.has(id) };
}

function refuseDuringCycle({ state, step, iteration }: LoopState): void {
  if (state !== 'running') return;
  const what = step === 'baseline' ? 'Goldloop is measuring the baseline' : `cycle ${iteration} is running`;
  fail(
    'conflict',
    `${what}: the plan cannot change under it`,
    'edit the plan in the break after it (the edit is checked and saved at once then), or pause the run first',
    'project_id',
  );
}

async function refuseWhenDrivenElsewhere(entry: Entry): Promise<void> {
  const holder = await lockHolder(entry.path);
  if (!holder) return;
  fail(
    'conflict',
    `${entry.path} is driven by another Goldloop process (pid ${holder.pid}), which holds its plan while its cycles run`,
    `edit the plan in the dashboard of that process, or stop that run (Ctrl-C where it runs) and edit again; ${KB_FILE} edited by hand during a cycle is put back`,
    'project_id',
  );
}
