import { resolve } from 'node:path';
import { isExecutable, onPath } from '../../platform/sandbox/programs.ts';

/**
 * Where an agent's program is, as its run would find it: a path with a slash from the project
 * folder (the agent runs there), a bare name on PATH. Undefined when there is none to start.
 */
export function programPath(program: string, projectDir: string): string | undefined {
  if (!program.includes('/') && !program.includes('\\')) return onPath(program, process.env.PATH ?? '');
  const path = resolve(projectDir, program);
  return isExecutable(path) ? path : undefined;
}
