import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/platform/atomic.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

describe('writeFileAtomic', () => {
  it('creates a file that did not exist', async () => {
    const dir = await temps.make();
    await writeFileAtomic(join(dir, 'a.json'), '{"new":true}\n');
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('{"new":true}\n');
  });

  it('replaces the whole content of an existing file', async () => {
    const dir = await temps.make();
    const file = join(dir, 'a.txt');
    await writeFile(file, 'a much longer old content that must not leave a tail behind');
    await writeFileAtomic(file, 'short');
    expect(await readFile(file, 'utf8')).toBe('short');
  });

  it('writes bytes as given', async () => {
    const dir = await temps.make();
    const bytes = new Uint8Array([0, 255, 10, 13, 128]);
    await writeFileAtomic(join(dir, 'b.bin'), bytes);
    expect(new Uint8Array(await readFile(join(dir, 'b.bin')))).toEqual(bytes);
  });

  it('leaves no .tmp file next to the target', async () => {
    const dir = await temps.make();
    await writeFile(join(dir, 'a.txt'), 'old');
    await writeFileAtomic(join(dir, 'a.txt'), 'new');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('ends with one complete version when many writes race, and no temp files', async () => {
    const dir = await temps.make();
    const file = join(dir, 'race.txt');
    const versions = Array.from({ length: 20 }, (_, i) => `version ${i} `.repeat(500));
    await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
    expect(versions).toContain(await readFile(file, 'utf8'));
    expect(await readdir(dir)).toEqual(['race.txt']);
  });

  it('throws when the target folder does not exist, and creates nothing', async () => {
    const dir = await temps.make();
    const error = await writeFileAtomic(join(dir, 'missing', 'a.txt'), 'x').then(
      () => undefined,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(error?.code).toBe('ENOENT');
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes its temp file when the rename fails (the target is a folder)', async () => {
    const dir = await temps.make();
    const target = join(dir, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'inside.txt'), 'keep');
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readFile(join(target, 'inside.txt'), 'utf8')).toBe('keep');
  });
});
