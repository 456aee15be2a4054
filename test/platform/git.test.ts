// Goldloop's git commands on a project: nothing an agent wrote in the project's .git runs as Goldloop.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedFiles, commitAll, initRepository, keepWorkTree, resetTo } from '../../electron/platform/git.ts';
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
});
