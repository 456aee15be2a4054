import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KB_FILE } from '../../electron/store/kb/kb-file.ts';
import { FileWriteError } from '../../electron/platform/write-error.ts';
import { TempDirs } from '../helpers/project.ts';

/**
 * A full disk, for real: bubblewrap mounts a 4 KB file system over the project's `.goldloop/`,
 * and `goldloop run` starts inside it. Skipped, saying why, where bubblewrap cannot run.
 */
const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const BWRAP = '/usr/bin/bwrap';
const canMount =
  existsSync(BWRAP) &&
  spawnSync(BWRAP, ['--dev-bind', '/', '/', '--size', '4096', '--tmpfs', '/mnt', 'true'], { timeout: 10_000 }).status === 0;
const temp = new TempDirs();
afterAll(() => temp.cleanup());

describe('a full disk', () => {
  it('names the file and says what to free, for a file system error of any kind', () => {
    const full = new FileWriteError(
      '/p/.goldloop/run.lock',
      Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
    );
    expect(full.message).toBe(
      'cannot write /p/.goldloop/run.lock: the disk is full; free space on the disk that holds /p/.goldloop/run.lock (old logs, caches, build output), then start again',
    );
    const readOnly = new FileWriteError('/p/x', Object.assign(new Error('EROFS'), { code: 'EROFS' }));
    expect(readOnly.message).toMatch(/read-only; move the project to a writable disk/);
  });

  it.skipIf(!canMount)('stops goldloop run at start with the file and the fix, no stack trace, the KB untouched', async () => {
    const dir = await temp.demo();
    const kbBefore = await readFile(join(dir, KB_FILE), 'utf8');
    const r = spawnSync(
      BWRAP,
      [
        '--dev-bind',
        '/',
        '/',
        '--size',
        '4096',
        '--tmpfs',
        join(dir, '.goldloop'),
        process.execPath,
        BIN,
        'run',
        dir,
        '--plain',
        '--agent',
        'command',
        '--agent-cmd',
        'true',
      ],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(1);
    expect(out).toMatch(/cannot write .*\.goldloop.*: the disk is full; free space on the disk that holds/);
    expect(out).not.toMatch(/\n\s+at \S+ \(/);
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(kbBefore);
  });
  if (!canMount) it.skip(`bubblewrap cannot mount a small file system here (${BWRAP}): the run on a full disk is not tried`, () => {});
});
