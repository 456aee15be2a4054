/** Where paths lie relative to each other. */
import { isAbsolute, relative, resolve } from 'node:path';

/** Whether `dir` is `folder` or lies in it (the held-out tests' folder in the project, where the agent can read and change it). */
export function insideFolder(folder: string, dir: string): boolean {
  const rel = relative(resolve(folder), resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
