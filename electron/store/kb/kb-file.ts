import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../../platform/atomic.ts';
import { KbSchema, type Kb } from './schema.ts';

export const KB_FILE = '.ai-knowledge-base.json';
export const GOLDLOOP_DIR = '.goldloop';
export const KB_BACKUP = join(GOLDLOOP_DIR, 'kb-backup.json');

export const kbPath = (projectDir: string): string => join(projectDir, KB_FILE);

/** One problem in a KB file: where it is (a JSON path such as `$.task_queue.high_priority[0].priority`) and how to fix it. */
export interface KbProblem {
  path: string;
  message: string;
  fix: string;
}

/**
 * A knowledge base that cannot be read, parsed or validated. Its message names the file, each
 * JSON path and the fix; the file itself is never touched by the code that throws this.
 */
export class KbError extends Error {
  readonly file: string;
  readonly problems: KbProblem[];
  constructor(file: string, problems: KbProblem[]) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}\n    fix: ${p.fix}`);
    super(`${file} is not a valid knowledge base:\n${lines.join('\n')}`);
    this.name = 'KbError';
    this.file = file;
    this.problems = problems;
  }
}

/** Formats a zod path as a JSON path: `$.a.b[0].c`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    out +=
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))
          ? `.${String(key)}`
          : `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `add the field; it must be ${article(issue.expected)}` : `change it to ${article(issue.expected)}`;
    case 'invalid_value':
      return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `give at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? 'give a non-empty value'
          : `use a value of at least ${String(issue.minimum)}`;
    case 'too_big':
      return `use a value of at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.message;
    case 'custom':
      return issue.message.split('; ').slice(1).join('; ') || 'correct the value';
    default:
      return 'correct the value';
  }
}

function article(type: string): string {
  if (type === 'array') return 'an array';
  if (type === 'object') return 'an object';
  if (type === 'int') return 'a whole number';
  return `a ${type}`;
}

/** Turns a JSON.parse failure into line and column, which people can find in an editor. */
function parseProblem(text: string, error: Error): KbProblem {
  const at = /position (\d+)/.exec(error.message);
  let where = '$';
  if (at) {
    const pos = Number(at[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    where = `line ${line}, column ${column}`;
  }
  return {
    path: where,
    message: `not valid JSON (${error.message})`,
    fix: 'repair the JSON syntax there (a missing comma, quote or bracket is typical); the last good version is in .goldloop/kb-backup.json',
  };
}

/** Validates already-parsed JSON as a KB; throws KbError naming `file`. */
export function validateKb(raw: unknown, file: string): Kb {
  // reportInput: the fix differs for a missing field (add it) and a wrong one (change it).
  const result = KbSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new KbError(
    file,
    result.error.issues.map((issue) => ({
      path: jsonPath(issue.path),
      message: issue.message,
      fix: fixFor(issue),
    })),
  );
}

/** Parses KB text; throws KbError naming `file` with the line and column of a syntax error. */
export function parseKb(text: string, file: string): Kb {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new KbError(file, [parseProblem(text, error as Error)]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new KbError(file, [{ path: '$', message: 'the top level must be a JSON object', fix: 'wrap the content in { ... }' }]);
  }
  return validateKb(raw, file);
}

/**
 * The last text of each KB file this process read or wrote and knew to be valid. A save whose
 * file still holds exactly that text needs no second parse to know it may overwrite it; a 10,000
 * task KB costs ~40 ms to validate.
 */
const knownGood = new Map<string, string>();

/** Loads and validates a project's KB. */
export async function loadKb(projectDir: string): Promise<Kb> {
  const file = kbPath(projectDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = code === 'ENOENT' ? `create one with: goldloop init ${projectDir}` : 'check the file permissions';
    throw new KbError(file, [{ path: '$', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code})`, fix }]);
  }
  const kb = parseKb(text, file);
  knownGood.set(file, text);
  return kb;
}

/** Serialises a KB the way people write JSON: two-space indent, trailing newline. */
export const serializeKb = (kb: Kb): string => `${JSON.stringify(kb, null, 2)}\n`;

/**
 * Saves a KB atomically. The file on disk must still be a valid KB (it may have been edited since
 * it was loaded): it is copied to `.goldloop/kb-backup.json` first, and a file that no longer
 * validates is never overwritten — the KbError says why. The KB passed in is not validated again:
 * it is a typed value that came from `parseKb` and Goldloop's own typed changes.
 */
export async function saveKb(projectDir: string, kb: Kb, options: { replaceUnreadable?: boolean } = {}): Promise<void> {
  const file = kbPath(projectDir);
  const data = serializeKb(kb);
  let current: string | undefined;
  try {
    current = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
  if (current !== undefined && options.replaceUnreadable) {
    // Only for a file the caller has already set aside (the loop does, for one an agent broke).
    try {
      parseKb(current, file);
    } catch {
      current = undefined;
    }
  }
  if (current !== undefined) {
    if (current !== knownGood.get(file)) parseKb(current, file);
    if (current === data) return;
    await copyFile(file, join(projectDir, KB_BACKUP));
  }
  await writeFileAtomic(file, data);
  knownGood.set(file, data);
}

/**
 * Read-modify-write on the file's current content, so edits made by others since the last load
 * (the agent adds tasks, the user edits settings) are never lost.
 */
export async function updateKb(projectDir: string, change: (kb: Kb) => void): Promise<Kb> {
  const kb = await loadKb(projectDir);
  change(kb);
  await saveKb(projectDir, kb);
  return kb;
}
