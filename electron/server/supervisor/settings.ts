import type { SettingsPatch, SettingsResult, UpdateSettingsResult } from '../../contract/settings.ts';
import { fail } from '../../contract/errors.ts';
import type { LoopState } from '../../engine/loop/types.ts';
import { KB_FILE, kbPath } from '../../store/kb/kb-file.ts';
import { lockHolder } from '../../store/lock.ts';
import { settingsErrorText } from '../../store/settings/index.ts';
import { checkPreflight } from './preflight.ts';
import type { Entry } from './registry.ts';
import type { SupervisorState } from './state.ts';

/** The project's settings, with the changes still waiting for a cycle shown as they will be. */
export async function getSettings(s: SupervisorState, entry: Entry): Promise<SettingsResult> {
  const store = s.settingsOf(entry);
  const settings = await store.read();
  // Our own run holds the lock too; only another process's makes the settings read-only here.
  const holder = s.driven.has(entry.id) ? undefined : await lockHolder(entry.path);
  return { settings, file: kbPath(entry.path), pending: store.pending, ...(holder ? { locked_by: { pid: holder.pid } } : {}) };
}

/**
 * Writes a settings change into the project's KB. While a cycle runs the loop holds the settings
 * as they were at its start (and would undo a change as the agent's tampering), so the loop writes
 * it when the cycle ends; the answer says which. Checked first in every case, so a bad value is
 * refused at once, naming the field.
 */
export async function updateSettings(s: SupervisorState, entry: Entry, patch: SettingsPatch): Promise<UpdateSettingsResult> {
  // The planning cycle puts the KB back as it found it before merging: a change saved meanwhile would be undone.
  if (s.plans.isRunning(entry.id))
    return fail('conflict', 'a planning cycle is running', 'save the settings when it has ended', 'project_id');
  const store = s.settingsOf(entry);
  const run = s.driven.get(entry.id);
  if (!run) await refuseWhenDrivenElsewhere(entry);
  const settings = await store.check(patch);
  if (run) {
    const during = run.loop.state;
    const change = run.loop.changeSettings(() => store.write(patch));
    if (change?.deferred) {
      // On disk too: if this process ends before the cycle does, the next run writes them.
      await store.queue(patch, change.written);
      reportWhenWritten(s, entry.id, change.written, during);
      return { settings, applied: 'after_cycle', message: waitingMessage(during) };
    }
    if (change) {
      await change.written;
      s.scheduleStatus(entry.id);
      return { settings: await store.read(), applied: 'now', message: `Saved to ${KB_FILE}; the next cycle uses the new settings.` };
    }
    // The run is ending: write once it has let go of the KB.
    await run.done;
    await refuseWhenDrivenElsewhere(entry);
  }
  const written = await store.write(patch);
  // The preflight again: the project's view shows whether the change fixed (or broke) what it checks.
  await checkPreflight(s, entry).catch(() => {});
  s.scheduleStatus(entry.id);
  return { settings: written, applied: 'now', message: `Saved to ${KB_FILE}.` };
}

function waitingMessage({ iteration, step }: LoopState): string {
  return step === 'baseline'
    ? 'Saved. Goldloop is measuring the baseline; the change goes into the knowledge base when that ends, before the first cycle.'
    : `Saved; takes effect after the current cycle. Cycle ${iteration} is running with the settings it started with: the change goes into the knowledge base when it ends, and the next cycle uses it.`;
}

/** Tells the dashboard when a change that waited for its cycle is in the KB, or why it is not. */
function reportWhenWritten(s: SupervisorState, projectId: string, written: Promise<void>, { iteration, step }: LoopState): void {
  written.then(
    () => {
      s.scheduleStatus(projectId);
      const during = step === 'baseline' ? 'the baseline measurement' : `cycle ${iteration}`;
      s.alert(projectId, 'info', `The settings saved during ${during} are now in ${KB_FILE}; they apply from the next cycle.`);
    },
    (error: unknown) => {
      s.scheduleStatus(projectId);
      s.alert(projectId, 'error', `The settings saved during cycle ${iteration} could not be written: ${settingsErrorText(error)}`);
    },
  );
}

async function refuseWhenDrivenElsewhere(entry: Entry): Promise<void> {
  const holder = await lockHolder(entry.path);
  if (!holder) return;
  fail(
    'conflict',
    `${entry.path} is driven by another Goldloop process (pid ${holder.pid}), which holds its settings for the run`,
    `stop that run (Ctrl-C where it runs) and save again; or edit ${KB_FILE} by hand during its break — a change made while a cycle runs is undone as if the agent had made it`,
    'project_id',
  );
}
