import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../../platform/atomic.ts';
import { GOLDLOOP_DIR, KB_FILE } from './names.ts';
import { KbSchema, type Kb } from './schema.ts';

export { GOLDLOOP_DIR, KB_FILE };
export const KB_BACKUP = join(GOLDLOOP_DIR, 'kb-backup.json');

export const kbPath = (projectDir: string): string => join(projectDir, KB_FILE);

/** One problem in a KB file: where it is (a JSON path such as `$.task_queue.high_priority[0].priority`) and how to fix it. */
export interface KbProblem {
  path: string;
  message: string;
  fix: string;
}

/** How many problems a KbError's message lists; `problems` keeps them all. */
const SHOWN_PROBLEMS = 20;

/**
 * A knowledge base that cannot be read, parsed or validated. Its message names the file, each
 * JSON path and the fix; the file itself is never touched by the code that throws this.
 */
export class KbError extends Error {
  readonly file: string;
  readonly problems: KbProblem[];
  /** `headline`: what is wrong in a few words, when it is not the file's content (no file, no folder). */
  constructor(file: string, problems: KbProblem[], headline = `${file} is not a valid knowledge base`) {
    // A file with thousands of bad entries gets a readable message, not megabytes of the same line.
    const lines = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${p.path}: ${p.message}\n    fix: ${p.fix}`);
    const more = problems.length - SHOWN_PROBLEMS;
    if (more > 0) lines.push(`  ... and ${more} more problems (fix these first: the same mistake is often repeated)`);
    super(`${headline}:\n${lines.join('\n')}`);
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
          : issue.inclusive === false
            ? `use a value above ${String(issue.minimum)}`
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

/**
 * Turns a JSON.parse failure into line and column, which people can find in an editor. The
 * parser's own message quotes the start of the text; that is left out, so a KB that is a link to
 * some other file (`/etc/passwd`) never has its content shown.
 */
function parseProblem(text: string, error: Error): KbProblem {
  const at = /position (\d+)/.exec(error.message);
  // Without a position the parser stopped at the first character it could not start a value with.
  const first = /^\s*[^\s{[]/.exec(text);
  const position = at ? Number(at[1]) : first ? first[0].length - 1 : undefined;
  let where = '$';
  if (position !== undefined) {
    const pos = position;
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    where = `line ${line}, column ${column}`;
  }
  const reason = error.message
    .replace(/,? ".*?"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/^Unexpected token '.'$/s, 'unexpected character')
    .replace(/ in JSON at position \d+.*$/s, '');
  return {
    path: where,
    message: `not valid JSON (${reason})`,
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

/** Deeper than any KB Goldloop writes (about 6 levels), far below where a recursive walk of it could overflow the stack. */
const MAX_DEPTH = 64;

/**
 * What no schema can see, found in one walk without recursion: nesting too deep to walk safely
 * later, and `__proto__` keys, which JSON keeps as data but an object copy would turn into a
 * prototype and drop from the next save without a word.
 */
function structureProblem(raw: unknown): KbProblem | undefined {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: raw, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length > MAX_DEPTH) {
      return {
        path: jsonPath(path.slice(0, MAX_DEPTH + 1)),
        message: `nested deeper than ${MAX_DEPTH} levels`,
        fix: 'flatten that value: a knowledge base holds tasks, requirements and settings, a few levels deep',
      };
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') {
        return { path: jsonPath([...path, key]), message: 'a key named __proto__', fix: 'rename the key: objects cannot keep it as data' };
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, Array.isArray(value) ? Number(key) : key] });
    }
  }
  return undefined;
}

/** Parses KB text; throws KbError naming `file` with the line and column of a syntax error. */
export function parseKb(text: string, file: string): Kb {
  let raw: unknown;
  try {
    // A byte-order mark (Windows editors write one) is not part of the JSON.
    raw = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text);
  } catch (error) {
    throw new KbError(file, [parseProblem(text, error as Error)]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new KbError(file, [{ path: '$', message: 'the top level must be a JSON object', fix: 'wrap the content in { ... }' }]);
  }
  const structure = structureProblem(raw);
  if (structure) throw new KbError(file, [structure]);
  return validateKb(raw, file);
}

/**
 * The last bytes of each KB file this process read or wrote and knew to be valid. A save whose
 * file still holds exactly those bytes needs no second parse to know it may overwrite it (a 10,000
 * task KB costs ~40 ms to validate), nor a decode of them: bytes compare as memory does.
 */
const knownGood = new Map<string, Buffer>();

/** The largest KB read, in MB: `$GOLDLOOP_KB_MAX_MB`, else 20 (a KB of 10,000 tasks is about 4 MB). */
const maxMegabytes = (): number => Number(process.env.GOLDLOOP_KB_MAX_MB) || 20;

const KINDS: [test: (s: Awaited<ReturnType<typeof stat>>) => boolean, name: string][] = [
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];

/**
 * The KB file's bytes. Only an ordinary file of a sane size is read: a FIFO would block the read
 * forever, a link to a device would never end, and a huge file would take gigabytes of memory.
 */
async function readKbBytes(projectDir: string, file: string): Promise<Buffer> {
  const refuse = (message: string, fix: string): never => {
    throw new KbError(file, [{ path: '$', message, fix }]);
  };
  const info = await stat(file).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR')
      throw new KbError(
        file,
        [{ path: '$', message: `${projectDir} is a file, not a folder`, fix: "give the project's folder (the one that holds its code)" }],
        `not a project folder: ${projectDir}`,
      );
    if (error.code !== 'ENOENT') return refuse(`cannot read (${error.code ?? error.message})`, 'check the file permissions');
    const folder = await stat(projectDir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const problem = folder
      ? { path: '$', message: 'file not found', fix: `create one with: goldloop init ${projectDir}` }
      : { path: '$', message: 'the folder does not exist', fix: 'check the path (a typo, or a folder moved or deleted since)' };
    throw new KbError(file, [problem], folder ? `no knowledge base in ${projectDir} yet` : `no such folder: ${projectDir}`);
  });
  if (info.isDirectory())
    return refuse('a folder, not a file', `move the folder away, then create the KB with: goldloop init ${projectDir}`);
  const kind = KINDS.find(([test]) => test(info))?.[1];
  if (kind || !info.isFile()) return refuse(`not a regular file (${kind ?? 'not a file'})`, 'replace it with the JSON file itself');
  const limit = maxMegabytes();
  if (info.size > limit * 1024 * 1024) {
    return refuse(
      `${(info.size / 1024 / 1024).toFixed(1)} MB, over the limit of ${limit} MB`,
      'move long text (logs, outputs, pasted files) out of the KB into files it names, or raise the limit with GOLDLOOP_KB_MAX_MB',
    );
  }
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) =>
    refuse(`cannot read (${error.code ?? error.message})`, 'check the file permissions'),
  );
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.subarray(0, 64).includes(0)) {
    return refuse('saved as UTF-16, not UTF-8', 'save the file as UTF-8 (any editor\'s "Save with encoding")');
  }
  return bytes;
}

/** Loads and validates a project's KB. */
export async function loadKb(projectDir: string): Promise<Kb> {
  const file = kbPath(projectDir);
  const bytes = await readKbBytes(projectDir, file);
  const kb = parseKb(bytes.toString('utf8'), file);
  knownGood.set(file, bytes);
  return kb;
}

/**
 * Loads a KB both as its file's own JSON — to change and write back with `saveKb`, so no default
 * is written into the file and every field Goldloop does not know stays as it was — and validated.
 */
export async function loadKbJson(projectDir: string): Promise<{ raw: Record<string, unknown>; kb: Kb }> {
  const file = kbPath(projectDir);
  const bytes = await readKbBytes(projectDir, file);
  const text = bytes.toString('utf8');
  const kb = parseKb(text, file);
  knownGood.set(file, bytes);
  return { raw: JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text) as Record<string, unknown>, kb };
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
  // Encoded once: compared with the file's bytes, written, and kept as known good.
  const data = Buffer.from(serializeKb(kb), 'utf8');
  // What stands there now is read with the same care as a load: a FIFO or a device put in its
  // place is refused, never read forever or overwritten.
  const exists = await stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : true),
  );
  let current = exists ? await readKbBytes(projectDir, file) : undefined;
  await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
  if (current && options.replaceUnreadable) {
    // Only for a file the caller has already set aside (the loop does, for one an agent broke).
    try {
      parseKb(current.toString('utf8'), file);
    } catch {
      current = undefined;
    }
  }
  if (current) {
    if (!knownGood.get(file)?.equals(current)) parseKb(current.toString('utf8'), file);
    if (current.equals(data)) return;
    // Written from the bytes just read and checked (not copied from the path, which could have changed
    // since), as every write of Goldloop's is: a full disk is named, with its fix. Not synced to the disk:
    // the save itself is, and a power cut right after it costs at most this copy of the version before.
    // (A hard link to the file read would copy nothing, but an agent holding it open could then rewrite the backup.)
    await writeFileAtomic(join(projectDir, KB_BACKUP), current, { durable: false });
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
