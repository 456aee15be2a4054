import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Root files whose names mark a spec, PRD or architecture document (any extension, any case). */
const ROOT_DOC = /^(spec|prd|architecture)[^/]*\.(md|markdown|txt|rst|adoc)$/i;

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * The documents a planning cycle reads, relative to the project: SPEC*, PRD* and ARCHITECTURE*
 * at the root, every `docs/*.md`, and those the user lists (which must exist). Sorted, no repeats.
 */
export async function findPlanDocuments(projectDir: string, listed: readonly string[] = []): Promise<string[]> {
  const found = new Set<string>();
  for (const name of await readdir(projectDir).catch(() => [] as string[])) {
    if (ROOT_DOC.test(name) && (await isFile(join(projectDir, name)))) found.add(name);
  }
  for (const name of await readdir(join(projectDir, 'docs')).catch(() => [] as string[])) {
    if (/\.md$/i.test(name) && (await isFile(join(projectDir, 'docs', name)))) found.add(`docs/${name}`);
  }
  for (const doc of listed) {
    if (!(await isFile(join(projectDir, doc))))
      throw new Error(`--doc ${doc}: no such file in ${projectDir}; give a path relative to the project folder`);
    found.add(doc);
  }
  return [...found].sort();
}
