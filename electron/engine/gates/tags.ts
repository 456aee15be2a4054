import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { listedFiles, type Listable } from './project-files.ts';
import type { TestCase } from './parsers/types.ts';

const TAG = /\[([A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_]+)\]/g;
/** Test declarations in the common frameworks: the title is the first string, or the function name. */
const DECLARATIONS = [
  /\b(?:it|test|describe|specify|scenario)(?:\.\w+)*\s*\(\s*(['"`])((?:\\.|(?!\1).)*)\1/,
  /\bdef\s+(test_\w+)/,
  /\bfunc\s+(Test\w+)/,
  /\bfn\s+(\w+)\s*\(/,
  /\bvoid\s+(\w+)\s*\(/,
];
export const TEST_FILE =
  /(^|\/)(tests?|spec|__tests__)\/|[._-](test|spec)s?\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go)$|Tests?\.(java|kt)$/;
const MAX_FILES = 2000;
const MAX_BYTES = 1 << 20;

function declaredTitle(line: string): string | undefined {
  for (const re of DECLARATIONS) {
    const m = re.exec(line);
    if (m) return m[2] ?? m[1];
  }
  return undefined;
}

/**
 * Requirement tags per test title, from the project's test files: a tag on the declaration's
 * own line or on the lines just above it (a comment such as `// [REQ-012]`) belongs to it.
 */
export function tagsInSource(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let pending: string[] = [];
  let distance = 0;
  for (const line of text.split('\n')) {
    const tags = [...line.matchAll(TAG)].map((m) => m[1]!);
    const title = declaredTitle(line);
    if (title !== undefined) {
      const all = [...new Set([...pending, ...tags])];
      if (all.length) out.set(title, [...(out.get(title) ?? []), ...all]);
      pending = [];
      distance = 0;
    } else if (tags.length) {
      pending.push(...tags);
      distance = 0;
    } else if (pending.length && line.trim() && ++distance > 2) {
      pending = [];
    }
  }
  return out;
}

/** The requirement tags of a set of test files, by test title. */
export interface TagIndex {
  /** The files read (absolute paths). */
  files: Set<string>;
  byTitle: Map<string, string[]>;
}

async function addFiles(index: TagIndex, files: string[]): Promise<void> {
  for (const file of files) {
    index.files.add(file);
    const text = await readFile(file, 'utf8').catch(() => '');
    if (!text || text.length > MAX_BYTES || !text.includes('[')) continue;
    for (const [title, tags] of tagsInSource(text)) index.byTitle.set(title, [...new Set([...(index.byTitle.get(title) ?? []), ...tags])]);
  }
}

/**
 * Reads the tags of the project's test files as git lists them (tracked and untracked, not
 * ignored; a walk of the folder where git cannot), from the phase's listing where it has one.
 * It needs no test results, so the gates start it while the test command runs and the test
 * run's report is matched against it afterwards.
 */
export async function indexTags(at: Listable): Promise<TagIndex> {
  const index: TagIndex = { files: new Set(), byTitle: new Map() };
  const tests = (await listedFiles(at)).filter((f) => TEST_FILE.test(f)).slice(0, MAX_FILES);
  await addFiles(
    index,
    tests.map((f) => join(at.projectDir, f)),
  );
  return index;
}

/**
 * Adds requirement tags found next to each test in the project's test files: those of `index`
 * (made by `indexTags` when not given), and the files the report names that it does not hold.
 */
export async function attachTags(projectDir: string, tests: TestCase[], index?: Promise<TagIndex> | TagIndex): Promise<void> {
  if (tests.length === 0) return;
  const known = await (index ?? indexTags({ projectDir }));
  const named = new Set<string>();
  for (const t of tests) {
    for (const f of [t.file, t.classname]) {
      if (f && /[/\\]|\.\w+$/.test(f)) named.add(isAbsolute(f) ? f : join(projectDir, f));
    }
  }
  const byTitle = new Map(known.byTitle);
  await addFiles({ files: new Set(), byTitle }, [...named].filter((f) => !known.files.has(f)).slice(0, MAX_FILES));
  if (byTitle.size === 0) return;
  for (const t of tests) {
    const tags =
      byTitle.get(t.name) ?? [...byTitle.entries()].find(([title]) => t.name.endsWith(title) || t.name.endsWith(`.${title}`))?.[1];
    if (tags) t.tags = tags;
  }
}
