import type { GateRunView } from '../../contract/status.ts';
import { fail } from '../../contract/errors.ts';
import { runGates } from '../../engine/gates/phase.ts';
import { loadKb } from '../../store/kb/kb-file.ts';
import type { Entry } from './registry.ts';
import type { SupervisorState } from './state.ts';
import { gateView } from './views.ts';

/**
 * Measures a project's gates now, outside a run (runGatesNow). The result is shown in the project's
 * status until the loop measures something newer; refused while anything else uses the project.
 */
export async function runGatesNow(s: SupervisorState, entry: Entry): Promise<GateRunView> {
  if (s.driven.has(entry.id))
    return fail(
      'conflict',
      'the loop measures the gates every cycle while it runs',
      'pause it first, or wait for the next cycle',
      'project_id',
    );
  if (s.measuring.has(entry.id)) return fail('conflict', 'the gates are being measured already', 'wait for that measurement', 'project_id');
  if (s.plans.isRunning(entry.id)) return fail('conflict', 'a planning cycle is running', 'measure when it has ended', 'project_id');
  const kb = await loadKb(entry.path);
  s.measuring.add(entry.id);
  s.scheduleStatus(entry.id);
  try {
    const run = gateView(await runGates({ projectDir: entry.path, kb, label: 'manual', at: Date.now() }));
    s.manualGates.set(entry.id, run);
    s.emit({ type: 'gates', project_id: entry.id, iteration: kb.autonomous_operation.current_iteration, run, baseline: false });
    return run;
  } finally {
    s.measuring.delete(entry.id);
    s.scheduleStatus(entry.id);
  }
}
