import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { coverageHint, resultsHint } from '../gates/checklist/hints.ts';
import { hintFacts } from '../gates/hint-facts.ts';
import { detectGates, type Detection, type DetectOptions } from '../gates/detect/detect.ts';
import { initRepository, isRepository } from '../../platform/git.ts';
import { systemFolderProblem } from '../../platform/system-folders.ts';
import { KbSchema, type KbInput } from '../../store/kb/schema.ts';
import { GOLDLOOP_DIR, kbPath, saveKb } from '../../store/kb/kb-file.ts';
import { projectName } from './project-name.ts';

export interface InitOptions {
  name?: string;
  /** The test command as argv; it replaces the detected one (the other detected gates stay). */
  testCommand?: string[];
  /** Passed to gate detection (tests replace its tool probes). */
  detect?: DetectOptions;
  /** Make the folder a git repository when it is not one; without it such a folder is refused (`needsGit`). */
  git?: boolean;
}

export interface InitResult {
  kbFile: string;
  /** What init found or did, in words, for the user. */
  notes: string[];
}

export class InitError extends Error {
  override name = 'InitError';
}

/** Why a Goldloop project is a git repository, in the words init, the dashboard and the preflight use. */
export const WHY_GIT = "checkpoint commits, roll-back and Goldloop's snapshots need one";

/**
 * The one rule `goldloop init` and the dashboard's add-project share: a project is a git
 * repository, and a folder that is not one is refused unless the caller asked to make it one
 * (`--git`, `init_git`). Returns why it is refused, or undefined.
 */
export async function needsGit(projectDir: string, makeOne: boolean): Promise<string | undefined> {
  if (makeOne || (await isRepository(projectDir))) return undefined;
  return `${projectDir} is not a git repository`;
}

/** The gates detected in a project, with `--test-command` in place of the detected test command. */
export async function detectForInit(projectDir: string, options: Pick<InitOptions, 'testCommand' | 'detect'>): Promise<Detection> {
  const detected = await detectGates(projectDir, options.detect);
  if (options.testCommand) {
    // The user's command replaces the detected one, and with it the reports that one would write.
    detected.gates.tests = { command: options.testCommand };
    const kept = detected.notes.filter((n) => !n.startsWith('tests:') && !n.startsWith('coverage:'));
    detected.notes = [
      `tests: ${options.testCommand.join(' ')} (--test-command), pass or fail by the exit code. For per-test results: ${resultsHint(options.testCommand)}`,
      `coverage: not measured by this command. For coverage: ${coverageHint(options.testCommand, await hintFacts(projectDir))}`,
      ...kept,
    ];
  }
  return detected;
}

/**
 * Creates `.ai-knowledge-base.json` with the operating document's defaults (15-minute cycles,
 * 5-minute breaks, 3 cycles an hour, 100 a day, 1000 a run, coverage 80, ...) and `.goldloop/`.
 * Never overwrites an existing knowledge base.
 */
export async function initProject(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const projectDir = resolve(dir);
  const system = systemFolderProblem(projectDir);
  if (system) throw new InitError(`${system}, not a project: run goldloop init on the project's own folder (the one that holds its code)`);
  const file = kbPath(projectDir);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new InitError(
      `${file} already exists; Goldloop never overwrites a knowledge base. Edit it, re-detect its gates with goldloop init --redetect, or move it away to start over.`,
    );
  try {
    await mkdir(projectDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new InitError(`${projectDir} is a file (or lies under one), not a folder: run goldloop init on the project's folder`);
  }
  const missing = await needsGit(projectDir, options.git === true);
  if (missing) throw new InitError(`${missing}: give --git to make it one (git init), or run git init there first; ${WHY_GIT}`);
  const notes: string[] = [];
  const detected = await detectForInit(projectDir, options);
  notes.push(...detected.notes);
  const named = options.name === undefined ? await projectName(projectDir) : { name: options.name };
  if (named.from) notes.push(`named the project ${named.name}, as its ${named.from} does (--name sets another)`);
  const input: KbInput = {
    project: { name: named.name },
    autonomous_operation: { status: 'idle' },
    gates: detected.gates,
  };
  await saveKb(projectDir, KbSchema.parse(input));
  await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
  await writeFile(join(projectDir, GOLDLOOP_DIR, '.gitignore'), '# Goldloop state, logs and reports: kept out of checkpoint commits.\n*\n');
  if (!(await isRepository(projectDir))) {
    await initRepository(projectDir);
    notes.push(`made the folder a git repository (${WHY_GIT})`);
  }
  notes.push(
    'next: add your plan to task_queue and requirements (or plan from documents: goldloop init --plan), then `goldloop run`, which first checks what is still to set up',
  );
  return { kbFile: file, notes };
}
