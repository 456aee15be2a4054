import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { fail } from '../../contract/errors.ts';
import { configDir as defaultConfigDir } from '../../platform/app-dirs.ts';
import { setAside } from '../../platform/atomic.ts';
import { importWithoutSignalHooks } from '../../platform/quiet-import.ts';
import { asWriteError } from '../../platform/write-error.ts';

/** One registered project, as persisted. */
const EntrySchema = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/), path: z.string().min(1), added_at: z.string() });
export type Entry = z.infer<typeof EntrySchema>;

/** Where the registry lives: a conf store (the plain-Node twin of electron-store), or any store with this surface. */
export interface RegistryStore {
  get(key: 'projects'): unknown;
  set(key: 'projects', value: unknown[]): void;
  readonly path: string;
}

/**
 * A conf store for the registry in `configDir` (default: the user's config folder). A file that is
 * not JSON (edited by hand, cut short) is set aside, renamed and never deleted, and a new list is
 * started, with `warn` saying where the old one is; a folder that cannot be read or written is
 * named, with its fix.
 */
export async function openRegistry(configDir?: string, warn?: (message: string) => void): Promise<RegistryStore> {
  // Without the signal hooks conf's import brings: Goldloop pauses its agents on Ctrl-C itself.
  const { default: Conf } = await importWithoutSignalHooks(() => import('conf'));
  // conf's own default folder when none is given: the platform's (XDG_CONFIG_HOME, APPDATA), not GOLDLOOP_CONFIG_DIR, which is the caller's to pass.
  const folder = configDir ?? defaultConfigDir({ ...process.env, GOLDLOOP_CONFIG_DIR: undefined });
  const open = (): RegistryStore =>
    new Conf<{ projects: unknown[] }>({ projectName: 'goldloop', configName: 'projects', defaults: { projects: [] }, cwd: folder });
  try {
    return open();
  } catch (error) {
    const file = join(folder, 'projects.json');
    if (!(error instanceof SyntaxError)) throw asWriteError(error, file);
    const aside = await setAside(file);
    warn?.(
      `the project list ${file} is not JSON (${error.message}); it was kept as ${aside} and a new, empty list was started: add the projects again, or mend the old file and put it back`,
    );
    return open();
  }
}

/** A stable, URL-safe id for a folder: the same path always gets the same id. */
export const projectIdFor = (path: string): string => createHash('sha256').update(path).digest('hex').slice(0, 12);

/**
 * The registered project folders, read from the store on every use (another window or process may
 * have changed it). Entries this version cannot read are skipped, and kept when the list is written.
 */
export class Registry {
  constructor(private readonly store: RegistryStore) {}

  /** Where the registry is kept. */
  get path(): string {
    return this.store.path;
  }

  /** The registered projects; entries that do not validate are skipped (and kept in the file). */
  entries(): Entry[] {
    return this.raw().flatMap((e) => {
      const parsed = EntrySchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
  }

  find(projectId: string): Entry | undefined {
    return this.entries().find((e) => e.id === projectId);
  }

  /** The project with this id; refused as not_found when there is none. */
  entry(projectId: string): Entry {
    return (
      this.find(projectId) ??
      fail('not_found', `no project with id ${projectId}`, 'use an id from listProjects, or add the folder first', 'project_id')
    );
  }

  add(entry: Entry): void {
    this.store.set('projects', [...this.raw(), entry]);
  }

  remove(projectId: string): void {
    this.store.set(
      'projects',
      this.raw().filter((e) => EntrySchema.safeParse(e).data?.id !== projectId),
    );
  }

  /** The stored list as it is, so entries this version cannot read are not lost on write. */
  private raw(): unknown[] {
    const raw = this.store.get('projects');
    return Array.isArray(raw) ? raw : [];
  }
}
