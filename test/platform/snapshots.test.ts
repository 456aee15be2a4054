// Goldloop's private snapshots of a project: a git directory of its own, the project its work
// tree. Real git; the project's own repository is abused the ways an agent can abuse it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotError, SnapshotRepo } from '../../electron/platform/snapshots.ts';
import { plantNestedFilter } from '../helpers/nested-repo.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });

const TEST = "import test from 'node:test';\n\ntest('REQ-001 works', () => {});\n";

/** A project with one committed test file and an ignored folder, and its private snapshots beside it. */
async function project(): Promise<{ dir: string; repo: SnapshotRepo }> {
  const root = await temps.make('goldloop-snapshots-');
  const dir = join(root, 'project');
  await mkdir(join(dir, 'test'), { recursive: true });
  await writeFile(join(dir, 'test', 'a.test.js'), TEST);
  await writeFile(join(dir, 'README.md'), '# p\n');
  await writeFile(join(dir, '.gitignore'), 'node_modules/\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'start');
  return { dir, repo: await new SnapshotRepo(join(root, 'state', 'snapshots.git'), dir).open() };
}

const skip = (dir: string): Promise<void> => writeFile(join(dir, 'test', 'a.test.js'), TEST.replace("test('REQ", "test.skip('REQ"));

describe('SnapshotRepo', () => {
  it('compares the start of a cycle with its end: files changed, added and deleted, and the lines added', async () => {
    const { dir, repo } = await project();
    const start = await repo.snapshot('refs/cycles/1/start', 'start');
    await skip(dir);
    await writeFile(join(dir, 'new.js'), 'export const x = 1;\n');
    await rm(join(dir, 'README.md'));
    const end = await repo.snapshot('refs/cycles/1/end', 'end');
    expect(await repo.changedFiles(start.commit, end.commit)).toEqual([
      { status: 'D', path: 'README.md' },
      { status: 'A', path: 'new.js' },
      { status: 'M', path: 'test/a.test.js' },
    ]);
    expect(await repo.addedLines(start.commit, end.commit)).toEqual([
      { file: 'new.js', line: 'export const x = 1;' },
      { file: 'test/a.test.js', line: "test.skip('REQ-001 works', () => {});" },
    ]);
  });

  it("keeps its snapshots when the project's refs are deleted, its reflog expired and its objects collected", async () => {
    const { dir, repo } = await project();
    const start = await repo.snapshot('refs/cycles/1/start', 'start');
    await skip(dir);
    git(dir, 'commit', '-qam', 'goldloop: cycle 1 — TASK_001 (task done)');
    for (const ref of git(dir, 'for-each-ref', '--format=%(refname)').split('\n').filter(Boolean)) git(dir, 'update-ref', '-d', ref);
    git(dir, 'reflog', 'expire', '--expire=now', '--all');
    git(dir, 'gc', '-q', '--prune=now');
    const end = await repo.snapshot('refs/cycles/1/end', 'end');
    expect((await repo.addedLines(start.commit, end.commit)).map((a) => a.line)).toEqual(["test.skip('REQ-001 works', () => {});"]);
  });

  it('reads every file as text, whatever the attributes, diff drivers and filters of the project and the user say', async () => {
    const { dir, repo } = await project();
    const start = await repo.snapshot('refs/cycles/1/start', 'start');
    // The project's attributes (in the work tree and in its .git), a diff driver and a filter in its
    // config, and the same in a global config file: none is Goldloop's.
    await writeFile(join(dir, '.gitattributes'), '* -diff\n*.js diff=hide filter=hide\n');
    await writeFile(join(dir, '.git', 'info', 'attributes'), '* binary\n');
    const hide = ['diff.hide.textconv=true', 'diff.hide.command=true', 'filter.hide.clean=true', 'filter.hide.required=true'];
    for (const setting of hide) git(dir, 'config', ...setting.split('='));
    const global = join(dir, '..', 'global.gitconfig');
    await writeFile(global, '[diff "hide"]\n\ttextconv = true\n[filter "hide"]\n\tclean = true\n[core]\n\tattributesFile = /dev/null\n');
    process.env.GIT_CONFIG_GLOBAL = global;
    try {
      await skip(dir);
      const end = await repo.snapshot('refs/cycles/1/end', 'end');
      expect((await repo.addedLines(start.commit, end.commit)).map((a) => a.line)).toContain("test.skip('REQ-001 works', () => {});");
      expect((await repo.changedFiles(start.commit, end.commit)).map((f) => f.path)).toEqual(['.gitattributes', 'test/a.test.js']);
    } finally {
      delete process.env.GIT_CONFIG_GLOBAL;
    }
  });

  it('fails, never answers "no changes", when a snapshot is not there', async () => {
    const { repo } = await project();
    const start = await repo.snapshot('refs/cycles/1/start', 'start');
    await expect(repo.changedFiles(start.commit, '0123456789abcdef0123456789abcdef01234567')).rejects.toBeInstanceOf(SnapshotError);
    await expect(repo.addedLines('0123456789abcdef0123456789abcdef01234567', start.commit)).rejects.toBeInstanceOf(SnapshotError);
  });

  it('restores the work tree from a snapshot: changed and deleted files back, added ones gone, ignored ones left', async () => {
    const { dir, repo } = await project();
    const start = await repo.snapshot('refs/cycles/1/start', 'start');
    await skip(dir);
    await rm(join(dir, 'README.md'));
    await mkdir(join(dir, 'src', 'deep'), { recursive: true });
    await writeFile(join(dir, 'src', 'deep', 'added.js'), 'x\n');
    await mkdir(join(dir, 'node_modules'));
    await writeFile(join(dir, 'node_modules', 'kept.js'), 'y\n');
    await repo.restore(start.commit);
    expect(await readFile(join(dir, 'test', 'a.test.js'), 'utf8')).toBe(TEST);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# p\n');
    expect(existsSync(join(dir, 'src'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'kept.js'))).toBe(true);
  });

  it("names the work tree's content by a tree id, leaving Goldloop's own folder out, with a reader's index apart", async () => {
    const { dir, repo } = await project();
    const before = await repo.tree('reader-index');
    await mkdir(join(dir, '.goldloop'));
    await writeFile(join(dir, '.goldloop', 'history.jsonl'), '{}\n');
    expect(await repo.tree('reader-index')).toBe(before);
    expect((await repo.snapshot('refs/x', 'x')).tree).toBe(before);
    await writeFile(join(dir, 'README.md'), '# changed\n');
    expect(await repo.tree('reader-index')).not.toBe(before);
  });

  it('snapshots what add -A would: odd names, a file turned into a folder and a folder into a file, a deletion', async () => {
    const { dir, repo } = await project();
    await mkdir(join(dir, 'lib', 'folder'), { recursive: true });
    await writeFile(join(dir, 'lib', 'part'), 'a file\n');
    await writeFile(join(dir, 'lib', 'folder', 'held.js'), 'y\n');
    const start = await repo.snapshot('refs/cycles/1/start', 'start');
    await rm(join(dir, 'lib', 'part'));
    await mkdir(join(dir, 'lib', 'part'));
    await writeFile(join(dir, 'lib', 'part', 'inside.js'), 'x\n');
    await rm(join(dir, 'lib', 'folder'), { recursive: true });
    await writeFile(join(dir, 'lib', 'folder'), 'now a file\n');
    await rm(join(dir, 'README.md'));
    for (const name of ['new\nline.txt', 'quote".txt', 'tab\there.txt', 'ünïcode.txt', 'back\\slash.txt', ' space '])
      await writeFile(join(dir, name), `${name}\n`);
    const end = await repo.snapshot('refs/cycles/1/end', 'end');
    expect((await repo.changedFiles(start.commit, end.commit)).map((f) => `${f.status} ${f.path}`).sort()).toEqual(
      [
        'A  space ',
        'A back\\slash.txt',
        'A lib/part/inside.js',
        'A new\nline.txt',
        'A quote".txt',
        'A tab\there.txt',
        'A ünïcode.txt',
        'D README.md',
        'D lib/part',
        'A lib/folder',
        'D lib/folder/held.js',
      ].sort(),
    );
    // Staged again with nothing changed: the same tree.
    expect((await repo.snapshot('refs/again', 'again')).tree).toBe(end.tree);
  });

  it("asks nothing of a repository nested in the project, whose own config names a filter: the agent's program never runs", async () => {
    const { dir, repo } = await project();
    const marker = join(dir, '..', 'filter-ran');
    const nested = join(dir, 'nested');
    const nestedHead = await plantNestedFilter(nested, marker);
    // Held by the index of Goldloop's snapshots too, as a submodule of the project would be.
    git(dir, '--git-dir', repo.gitDir, '--work-tree', dir, 'update-index', '--add', '--cacheinfo', `160000,${nestedHead},nested`);
    for (let i = 1; i <= 3; i++) {
      // Same size, a new time: a status of the nested repository would read it through the filter.
      const at = new Date(Date.now() + i * 120_000);
      await utimes(join(nested, 'data.txt'), at, at);
      await repo.snapshot(`refs/cycles/${i}/end`, 'end');
      await repo.restore((await repo.commitOf(`refs/cycles/${i}/end`))!);
    }
    expect(existsSync(marker)).toBe(false);
    // A repository made in the project and not held by the index stays out, even one without a commit.
    const empty = join(dir, 'empty-repo');
    await mkdir(empty);
    git(empty, 'init', '-q');
    await writeFile(join(empty, 'x.txt'), 'x\n');
    const after = await repo.snapshot('refs/after', 'after');
    expect(git(dir, '--git-dir', repo.gitDir, 'ls-tree', '-r', '--name-only', after.commit).split('\n')).not.toContain('empty-repo');
  });

  it('refreshes what it knows of a file touched but not changed, so that the next snapshot does not read it again', async () => {
    const { dir, repo } = await project();
    await repo.snapshot('refs/a', 'a');
    const at = new Date(Date.now() + 120_000);
    await utimes(join(dir, 'README.md'), at, at);
    await writeFile(join(dir, 'new.txt'), 'new\n');
    await repo.snapshot('refs/b', 'b');
    const debug = git(dir, '--git-dir', repo.gitDir, '--work-tree', dir, 'ls-files', '--debug', 'README.md');
    expect(debug).toContain(`mtime: ${Math.floor(at.getTime() / 1000)}:`);
  });
});
