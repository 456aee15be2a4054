import { devNull } from 'node:os';
import { runProcess } from './process.ts';

/**
 * Every git command Goldloop runs: no hook and no file-system monitor, so nothing an agent wrote
 * in a repository's .git (a hook, `core.hooksPath`, `core.fsmonitor`) runs as Goldloop. The
 * command line outranks every config file. Nor does a status or a diff look inside a repository
 * nested in the work tree (a submodule, or one an agent made in the project): git would run
 * `git status` there, under that repository's own config, whose filters are the agent's programs.
 */
export const NO_HOOKS = [
  '-c',
  `core.hooksPath=${devNull}`,
  '-c',
  'core.fsmonitor=false',
  '-c',
  'diff.ignoreSubmodules=all',
  '-c',
  'submodule.recurse=false',
];

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };

/** A path as git prints one with unusual characters: in quotes, C escapes and octal bytes inside. */
export function unquote(path: string): string {
  if (!(path.length > 1 && path.startsWith('"') && path.endsWith('"'))) return path;
  const chars = Array.from(path.slice(1, -1));
  const bytes: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c !== '\\') bytes.push(...Buffer.from(c));
    else if (/[0-7]/.test(chars[i + 1] ?? '')) {
      bytes.push(parseInt(chars.slice(i + 1, i + 4).join(''), 8));
      i += 3;
    } else {
      const e = chars[++i] ?? '';
      bytes.push(ESCAPES[e] ?? e.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The most output lines kept of one git command: a listing of changes as long as this is refused, not cut. */
export const MAX_LINES = 1_000_000;

/**
 * `git add -A` without asking a nested repository anything. `add -A` runs `git status` in every
 * repository nested in the work tree that its index holds, and that status runs the clean filters
 * the nested repository's config names (an agent's program, run as Goldloop, outside the
 * sandbox). Here `ls-files` lists what changed (a nested repository is compared by its HEAD
 * only) and `update-index` stages those paths. A nested repository the index does not hold yet
 * is left out, as it holds nothing of the files' content (git adds it only as a commit id, with
 * a warning that it is probably a mistake), and one without a commit would fail the staging.
 * `run` runs git with the repository's options and returns its output lines.
 */
export async function stageAll(run: (args: string[], stdin?: string) => Promise<string[]>): Promise<void> {
  const listed = await run(['ls-files', '--modified', '--deleted', '--others', '--exclude-standard']);
  if (listed.length >= MAX_LINES) throw new Error(`more than ${MAX_LINES} changed files to stage: add the generated ones to .gitignore`);
  // `--others` names a nested repository as a folder (`nested/`, or quoted, `"nested\n/"`); nothing else ends in a slash.
  const paths = [...new Set(listed.filter((p) => p && !/\/"?$/.test(p)))];
  // In name order, a folder before what it holds; `--replace`: a file that became a folder (or the other way round) gives way.
  const byName = new Map(paths.map((p) => [p, unquote(p)]));
  paths.sort((a, b) => (byName.get(a)! < byName.get(b)! ? -1 : 1));
  // `--refresh` first, as `add -A` does: a file touched but not changed is not read again by the next listing.
  if (paths.length > 0)
    await run(['update-index', '-q', '--refresh', '--add', '--remove', '--replace', '--stdin'], `${paths.join('\n')}\n`);
}

/** Goldloop's checkpoints are authored by Goldloop, whatever identity the repository has (or lacks). */
export const IDENTITY = ['-c', 'user.name=Goldloop', '-c', 'user.email=goldloop@localhost', '-c', 'commit.gpgsign=false'];

export class GitError extends Error {}

async function git(dir: string, args: string[], allowFail = false, stdin?: string): Promise<{ code: number | null; out: string[] }> {
  const result = await runProcess(['git', ...NO_HOOKS, ...IDENTITY, ...args], {
    cwd: dir,
    timeoutMs: 120_000,
    tailLines: MAX_LINES,
    ...(stdin === undefined ? {} : { stdin }),
  });
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

/** Stages every change in `dir`'s work tree, as `git add -A` would (see `stageAll`). */
const addAll = (dir: string): Promise<void> => stageAll(async (args, stdin) => (await git(dir, args, false, stdin)).out);

/** Commits everything that changed (respecting .gitignore); returns the new commit, or undefined when nothing changed. */
export async function commitAll(dir: string, message: string): Promise<string | undefined> {
  await addAll(dir);
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
  await addAll(dir);
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
