/**
 * Snapshots of a project's work tree in a git repository of Goldloop's own: its git directory lies
 * in Goldloop's state folder, the project is only its work tree. Its objects, refs, index and
 * config are its own; nothing is read from the project's .git, nor from the user's global or the
 * system's git config. So an agent that deletes the project's refs, expires its reflog, runs
 * `git gc`, installs a hook or configures a diff driver or a filter changes nothing here.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { devNull } from 'node:os';
import { dirname, join } from 'node:path';
import { IDENTITY, MAX_LINES, NO_HOOKS, stageAll, unquote } from './git.ts';
import { runProcess } from './process.ts';

/** A snapshot that could not be taken, compared or restored: never read as "no changes". */
export class SnapshotError extends Error {}

export interface Snapshot {
  commit: string;
  /** The content's id: two snapshots of equal content have equal trees. */
  tree: string;
}

/** A file that differs between two snapshots: git's status letter (A, M, D, T, R), its path, and for a rename the path it had. */
export interface ChangedFile {
  status: string;
  path: string;
  from?: string;
}

/** A line the later snapshot has and the earlier did not, with its file. */
export interface AddedLine {
  file: string;
  line: string;
}

/**
 * Only Goldloop's own settings: no system or global config file (where a filter, a diff driver or
 * an attributes file could be named), no attributes file of the system, and none of the
 * environment's pointers to another repository's git directory, index or objects.
 */
const ENV: Record<string, string | undefined> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: devNull,
  GIT_ATTR_NOSYSTEM: '1',
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
  GIT_ALTERNATE_OBJECT_DIRECTORIES: undefined,
  GIT_COMMON_DIR: undefined,
  GIT_NAMESPACE: undefined,
};

/** Line endings as they are on disk: a snapshot holds the bytes the agent left. */
const CONFIG = [...NO_HOOKS, ...IDENTITY, '-c', 'core.autocrlf=false', '-c', 'core.safecrlf=false', '-c', 'core.quotePath=false'];

/**
 * Every file read as text, whatever the work tree's `.gitattributes` says (`-diff`, `binary`, a
 * `diff=` driver): a skip added to a file marked binary is still a line added.
 */
const AS_TEXT = ['--text', '--no-textconv', '--no-ext-diff', '--no-color', '--src-prefix=a/', '--dst-prefix=b/'];

/** Attempts at an index another Goldloop process is writing (a status beside a running loop). */
const LOCK_ATTEMPTS = 40;

export class SnapshotRepo {
  /** `gitDir`: the repository, in Goldloop's state folder; `workTree`: the project. */
  constructor(
    readonly gitDir: string,
    readonly workTree: string,
  ) {}

  /** Makes the repository on first use: a bare one told it has a work tree, with Goldloop's own folder excluded. */
  async open(): Promise<this> {
    if (await exists(join(this.gitDir, 'HEAD'))) return this;
    await mkdir(dirname(this.gitDir), { recursive: true, mode: 0o700 });
    const made = await runProcess(['git', 'init', '-q', '--bare', this.gitDir], { cwd: dirname(this.gitDir), env: ENV, timeoutMs: 60_000 });
    if (made.exitCode !== 0) throw new SnapshotError(`cannot make ${this.gitDir}: ${made.spawnError ?? made.stderrTail.join(' ')}`);
    await this.git(['config', 'core.bare', 'false']);
    await this.git(['config', 'gc.auto', '0']);
    await mkdir(join(this.gitDir, 'info'), { recursive: true });
    await writeFile(join(this.gitDir, 'info', 'exclude'), '/.goldloop/\n');
    return this;
  }

  /**
   * The work tree's content as a tree id (files git ignores left out). `index` names the staging
   * file: a reader (a status) keeps its own, apart from the loop's.
   */
  async tree(index = 'index'): Promise<string> {
    await this.addAll(index);
    return (await this.git(['write-tree'], index))[0]!;
  }

  /** Takes a snapshot of the work tree as it is now, kept under `ref`. */
  async snapshot(ref: string, message: string): Promise<Snapshot> {
    const tree = await this.tree();
    const commit = (await this.git(['commit-tree', tree, '-m', message]))[0]!;
    await this.git(['update-ref', ref, commit]);
    return { commit, tree };
  }

