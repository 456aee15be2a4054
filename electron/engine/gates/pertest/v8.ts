/**
 * What one test run executed of the project's code, from the raw coverage V8 writes for every node
 * process started with `NODE_V8_COVERAGE` set (node's test runner runs each test file in a child,
 * which inherits it). A project source file counts as run when a function of it other than the
 * module's own top level was called: importing a module runs its top level whichever tests run, so
 * only a call into its code says that the test ran it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TEST_FILE } from '../tags.ts';

/** A coverage file: its scripts' URLs checked first, as most of them are node's own and never looked into. */
const V8Coverage = z.object({ result: z.array(z.looseObject({ url: z.string() })) });
/** One of the project's scripts, checked whole. */
const V8Script = z.object({
  url: z.string(),
  functions: z.array(
    z.object({
      functionName: z.string(),
      ranges: z.array(z.object({ startOffset: z.number(), endOffset: z.number(), count: z.number() })),
    }),
  ),
});

/** The file of a script V8 ran, relative to the project, when it is one of the project's own sources (not a test, not a dependency). */
export function projectSource(url: string, projectDir: string): string | undefined {
  let path: string;
  try {
    // Node's own modules (`node:fs`), `data:` and `evalmachine` scripts are no file of the project.
    if (!url.startsWith('file:') && /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) return undefined;
    path = url.startsWith('file:') ? fileURLToPath(url) : url;
  } catch {
    return undefined;
  }
  const rel = relative(projectDir, resolve(projectDir, path));
  if (!rel || rel.startsWith('..') || rel.startsWith(sep) || rel.split(sep).includes('node_modules')) return undefined;
  const posix = rel.split(sep).join('/');
  return TEST_FILE.test(posix) ? undefined : posix;
}

/** The project's source files of which a function was called, over every coverage file in `dir`; undefined when V8 wrote none. */
export async function sourcesCalled(dir: string, projectDir: string): Promise<string[] | undefined> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names?.some((n) => n.endsWith('.json'))) return undefined;
  const called = new Set<string>();
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    const parsed = V8Coverage.safeParse(raw);
    if (!parsed.success) continue;
    for (const entry of parsed.data.result) {
      const source = projectSource(entry.url, projectDir);
      if (!source || called.has(source)) continue;
      const script = V8Script.safeParse(entry);
      if (!script.success) continue;
      // The function at offset 0 is the module's top level; another one called at least once is code the test ran.
      if (script.data.functions.some((f) => f.ranges[0] && f.ranges[0].startOffset > 0 && f.ranges[0].count > 0)) called.add(source);
    }
  }
  return [...called].sort();
}
