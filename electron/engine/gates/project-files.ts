/**
 * The project's files as git lists them, which the canary, the requirement tags and the
 * requirement tests read: listed once per gate phase (`GateContext.files`).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NO_HOOKS, unquote } from '../../platform/git.ts';
import { runProcess } from '../../platform/process.ts';

const MAX_FILES = 20_000;
const NOT_WALKED = new Set(['node_modules', 'vendor', 'target', 'dist', 'build', '__pycache__']);

/** The project's files, relative, as git lists them (tracked and untracked, not ignored); a walk of the folder where git cannot. */
export async function projectFiles(projectDir: string): Promise<string[]> {
  const listed = await runProcess(['git', ...NO_HOOKS, '-c', 'core.quotePath=false', 'ls-files', '-co', '--exclude-standard'], {
    cwd: projectDir,
    timeoutMs: 30_000,
    tailLines: 200_000,
  });
  // Names with a control character, a quote or a backslash still come quoted.
  if (listed.exitCode === 0) return listed.stdoutTail.filter(Boolean).map(unquote);
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(projectDir, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (out.length >= MAX_FILES || entry.name.startsWith('.') || NOT_WALKED.has(entry.name)) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  await walk('');
  return out;
}

/** A project, with the phase's listing of its files when there is one (`GateContext` and `CanaryTarget` are such). */
export interface Listable {
  projectDir: string;
  files?: () => Promise<string[]>;
}

/** The phase's listing of the project's files, or a new one. */
export const listedFiles = (at: Listable): Promise<string[]> => (at.files ? at.files() : projectFiles(at.projectDir));

/** `projectFiles`, listed at the first call and the same list after. */
export function filesOnce(projectDir: string): () => Promise<string[]> {
  let listing: Promise<string[]> | undefined;
  return () => (listing ??= projectFiles(projectDir));
}
