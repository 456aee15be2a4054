import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../electron/contract/errors.ts';
import { FileWriteError } from '../../electron/platform/write-error.ts';
import { openRegistry, projectIdFor, Registry, type RegistryStore } from '../../electron/server/supervisor/registry.ts';
import { TempDirs } from '../helpers/temp.ts';

/** A registry store in memory, with the surface of the conf store the supervisor opens. */
function memoryStore(projects: unknown): RegistryStore & { projects: unknown } {
  return {
    projects,
    get() {
      return this.projects;
    },
    set(_key, value) {
      this.projects = structuredClone(value);
    },
    path: '(memory)',
  };
}

const entry = (path: string) => ({ id: projectIdFor(path), path, added_at: '2026-01-01T00:00:00.000Z' });

describe('Registry', () => {
  it('gives a folder the same short id every time', () => {
    expect(projectIdFor('/home/me/shop')).toBe(projectIdFor('/home/me/shop'));
    expect(projectIdFor('/home/me/shop')).toMatch(/^[0-9a-f]{12}$/);
    expect(projectIdFor('/home/me/shop')).not.toBe(projectIdFor('/home/me/blog'));
  });

  it('reads a store without a list as empty, and refuses an unknown id as not_found', () => {
    const registry = new Registry(memoryStore(undefined));
    expect(registry.entries()).toEqual([]);
    expect(registry.find('abc')).toBeUndefined();
    const error = (() => {
      try {
        return registry.entry('abc');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toMatchObject({ code: 'not_found', field: 'project_id' });
  });

  it('adds and removes projects, keeping entries it cannot read where they were', () => {
    const unreadable = { id: 'NOT VALID', path: 3 };
    const store = memoryStore([unreadable]);
    const registry = new Registry(store);
    const shop = entry('/home/me/shop');
    const blog = entry('/home/me/blog');
    registry.add(shop);
    registry.add(blog);
    expect(registry.entries()).toEqual([shop, blog]);
    expect(registry.entry(blog.id)).toEqual(blog);
    registry.remove(shop.id);
    expect(store.projects).toEqual([unreadable, blog]);
  });
});

describe('openRegistry, on disk', () => {
  const temp = new TempDirs();
  afterAll(() => temp.cleanup());

  it('sets a project list that is not JSON aside, never deleting it, and starts a new one, saying where the old one is', async () => {
    const dir = await temp.make('goldloop-registry-');
    await writeFile(join(dir, 'projects.json'), '{"projects": [{"id": "abc", "path": "/home/me/shop",');
    const warned: string[] = [];
    const store = await openRegistry(dir, (m) => warned.push(m));
    expect(new Registry(store).entries()).toEqual([]);
    const aside = (await readdir(dir)).filter((n) => n.startsWith('projects.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toContain('/home/me/shop');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(`the project list ${join(dir, 'projects.json')} is not JSON`);
    expect(warned[0]).toContain(join(dir, aside[0]!));
    expect(warned[0]).toContain('add the projects again, or mend the old file and put it back');
  });

  it.runIf(process.platform === 'linux')(
    'with no folder given, keeps the list where conf would: under XDG_CONFIG_HOME when it is set',
    async () => {
      const xdg = await temp.make('goldloop-xdg-');
      vi.stubEnv('XDG_CONFIG_HOME', xdg);
      // The caller's to pass (serve and the app do): not read here.
      vi.stubEnv('GOLDLOOP_CONFIG_DIR', join(xdg, 'elsewhere'));
      try {
        expect((await openRegistry()).path).toBe(join(xdg, 'goldloop-nodejs', 'projects.json'));
      } finally {
        vi.unstubAllEnvs();
      }
    },
  );

  it('names a config folder that is a file, with no JSON touched', async () => {
    const file = join(await temp.make('goldloop-registry-'), 'a-file');
    await writeFile(file, 'not a folder\n');
    const error = await openRegistry(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as Error).message).toContain(`cannot write ${join(file, 'projects.json')}`);
    expect(await readFile(file, 'utf8')).toBe('not a folder\n');
  });
});
