import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { runProcess } from '../process/run.ts';
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
const TEST_FILE = /(^|\/)(tests?|spec|__tests__)\/|[._-](test|spec)s?\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go)$|Tests?\.(java|kt)$/;
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

async function candidateFiles(projectDir: string, tests: TestCase[]): Promise<string[]> {
  const named = new Set<string>();
  for (const t of tests) {
    for (const f of [t.file, t.classname]) {
      if (f && /[/\\]|\.\w+$/.test(f)) named.add(isAbsolute(f) ? f : join(projectDir, f));
    }
  }
  const listed = await runProcess(['git', 'ls-files', '-co', '--exclude-standard'], { cwd: projectDir, timeoutMs: 30_000, tailLines: 200_000 });
  if (listed.exitCode === 0) {
    for (const f of listed.stdoutTail) if (TEST_FILE.test(f)) named.add(join(projectDir, f));
  }
  return [...named].slice(0, MAX_FILES);
}

/** Adds requirement tags found next to each test in the project's test files. */
export async function attachTags(projectDir: string, tests: TestCase[]): Promise<void> {
  if (tests.length === 0) return;
  const byTitle = new Map<string, string[]>();
  for (const file of await candidateFiles(projectDir, tests)) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (!text || text.length > MAX_BYTES || !text.includes('[')) continue;
    for (const [title, tags] of tagsInSource(text)) byTitle.set(title, [...new Set([...(byTitle.get(title) ?? []), ...tags])]);
  }
  if (byTitle.size === 0) return;
  for (const t of tests) {
    const tags = byTitle.get(t.name) ?? [...byTitle.entries()].find(([title]) => t.name.endsWith(title) || t.name.endsWith(`.${title}`))?.[1];
    if (tags) t.tags = tags;
  }
}
