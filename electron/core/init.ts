import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { initRepository, isRepository } from './git/git.ts';
import { KbSchema, type KbInput } from './kb/schema.ts';
import { GOLDLOOP_DIR, kbPath, saveKb } from './kb/store.ts';

export interface InitOptions {
  name?: string;
  /** The test command as argv; detected from the project when not given. */
  testCommand?: string[];
  /** Make the folder a git repository when it is not one. */
  git?: boolean;
}

export interface InitResult {
  kbFile: string;
  /** What init found or did, in words, for the user. */
  notes: string[];
}

export class InitError extends Error {}

/** Proposes a test command from the project's files (the full detection per ecosystem is the gates' job). */
async function detectTestCommand(dir: string): Promise<{ command?: string[]; note: string }> {
  try {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    if (pkg.scripts?.test) return { command: ['npm', 'test'], note: `test command: npm test (package.json runs "${pkg.scripts.test}")` };
  } catch {
    // no package.json
  }
  return { note: 'no test command detected: set gates.tests.command (an argv array) in the knowledge base' };
}

/**
 * Creates `.ai-knowledge-base.json` with the operating document's defaults (15-minute cycles,
 * 5-minute breaks, 3 cycles an hour, 100 a day, 1000 a run, coverage 80, ...) and `.goldloop/`.
 * Never overwrites an existing knowledge base.
 */
export async function initProject(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const projectDir = resolve(dir);
  const file = kbPath(projectDir);
  const exists = await access(file).then(() => true, () => false);
  if (exists) throw new InitError(`${file} already exists; Goldloop never overwrites a knowledge base. Edit it, or move it away to start over.`);
  await mkdir(projectDir, { recursive: true });
  const notes: string[] = [];
  const detected = options.testCommand ? { command: options.testCommand, note: `test command: ${options.testCommand.join(' ')}` } : await detectTestCommand(projectDir);
  notes.push(detected.note);
  const input: KbInput = {
    project: { name: options.name ?? basename(projectDir) },
    autonomous_operation: { status: 'idle' },
    ...(detected.command ? { gates: { tests: { command: detected.command } } } : {}),
  };
  await saveKb(projectDir, KbSchema.parse(input));
  await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
  await writeFile(join(projectDir, GOLDLOOP_DIR, '.gitignore'), '# Goldloop state, logs and reports: kept out of checkpoint commits.\n*\n');
  if (!(await isRepository(projectDir))) {
    if (options.git) {
      await initRepository(projectDir);
      notes.push('made the folder a git repository (checkpoint commits and roll-back need one)');
    } else {
      notes.push('not a git repository: checkpoint commits and roll-back are off (run `git init`, or init with --git)');
    }
  }
  notes.push('next: add your plan to task_queue and requirements, then `goldloop run`');
  return { kbFile: file, notes };
}
