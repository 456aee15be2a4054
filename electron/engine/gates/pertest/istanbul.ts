/**
 * What one test run executed of the project's code, from an istanbul `coverage-final.json` (what
 * vitest's and jest's coverage write with the `json` reporter): a project source counts as run
 * when one of its functions was called. The module's own top level is no function there, so an
 * import alone counts for nothing.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { projectSource } from './v8.ts';

const IstanbulFile = z.looseObject({ f: z.record(z.string(), z.number()).default({}) });
const Istanbul = z.record(z.string(), IstanbulFile);

/** The project's source files of which a function was called, from the istanbul JSON file at `file`. */
export async function istanbulSourcesCalled(file: string, projectDir: string): Promise<string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  const parsed = Istanbul.safeParse(raw);
  if (!parsed.success) return [];
  const called = new Set<string>();
  for (const [path, data] of Object.entries(parsed.data)) {
    const source = projectSource(path, projectDir);
    if (source && Object.values(data.f).some((n) => n > 0)) called.add(source);
  }
  return [...called].sort();
}
