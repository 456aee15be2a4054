import { devNull } from 'node:os';
import { runProcess } from './process.ts';

/**
 * Every git command Goldloop runs: no hook and no file-system monitor, so nothing an agent wrote
 * in a repository's .git (a hook, `core.hooksPath`, `core.fsmonitor`) runs as Goldloop. The
 * command line outranks every config file.
 */
export const NO_HOOKS = ['-c', `core.hooksPath=${devNull}`, '-c', 'core.fsmonitor=false'];

/** Goldloop's checkpoints are authored by Goldloop, whatever identity the repository has (or lacks). */
export const IDENTITY = ['-c', 'user.name=Goldloop', '-c', 'user.email=goldloop@localhost', '-c', 'commit.gpgsign=false'];

export class GitError extends Error {}

async function git(dir: string, args: string[], allowFail = false): Promise<{ code: number | null; out: string[] }> {
  const result = await runProcess(['git', ...NO_HOOKS, ...IDENTITY, ...args], { cwd: dir, timeoutMs: 120_000, tailLines: 100_000 });
  if (result.spawnError) throw new GitError(`git is not available: ${result.spawnError}`);
  if (result.exitCode !== 0 && !allowFail) {
    throw new GitError(
      `git ${args.join(' ')} failed in ${dir} (exit ${String(result.exitCode)}): ${result.stderrTail.slice(-3).join(' ')}`,
    );
  }
  return { code: result.exitCode, out: result.stdoutTail };
}

/** `git version 2.43.0`, or undefined when git cannot be started (not installed, not on PATH). */
export async function gitVersion(dir: string): Promise<string | undefined> {
  const result = await runProcess(['git', '--version'], { cwd: dir, timeoutMs: 60_000 });
  return result.exitCode === 0 ? result.stdoutTail.find((l) => l.trim())?.trim() : undefined;
}

export async function isRepository(dir: string): Promise<boolean> {
  const r = await git(dir, ['rev-parse', '--is-inside-work-tree'], true).catch(() => ({ code: 1, out: [] }));
  return r.code === 0 && r.out[0] === 'true';
}

export async function initRepository(dir: string): Promise<void> {
  await git(dir, ['init', '-q']);
}

/** Changed paths, as `git status --porcelain` lists them. */
export async function changedFiles(dir: string): Promise<string[]> {
  const r = await git(dir, ['status', '--porcelain', '--untracked-files=all']);
  return r.out.filter(Boolean).map((l) => l.slice(3));
}

/** Untracked files not ignored, relative; none where the folder is no repository. */
export async function untrackedFiles(dir: string): Promise<string[]> {
  const r = await git(dir, ['ls-files', '--others', '--exclude-standard'], true);
  return r.code === 0 ? r.out.filter(Boolean) : [];
}

export async function head(dir: string): Promise<string | undefined> {
  const r = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD'], true);
  return r.code === 0 ? r.out[0] : undefined;
}

/** Commits everything that changed (respecting .gitignore); returns the new commit, or undefined when nothing changed. */
export async function commitAll(dir: string, message: string): Promise<string | undefined> {
  await git(dir, ['add', '-A']);
  const staged = await git(dir, ['diff', '--cached', '--quiet', '--no-ext-diff', '--no-textconv'], true);
  if (staged.code === 0) return undefined;
  await git(dir, ['commit', '-q', '--no-verify', '-m', message]);
  return head(dir);
}

/**
 * Keeps the work tree as it is now in the project's repository under `ref` (e.g.
 * refs/goldloop/rejected/cycle-12), as a commit on top of HEAD that HEAD does not move to.
 */
export async function keepWorkTree(dir: string, ref: string, message: string): Promise<string> {
  await git(dir, ['add', '-A']);
  const tree = (await git(dir, ['write-tree'])).out[0]!;
  const parent = await head(dir);
  const commit = (await git(dir, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message])).out[0]!;
  await git(dir, ['update-ref', ref, commit]);
  return commit;
}

/**
 * Points the branch and the index back at `to`, leaving the work tree as it is (a roll-back has
 * put the files back already); false when the repository no longer has that commit.
 */
export async function resetTo(dir: string, to: string): Promise<boolean> {
  const known = await git(dir, ['cat-file', '-e', `${to}^{commit}`], true);
  if (known.code !== 0) return false;
  await git(dir, ['reset', '-q', '--mixed', to]);
  return true;
}

/** Files changed between two commits, with their status letter. */
export async function diffNames(dir: string, from: string, to = 'HEAD'): Promise<string[]> {
  const r = await git(dir, ['diff', '--name-status', from, to], true);
  return r.code === 0 ? r.out.filter(Boolean) : [];
}
