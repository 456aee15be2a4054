import { runProcess } from './process.ts';

/** Goldloop's checkpoints are authored by Goldloop, whatever identity the repository has (or lacks). */
const IDENTITY = ['-c', 'user.name=Goldloop', '-c', 'user.email=goldloop@localhost', '-c', 'commit.gpgsign=false'];

export class GitError extends Error {}

async function git(dir: string, args: string[], allowFail = false): Promise<{ code: number | null; out: string[] }> {
  const result = await runProcess(['git', ...IDENTITY, ...args], { cwd: dir, timeoutMs: 120_000, tailLines: 100_000 });
  if (result.spawnError) throw new GitError(`git is not available: ${result.spawnError}`);
  if (result.exitCode !== 0 && !allowFail) {
    throw new GitError(
      `git ${args.join(' ')} failed in ${dir} (exit ${String(result.exitCode)}): ${result.stderrTail.slice(-3).join(' ')}`,
    );
  }
  return { code: result.exitCode, out: result.stdoutTail };
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

export async function head(dir: string): Promise<string | undefined> {
  const r = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD'], true);
  return r.code === 0 ? r.out[0] : undefined;
}

/** Commits everything that changed (respecting .gitignore); returns the new commit, or undefined when nothing changed. */
export async function commitAll(dir: string, message: string): Promise<string | undefined> {
  await git(dir, ['add', '-A']);
  const staged = await git(dir, ['diff', '--cached', '--quiet'], true);
  if (staged.code === 0) return undefined;
  await git(dir, ['commit', '-q', '--no-verify', '-m', message]);
  return head(dir);
}

/**
 * Undoes a cycle without losing it: its work is committed and kept under `ref`
 * (e.g. refs/goldloop/rejected/cycle-12), then the tree goes back to `to`.
 */
export async function rollBack(dir: string, to: string, ref: string, message: string): Promise<string | undefined> {
  const saved = await commitAll(dir, message);
  if (saved) await git(dir, ['update-ref', ref, saved]);
  await git(dir, ['reset', '-q', '--hard', to]);
  await git(dir, ['clean', '-q', '-fd']);
  return saved;
}

/** Files changed between two commits, with their status letter. */
export async function diffNames(dir: string, from: string, to = 'HEAD'): Promise<string[]> {
  const r = await git(dir, ['diff', '--name-status', from, to], true);
  return r.code === 0 ? r.out.filter(Boolean) : [];
}
