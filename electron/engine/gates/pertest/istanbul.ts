/**
 * What one test run executed of the project's code, from the coverage tools' JSON: an istanbul
 * `coverage-final.json` (vitest's and jest's coverage with the `json` reporter), where a project
 * source counts as run when one of its functions was called (the module's own top level is no
 * function there, so an import alone counts for nothing); coverage.py's with contexts (pytest).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { projectSource } from './v8.ts';

const IstanbulFile = z.looseObject({ f: z.record(z.string(), z.number()).default({}) });
const Istanbul = z.record(z.string(), IstanbulFile);

/** The project's source files of which a function was called, from the istanbul JSON file at `file`; undefined without one. */
export async function istanbulSourcesCalled(file: string, projectDir: string): Promise<string[] | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = Istanbul.safeParse(raw);
  if (!parsed.success) return undefined;
  const called = new Set<string>();
  for (const [path, data] of Object.entries(parsed.data)) {
    const source = projectSource(path, projectDir);
    if (source && Object.values(data.f).some((n) => n > 0)) called.add(source);
  }
  return [...called].sort();
}

const ContextsJson = z.object({
  files: z.record(z.string(), z.looseObject({ contexts: z.record(z.string(), z.array(z.string())).default({}) })),
});

/**
 * The project's source files with a line run by the pytest test `name`, from coverage.py's JSON
 * report with contexts (`--cov-context=test`, `coverage json --show-contexts`): a line run while
 * the test ran carries its context (`path::name|run`); an import at collection carries none.
 */
export async function contextSourcesRun(file: string, projectDir: string, name: string): Promise<string[] | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = ContextsJson.safeParse(raw);
  if (!parsed.success) return undefined;
  const mine = (context: string): boolean => context.includes(`::${name}|`);
  const run = new Set<string>();
  for (const [path, data] of Object.entries(parsed.data.files)) {
    const source = projectSource(path, projectDir);
    if (source && Object.values(data.contexts).some((contexts) => contexts.some(mine))) run.add(source);
  }
  return [...run].sort();
}
