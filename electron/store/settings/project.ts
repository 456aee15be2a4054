import { readFile, rename, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../platform/atomic.ts';
import { insideFolder } from '../../platform/paths.ts';
import { fixFor } from '../kb/messages.ts';
import type { ProjectSettings, SettingsPatch } from '../../contract/settings.ts';
import { ApiError } from '../../contract/errors.ts';
import { KbSchema, type Kb } from '../kb/schema.ts';
import { kbPath, loadKb, parseKb, saveKb } from '../kb/kb-file.ts';
import { STATE_FILES, stateFile } from '../state-folder.ts';
import { isEmptyPatch, kbPatch, mergePatch, settingsField, settingsFromKb, type Json } from './view.ts';

/**
 * A project's settings on disk: read from its knowledge base, checked and written into it (a merge
 * patch of the file's own JSON, see view.ts), and the changes saved while a cycle ran, kept in
 * `pending-settings.json` of the project's state folder (outside the project, where the agent
 * cannot write) until a run writes them.
 */

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
function validateMerged(merged: unknown, patch: SettingsPatch, file: string, projectDir: string): Kb {
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
  const holdout = kb.gates.holdout;
  if (patch.gates?.holdout && holdout && insideFolder(projectDir, holdout.dir)) {
    throw new ApiError({
      code: 'bad_request',
      message: 'updateSettings: settings.gates.holdout.dir is invalid',
      field: 'settings.gates.holdout.dir',
      fix: `${holdout.dir} is inside the project, where the agent can read and change the tests: give a folder outside ${projectDir}`,
    });
  }
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
    return settingsFromKb(validateMerged(merged, {}, file, projectDir));
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
  return settingsFromKb(validateMerged(mergePatch(before, kbPatch(patch)), patch, file, projectDir));
}

/**
 * Writes a change into the KB: a read-modify-write of the file's current JSON (so edits made since
 * it was last read are kept), validated as a whole, saved atomically with the previous version in
 * `.goldloop/kb-backup.json`. Returns the settings as written.
 */
export async function writeSettings(projectDir: string, patch: SettingsPatch): Promise<ProjectSettings> {
  const { raw, kb, file } = await readKbFile(projectDir);
  if (isEmptyPatch(patch)) return settingsFromKb(kb);
  const merged = mergePatch(raw, kbPatch(patch)) as Json;
  const next = validateMerged(merged, patch, file, projectDir);
  // The file's own JSON, not the parsed KB: no defaults are written into it, unknown fields stay as they were.
  await saveKb(projectDir, merged as Kb);
  return settingsFromKb(next);
}

/** Why a change could not be written, in words: a refused value's field and fix, or the error's message. */
export function settingsErrorText(error: unknown): string {
  const body = error instanceof ApiError ? error.body : undefined;
  return body ? `${body.field ?? ''} ${body.fix ?? body.message}`.trim() : (error as Error).message;
}

/**
 * Settings saved while a cycle ran, kept on disk until written, so a crash or reboot loses none: in
 * the project's state folder, never in the project, where an agent could leave a change of its own.
 */
export const pendingSettingsPath = (projectDir: string): Promise<string> => stateFile(projectDir, STATE_FILES.pendingSettings);

/** Records the changes still waiting for their cycle to end (none: the file goes). */
export async function savePendingSettings(projectDir: string, pending: readonly SettingsPatch[]): Promise<void> {
  const file = await pendingSettingsPath(projectDir);
  if (!pending.length) {
    await rm(file, { force: true });
    return;
  }
  await writeFileAtomic(file, `${JSON.stringify(pending, null, 2)}\n`);
}

/**
 * Writes the changes a process that ended mid-cycle left waiting, in the order they were saved;
 * the file goes once they are in the KB. Returns what could not be written, in words: a change
 * the KB no longer accepts is dropped with its reason, never half-applied.
 */
export async function applyPendingSettings(projectDir: string): Promise<{ written: number; problems: string[] }> {
  const file = await pendingSettingsPath(projectDir);
  let pending: unknown;
  try {
    pending = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { written: 0, problems: [] };
    await rename(file, `${file}.unreadable`).catch(() => {});
    return {
      written: 0,
      problems: [`${file} could not be read (${(error as Error).message}); it is kept as ${file}.unreadable`],
    };
  }
  const problems: string[] = [];
  let written = 0;
  for (const patch of Array.isArray(pending) ? pending : []) {
    try {
      await writeSettings(projectDir, patch as SettingsPatch);
      written += 1;
    } catch (error) {
      problems.push(`a settings change saved during a cycle was not written: ${settingsErrorText(error)}`);
    }
  }
  await rm(file, { force: true });
  return { written, problems };
}
