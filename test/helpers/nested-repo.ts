import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What a dishonest agent plants for Goldloop's git: a repository of its own at `nested`, with one
 * committed file (`data.txt`), a clean filter in its own config that appends a line to `marker`
 * when run, and `* filter=planted` in its `.gitattributes`. Returns its HEAD, for an index to hold.
 */
export async function plantNestedFilter(nested: string, marker: string): Promise<string> {
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@a', ...args], { cwd: nested, encoding: 'utf8' });
  await mkdir(nested, { recursive: true });
  git('init', '-q');
  await writeFile(join(nested, 'data.txt'), 'data\n');
  git('add', 'data.txt');
  git('commit', '-qm', 'nested');
  git('config', 'filter.planted.clean', `sh -c 'echo ran >> "${marker}"; cat'`);
  await writeFile(join(nested, '.gitattributes'), '* filter=planted\n');
  return git('rev-parse', 'HEAD').trim();
}
