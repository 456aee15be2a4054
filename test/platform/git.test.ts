// Goldloop's git commands on a project: nothing an agent wrote in the project's .git runs as Goldloop.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedFiles, commitAll, initRepository, keepWorkTree, resetTo } from '../../electron/platform/git.ts';
import { plantNestedFilter } from '../helpers/nested-repo.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const git = (dir: string, ...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

describe.skipIf(process.platform === 'win32')("Goldloop's git commands on a project", () => {
  it('run no hook and no file-system monitor the agent put in .git', async () => {
    const dir = await temps.make('goldloop-git-');
    await initRepository(dir);
    const marker = join(dir, '..', `${Date.now()}-ran.txt`);
    const script = `#!/bin/sh\necho "$0" >> "${marker}"\n`;
    const hooks = join(dir, 'agent-hooks');
    await mkdir(hooks);
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout', 'reference-transaction']) {
      for (const folder of [join(dir, '.git', 'hooks'), hooks]) {
        await writeFile(join(folder, hook), script);
        await chmod(join(folder, hook), 0o755);
      }
    }
    await writeFile(join(hooks, 'monitor'), script);
    await chmod(join(hooks, 'monitor'), 0o755);
    git(dir, 'config', 'core.hooksPath', hooks);
    git(dir, 'config', 'core.fsmonitor', join(hooks, 'monitor'));

    await writeFile(join(dir, 'a.txt'), 'a\n');
    const first = await commitAll(dir, 'first');
    await writeFile(join(dir, 'a.txt'), 'b\n');
    await changedFiles(dir);
    await keepWorkTree(dir, 'refs/goldloop/rejected/cycle-1', 'rejected');
    expect(await resetTo(dir, first!)).toBe(true);

    expect(existsSync(marker)).toBe(false);
  });

  it("ask nothing of a repository nested in the project (a submodule's own config names the agent's filter), and stage the rest", async () => {
    const dir = await temps.make('goldloop-git-');
    await initRepository(dir);
    const marker = join(dir, '..', `${Date.now()}-filter-ran.txt`);
    const nested = join(dir, 'nested');
    const nestedHead = await plantNestedFilter(nested, marker);
    // The project's index holds it, as it would a submodule (the agent can write the index).
    git(dir, 'update-index', '--add', '--cacheinfo', `160000,${nestedHead},nested`);
    // And a repository without a commit, which `git add -A` refused to stage at all.
    await mkdir(join(dir, 'empty-repo'));
    git(join(dir, 'empty-repo'), 'init', '-q');
    await writeFile(join(dir, 'empty-repo', 'x.txt'), 'x\n');

    for (let i = 1; i <= 2; i++) {
      const at = new Date(Date.now() + i * 120_000);
      await utimes(join(nested, 'data.txt'), at, at);
      await writeFile(join(dir, 'a.txt'), `${i}\n`);
      await commitAll(dir, `cycle ${i}`);
      await changedFiles(dir);
      await keepWorkTree(dir, `refs/goldloop/rejected/cycle-${i}`, 'rejected');
    }

    expect(existsSync(marker)).toBe(false);
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean)).toEqual(['a.txt', 'nested']);
    expect(git(dir, 'show', 'HEAD:a.txt')).toBe('2\n');
  });
});
