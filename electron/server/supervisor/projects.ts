import { access, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ApiArgs, ApiResults } from '../../contract/api.ts';
import { ApiError, fail } from '../../contract/errors.ts';
import { initProject, needsGit, WHY_GIT } from '../../engine/project/init.ts';
import * as git from '../../platform/git.ts';
import { systemFolderProblem } from '../../platform/system-folders.ts';
import { kbPath, loadKb } from '../../store/kb/kb-file.ts';
import { checkPreflight } from './preflight.ts';
import { projectIdFor, type Entry } from './registry.ts';
import type { SupervisorState } from './state.ts';

/**
 * Registers a project folder. Everything is checked before anything changes, so a refused request
 * leaves the folder as it was; `git init` and a new KB happen only when the caller asked for them.
 */
export async function addProject(s: SupervisorState, args: ApiArgs['addProject']): Promise<ApiResults['addProject']> {
  const given = resolve(args.path);
  const info = await stat(given).catch(() => undefined);
  if (!info)
    return fail('not_found', `${given} does not exist`, 'choose an existing folder (create it first, or correct the path)', 'path');
  if (!info.isDirectory()) return fail('bad_request', `${given} is a file, not a folder`, 'choose the project folder itself', 'path');
  const path = await realpath(given);
  const system = systemFolderProblem(path);
  if (system) return fail('bad_request', `${system}, not a project`, "choose the project's own folder (one that holds its code)", 'path');
  const id = projectIdFor(path);
  if (s.registry.find(id)) return fail('conflict', `${path} is already registered`, 'pick it in the project list', 'path');

  const isRepo = await git.isRepository(path);
  const hasKb = await access(kbPath(path)).then(
    () => true,
    () => false,
  );
  // The rule `goldloop init` follows too: a folder that is not a repository only when asked to make it one.
  const missing = await needsGit(path, args.init_git === true);
  const gitFix = `add it again with init_git: true to run \`git init\` there (${WHY_GIT})`;
  const kbFix = "add it again with create_kb: true to write one with the operating document's defaults (then add your plan to it)";
  const noKb = !hasKb && !args.create_kb;
  // Both at once when both are missing: one answer, not one refusal after the other.
  if (missing && noKb)
    throw new ApiError({
      code: 'needs_git',
      message: `${missing}, and it has no .ai-knowledge-base.json`,
      field: 'init_git',
      fix: gitFix,
      issues: [
        { field: 'init_git', fix: gitFix },
        { field: 'create_kb', fix: kbFix },
      ],
    });
  if (missing) return fail('needs_git', missing, gitFix, 'init_git');
  if (noKb) return fail('needs_kb', `${path} has no .ai-knowledge-base.json`, kbFix, 'create_kb');
  if (hasKb) await loadKb(path); // A broken KB is refused with its own message (file, JSON path, fix).

  const notes: string[] = [];
  if (!hasKb) {
    const result = await initProject(path, { ...(isRepo ? {} : { git: true }) });
    notes.push(`wrote ${result.kbFile}`, ...result.notes);
  } else if (!isRepo) {
    await git.initRepository(path);
    notes.push(`made the folder a git repository (${WHY_GIT})`);
  }
  const entry: Entry = { id, path, added_at: new Date().toISOString() };
  s.registry.add(entry);
  await s.broadcastSnapshot();
  return { project: await s.view(entry), notes };
}

/** Unregisters a project that nothing runs on; its folder stays as it is. */
export async function removeProject(s: SupervisorState, projectId: string): Promise<ApiResults['removeProject']> {
  const entry = s.registry.entry(projectId);
  if (s.driven.has(entry.id)) return fail('conflict', `${entry.path} is running`, 'stop it first, then remove it', 'project_id');
  if (s.plans.isRunning(entry.id))
    return fail('conflict', 'a planning cycle is running', 'remove it when the planning has ended', 'project_id');
  s.registry.remove(entry.id);
  s.forget(entry.id);
  await s.broadcastSnapshot();
  return { removed: entry.id };
}

/** `checkProject`: the preflight again, after `git init` when asked (the fix of a folder that is not a repository). */
export async function checkProject(s: SupervisorState, entry: Entry, initGit: boolean): Promise<ApiResults['checkProject']> {
  if (initGit && !(await git.isRepository(entry.path))) {
    if (s.driven.has(entry.id)) return fail('conflict', `${entry.path} is running`, 'stop it first', 'project_id');
    await git.initRepository(entry.path);
  }
  await checkPreflight(s, entry);
  s.scheduleStatus(entry.id);
  return { project: await s.view(entry) };
}
