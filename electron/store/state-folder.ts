/**
 * A project's folder in Goldloop's state folder (platform/app-dirs.ts): the run state that decides
 * gold, the changes waiting to be written, the cycle's journal and the snapshots a cycle is
 * compared with. It lies outside the project, where the agent — which may write anything in the
 * project — cannot reach it (the sandbox hides the whole state folder).
 */
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { stateDir } from '../platform/app-dirs.ts';

/** `<state>/projects/<name>-<hash of the path>`: readable for a person, distinct for two folders with one name. */
export function stateFolder(projectDir: string, root = stateDir()): string {
  const path = resolve(projectDir);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 12);
  const name =
    basename(path)
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 40) || 'project';
  return join(root, 'projects', `${name}-${hash}`);
}