  /** Keeps a snapshot under another ref too (a rejected cycle's work). */
  async keep(ref: string, commit: string): Promise<void> {
    await this.git(['update-ref', ref, commit]);
  }

  /** The files that differ between two snapshots. Throws SnapshotError when git cannot compare them. */
  async changedFiles(from: string, to: string): Promise<ChangedFile[]> {
    const lines = await this.git(['diff', '--name-status', '--find-renames', ...AS_TEXT, from, to, '--']);
    return lines.filter(Boolean).map((line) => {
      const [status = '', first = '', second] = line.split('\t');
      return second === undefined ? { status, path: unquote(first) } : { status: status[0]!, from: unquote(first), path: unquote(second) };
    });
  }

  /** The lines the later snapshot added, as text whatever the attributes say. Throws SnapshotError when git cannot compare them. */
  async addedLines(from: string, to: string): Promise<AddedLine[]> {
    const added: AddedLine[] = [];
    let file = '';
    // A file's header runs from `diff --git` to its first hunk; an added line that starts with `++` is not a header.
    let header = false;
    for (const line of await this.git(['diff', '-U0', ...AS_TEXT, from, to, '--'])) {
      if (line.startsWith('diff --git ')) header = true;
      else if (header) {
        if (line.startsWith('+++ ')) file = unquote(line.slice(4)).replace(/^b\//, '');
        else if (line.startsWith('@@')) header = false;
      } else if (line.startsWith('+')) added.push({ file, line: line.slice(1) });
    }
    return added;
  }

  /** Lines added and removed between two snapshots, summed over the files (a binary file counts as a file only). */
  async lineCounts(from: string, to: string): Promise<{ files: number; added: number; removed: number }> {
    const rows = (await this.git(['diff', '--numstat', ...AS_TEXT, from, to, '--'])).filter(Boolean).map((l) => l.split('\t'));
    const count = (n: string | undefined): number => (n && /^\d+$/.test(n) ? Number(n) : 0);
    return {
      files: rows.length,
      added: rows.reduce((sum, [added]) => sum + count(added), 0),
      removed: rows.reduce((sum, [, removed]) => sum + count(removed), 0),
    };
  }

  /** The diff between two snapshots, as text whatever the attributes say. Throws SnapshotError when git cannot compare them. */
  async diff(from: string, to: string): Promise<string[]> {
    const lines = await this.git(['diff', '--find-renames', ...AS_TEXT, from, to, '--']);
    if (lines.at(-1) === '') lines.pop();
    return lines;
  }

  /** The commit a ref names, or undefined when there is no such ref. */
  async commitOf(ref: string): Promise<string | undefined> {
    return this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then(
      (out) => out[0] || undefined,
      () => undefined,
    );
  }

  /**
   * Puts the work tree back as the snapshot has it: changed and deleted files restored, files
   * added since (and not ignored) removed. Files git ignores are left as they are.
   */
  async restore(commit: string): Promise<void> {
    // The index must hold what is on disk now, so that files added since are known and removed.
    await this.addAll();
    await this.git(['read-tree', '-u', '--reset', commit]);
  }

  /** Stages the work tree as it is now in `index` (see `stageAll`: nothing is asked of a repository nested in it). */
  private addAll(index = 'index'): Promise<void> {
    return stageAll((args, stdin) => this.git(args, index, stdin));
  }

  private async git(args: string[], index = 'index', stdin?: string): Promise<string[]> {
    const argv = ['git', `--git-dir=${this.gitDir}`, `--work-tree=${this.workTree}`, ...CONFIG, ...args];
    for (let attempt = 1; ; attempt++) {
      const r = await runProcess(argv, {
        cwd: this.workTree,
        env: { ...ENV, GIT_INDEX_FILE: join(this.gitDir, index) },
        timeoutMs: 600_000,
        tailLines: MAX_LINES,
        ...(stdin === undefined ? {} : { stdin }),
      });
      if (r.exitCode === 0) return r.stdoutTail;
      const why = r.spawnError ?? (r.stderrTail.filter(Boolean).slice(-3).join(' ') || `exit ${String(r.exitCode ?? r.killedBy)}`);
      if (attempt < LOCK_ATTEMPTS && /index\.lock/.test(why)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      throw new SnapshotError(`git ${args.slice(0, 2).join(' ')} in Goldloop's snapshots of ${this.workTree} failed: ${why}`);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
