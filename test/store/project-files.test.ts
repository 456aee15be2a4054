import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listReports, readLog, readReport } from '../../electron/store/project-files.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** A project whose `.goldloop/` holds one real report and log, and links an agent could plant beside them. */
async function project(): Promise<{ dir: string; secret: string }> {
  const dir = await temps.make('goldloop-files-');
  const outside = await temps.make('goldloop-outside-');
  const secret = join(outside, 'secret.txt');
  await writeFile(secret, 'SECRET LINE\n');
  await mkdir(join(dir, '.goldloop', 'reports'), { recursive: true });
  await mkdir(join(dir, '.goldloop', 'logs'), { recursive: true });
  await writeFile(join(dir, '.goldloop', 'reports', '2026-01-01T00-00-00Z-progress.md'), '# progress\n');
  await writeFile(join(dir, '.goldloop', 'logs', 'cycle-000001.log'), 'agent line\n');
  await symlink(secret, join(dir, '.goldloop', 'reports', '2026-01-02T00-00-00Z-final.md'));
  await symlink(secret, join(dir, '.goldloop', 'logs', 'cycle-000002.log'));
  return { dir, secret };
}

describe('reports and logs a view reads', () => {
  it('lists and reads only regular files, never a link planted in the folder', async () => {
    const { dir } = await project();
    expect((await listReports(dir)).map((r) => r.name)).toEqual(['2026-01-01T00-00-00Z-progress.md']);
    expect(await readReport(dir, '2026-01-01T00-00-00Z-progress.md')).toBe('# progress\n');
    expect(await readReport(dir, '2026-01-02T00-00-00Z-final.md')).toBeUndefined();
    expect((await readLog(dir, { cycle: 1 })).lines).toEqual([{ stream: 'stdout', text: 'agent line' }]);
    const linked = await readLog(dir, { cycle: 2 });
    expect(linked.lines).toEqual([]);
    expect(JSON.stringify(linked)).not.toContain('SECRET');
  });

  it('reads nothing through a reports or logs folder that is itself a link out of the project', async () => {
    const dir = await temps.make('goldloop-files-');
    const outside = await temps.make('goldloop-outside-');
    await mkdir(join(outside, 'reports'));
    await writeFile(join(outside, 'reports', '2026-01-01T00-00-00Z-final.md'), 'SECRET');
    await mkdir(join(outside, 'logs'));
    await writeFile(join(outside, 'logs', 'cycle-000001.log'), 'SECRET');
    await mkdir(join(dir, '.goldloop'));
    await symlink(join(outside, 'reports'), join(dir, '.goldloop', 'reports'));
    await symlink(join(outside, 'logs'), join(dir, '.goldloop', 'logs'));
    expect(await listReports(dir)).toEqual([]);
    expect(await readReport(dir, '2026-01-01T00-00-00Z-final.md')).toBeUndefined();
    expect(JSON.stringify(await readLog(dir, { cycle: 1 }))).not.toContain('SECRET');
  });
});
