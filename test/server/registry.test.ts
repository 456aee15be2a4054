import { describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/contract/errors.ts';
import { projectIdFor, Registry, type RegistryStore } from '../../electron/server/supervisor/registry.ts';

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
