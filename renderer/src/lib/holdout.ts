import type { ProjectSettings, SettingsPatch } from '../../../electron/contract/api.ts';
import { changed, commandGatePatch, FieldChecks, gateDraft, type CommandGateDraft } from './settings-checks.ts';

/**
 * The held-out acceptance tests in the settings form: optional, so always shown, empty until the
 * user gives a folder and a command; emptying both removes them from the KB.
 */

export type HoldoutDraft = CommandGateDraft & { dir: string };
type HoldoutPatch = NonNullable<SettingsPatch['gates']>['holdout'];

const KEY = 'settings.gates.holdout';

export const holdoutDraft = (h: ProjectSettings['gates']['holdout']): HoldoutDraft =>
  h ? { ...gateDraft(h), dir: h.dir } : { enabled: true, command: '', timeout_minutes: null, dir: '' };

/** A change to the held-out tests: added, changed, removed (null), or undefined when the user changed nothing. */
export function holdoutPatch(was: ProjectSettings['gates']['holdout'], d: HoldoutDraft, check: FieldChecks): HoldoutPatch | undefined {
  const dir = d.dir.trim();
  const emptied = !dir && !d.command.trim();
  if (was) {
    if (emptied) return null;
    const out: NonNullable<HoldoutPatch> = commandGatePatch('holdout', d, was, check);
    if (dir !== was.dir) out.dir = dir;
    return changed(out);
  }
  if (emptied) return undefined;
  if (!dir) check.fail(`${KEY}.dir`, 'give the folder of the held-out tests: an absolute path outside the project');
  const command = check.argv(`${KEY}.command`, d.command);
  if (!command?.length) {
    if (command) check.fail(`${KEY}.command`, 'give the command that runs them, with {holdout} where the folder goes');
    return undefined;
  }
  return {
    dir,
    command,
    ...(d.enabled ? {} : { enabled: false }),
    ...(d.timeout_minutes !== null ? { timeout_minutes: d.timeout_minutes } : {}),
  };
}
