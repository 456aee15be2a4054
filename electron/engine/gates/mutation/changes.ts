/**
 * What changed since the baseline, for the mutation gate's runs between gold candidates. At the
 * run's baseline Goldloop records the tree of the project's working folder (tracked and untracked
 * files, as `.gitignore` leaves them) in the project's state folder, outside the project; each
 * later phase compares the working folder's tree with it. The trees are written with a throwaway
 * index, so the project's own index and history are left alone.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MAX_LINES, NO_HOOKS, stageAll } from '../../../platform/git.ts';
import { runProcess } from '../../../platform/process.ts';
import { stateFolder } from '../../../store/state-folder.ts';

/** The mutation gate's files in the project's state folder: the baseline's tree and Stryker's incremental results. */
export const mutationStateDir = (projectDir: string): string => join(stateFolder(projectDir), 'mutation');
const BASE_FILE = 'base.json';

async function gitLines(
  projectDir: string,
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<string[] | undefined> {
  const r = await runProcess(['git', ...NO_HOOKS, ...args], {
    cwd: projectDir,
    env,
    timeoutMs: 120_000,
    tailLines: MAX_LINES,
    ...(stdin === undefined ? {} : { stdin }),
  });
  return r.exitCode === 0 ? r.stdoutTail : undefined;
}

async function git(projectDir: string, args: string[], env: Record<string, string> = {}): Promise<string | undefined> {
  return (await gitLines(projectDir, args, env))?.join('\n').trim();
}

/** The working folder's tree as git would commit it now; undefined outside a git repository. */
export async function worktreeTree(projectDir: string): Promise<string | undefined> {
  const index = await git(projectDir, ['rev-parse', '--git-path', 'index']);
  if (index === undefined) return undefined;
  const tmp = await mkdtemp(join(tmpdir(), 'goldloop-index-'));
  try {
    const scratch = join(tmp, 'index');
    // Seeded from the real index, so git hashes only the files that changed since it was written.
    await copyFile(resolve(projectDir, index), scratch).catch(() => {});
    const env = { GIT_INDEX_FILE: scratch };
    const staged = await stageAll(async (args, stdin) => {
      const out = await gitLines(projectDir, args, env, stdin);
      if (out === undefined) throw new Error(`git ${args[0]} failed`);
      return out;
    }).then(
      () => true,
      () => false,
    );
    return staged ? await git(projectDir, ['write-tree'], env) : undefined;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Records the working folder's tree as the baseline the next phases' changes are measured from. */
export async function recordBaseline(projectDir: string): Promise<void> {
  const tree = await worktreeTree(projectDir);
  const dir = mutationStateDir(projectDir);
  await mkdir(dir, { recursive: true });
  if (tree) await writeFile(join(dir, BASE_FILE), `${JSON.stringify({ tree, at: new Date().toISOString() })}\n`);
  else await rm(join(dir, BASE_FILE), { force: true });
}

/** Why the changes cannot be told, so all the code is mutated. */
export type NoChanges = 'not-git' | 'no-baseline';

/** The files added or changed since the baseline (relative, `/`-separated), or why that cannot be told. */
export async function changedSinceBaseline(projectDir: string): Promise<string[] | NoChanges> {
  let base: string | undefined;
  try {
    base = (JSON.parse(await readFile(join(mutationStateDir(projectDir), BASE_FILE), 'utf8')) as { tree?: string }).tree;
  } catch {
    base = undefined;
  }
  const now = await worktreeTree(projectDir);
  if (!now) return 'not-git';
  if (!base) return 'no-baseline';
  // A baseline tree git no longer has (pruned, or the repository replaced) tells nothing.
  const diff = await git(projectDir, ['-c', 'core.quotePath=false', 'diff', '--name-only', '--no-renames', '--diff-filter=d', base, now]);
  if (diff === undefined) return 'no-baseline';
  return diff.split('\n').filter(Boolean);
}
