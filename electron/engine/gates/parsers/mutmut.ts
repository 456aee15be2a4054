/**
 * mutmut 3's results: `mutants/<source path>.meta`, one JSON file per source file, whose
 * `exit_code_by_key` maps each mutant (`pkg.mod.x_func__mutmut_3`) to the exit code of the test
 * run with that mutant active. mutmut names the function, not the line, and not the tests that
 * failed, so the killers are unknown.
 */
import { z } from 'zod';
import { readJson, validate } from './input.ts';
import { mutationReport, ReportError, type Mutant, type MutantStatus, type MutationReport } from './types.ts';

const EXPECTED = "a mutmut 3 result file (mutants/<file>.meta with 'exit_code_by_key')";

const schema = z.looseObject({ exit_code_by_key: z.record(z.string(), z.number().int().nullable()) });

/**
 * mutmut's own reading of a test run's exit code (`status_by_exit_code` in mutmut 3): pytest's 1
 * (tests failed) and 3 (internal error) kill a mutant, 0 lets it survive, 5 and 33 mean no test
 * ran it, 36 and the CPU-limit signals are timeouts, 37 a mutant the type checker refused, 34
 * skipped. A crash (segfault) and the codes mutmut calls suspicious are not a verdict on the tests.
 */
function statusOf(code: number | null): MutantStatus | undefined {
  if (code === null) return undefined;
  if (code === 1 || code === 3) return 'Killed';
  if (code === 0) return 'Survived';
  if (code === 5 || code === 33) return 'NoCoverage';
  if ([36, 24, -24, 152, 255].includes(code)) return 'Timeout';
  if (code === 37) return 'CompileError';
  if (code === 34) return 'Ignored';
  return 'RuntimeError';
}

/**
 * The mutants of one `.meta` file, for the source file it describes.
 * @throws ReportError when the text is not a mutmut result file, or a mutant was never run (the run did not finish)
 */
export function mutmutMutants(text: string, file: string, source: string): Mutant[] {
  const meta = validate(schema, readJson(text, file, EXPECTED), file, EXPECTED);
  const mutants: Mutant[] = [];
  for (const [key, code] of Object.entries(meta.exit_code_by_key)) {
    const status = statusOf(code);
    if (!status) throw new ReportError(file, `mutant ${key} was never run: the run did not finish`);
    // `pkg.mod.x_slugify__mutmut_3` -> `slugify #3`; a method is `xǁClassǁmethod__mutmut_3`.
    const m = /(?:^|\.)x[_ǁ](.+)__mutmut_(\d+)$/.exec(key);
    mutants.push({ file: source, mutator: m ? `${m[1]!.replaceAll('ǁ', '.')} #${m[2]}` : key, status });
  }
  return mutants;
}

/** Every `.meta` file of a run, as one report. */
export function parseMutmut(files: { text: string; file: string; source: string }[]): MutationReport {
  return mutationReport(
    'mutmut',
    files.flatMap((f) => mutmutMutants(f.text, f.file, f.source)),
  );
}
