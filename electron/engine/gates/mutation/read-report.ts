/**
 * Reads a mutation run's report in its tool's format: one file (Stryker's JSON, cargo-mutants'
 * outcomes.json, PIT's mutations.xml) kept in the evidence folder first, or mutmut's folder of
 * `.meta` files, of which only those this run wrote are read.
 */
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { MutationGateConfig } from '../../../store/kb/schema.ts';
import { keep, type ReportPlace } from '../command.ts';
import { parseCargoMutants } from '../parsers/cargo-mutants.ts';
import { parseStrykerReport } from '../parsers/mutation-report.ts';
import { parseMutmut } from '../parsers/mutmut.ts';
import { parsePit } from '../parsers/pit.ts';
import { ReportError, type MutationReport } from '../parsers/types.ts';

type Format = MutationGateConfig['report']['format'];

const FILE_PARSERS: Record<Exclude<Format, 'mutmut'>, (text: string, file: string) => MutationReport> = {
  stryker: parseStrykerReport,
  'cargo-mutants': parseCargoMutants,
  pit: parsePit,
};

/** Every `.meta` file under mutmut's folder (absolute paths); none when it does not exist. */
export async function metaFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return (
    entries
      .filter((e) => e.isFile() && e.name.endsWith('.meta'))
      // `parentPath` from Node 20.12; `path` before it.
      .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
      .sort()
  );
}

export interface ReadMutation {
  report: MutationReport;
  copy: string;
  notRead: string[];
}

/** Reads the report; throws ReportError (or the file system's ENOENT) when there is none to read. */
export async function readMutationReport(
  config: MutationGateConfig['report'],
  place: ReportPlace,
  evidenceDir: string,
): Promise<ReadMutation> {
  const path = place.path(config.path);
  if (config.format !== 'mutmut') {
    const { copy, text } = await keep(path, place, evidenceDir, config.format === 'pit' ? 'mutations.xml' : 'mutation.json');
    return { report: FILE_PARSERS[config.format](text, copy), copy, notRead: [] };
  }
  const all = await metaFiles(path);
  const stale = await Promise.all(all.map((f) => place.before.isLeftOver(f)));
  const fresh = all.filter((_, i) => !stale[i]);
  const notRead = all.filter((_, i) => stale[i]).map((f) => relative(path, f));
  if (fresh.length === 0) {
    throw new ReportError(
      path,
      notRead.length
        ? `no .meta file was written by this run (${notRead.length} left from before it are not read): remove the folder before the run, so that mutmut tests every mutant again`
        : 'no .meta file: did mutmut run?',
    );
  }
  const copy = join(evidenceDir, 'mutmut');
  const files = await Promise.all(
    fresh.map(async (f) => {
      const name = relative(path, f);
      const kept = join(copy, name);
      await mkdir(join(kept, '..'), { recursive: true });
      await cp(f, kept);
      return { text: await readFile(kept, 'utf8'), file: kept, source: name.slice(0, -'.meta'.length) };
    }),
  );
  return { report: parseMutmut(files), copy, notRead };
}
