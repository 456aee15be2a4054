/**
 * cargo-mutants' `mutants.out/outcomes.json`: one outcome per scenario, the baseline (the tests
 * without a mutation) first, then one per mutant with its summary. cargo-mutants runs `cargo test`
 * whole for each mutant and does not say which tests failed, so the killers are unknown.
 */
import { z } from 'zod';
import { readJson, validate } from './input.ts';
import { mutationReport, ReportError, type Mutant, type MutantStatus, type MutationReport } from './types.ts';

const EXPECTED = "cargo-mutants' outcomes.json (mutants.out/outcomes.json)";

const line = z.looseObject({ line: z.number().int() });
// cargo-mutants 23 and later give spans; earlier versions a line and a function name.
const scenario = z.looseObject({
  file: z.string(),
  line: z.number().int().optional(),
  span: z.looseObject({ start: line }).optional(),
  function: z.union([z.string(), z.looseObject({ function_name: z.string() })]).optional(),
  replacement: z.string().optional(),
  genre: z.string().optional(),
});
const schema = z.looseObject({
  outcomes: z.array(z.looseObject({ scenario: z.union([z.string(), z.looseObject({ Mutant: scenario })]), summary: z.string() })),
});

const STATUS: Record<string, MutantStatus> = {
  CaughtMutant: 'Killed',
  MissedMutant: 'Survived',
  Timeout: 'Timeout',
  Unviable: 'CompileError',
};

/**
 * Parses outcomes.json into mutants. A failed baseline means no mutant was tested.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, not outcomes.json, or the baseline failed
 */
export function parseCargoMutants(text: string, file: string): MutationReport {
  const report = validate(schema, readJson(text, file, EXPECTED), file, EXPECTED);
  const mutants: Mutant[] = [];
  for (const o of report.outcomes) {
    if (typeof o.scenario === 'string') {
      if (o.scenario === 'Baseline' && o.summary !== 'Success')
        throw new ReportError(file, `the baseline (the tests without a mutation) ended ${o.summary}: no mutant was tested`);
      continue;
    }
    const m = o.scenario.Mutant;
    const fn = typeof m.function === 'string' ? m.function : m.function?.function_name;
    const at = m.span?.start.line ?? m.line;
    mutants.push({
      file: m.file,
      ...(at !== undefined ? { line: at } : {}),
      mutator: m.genre ?? (fn ? `in ${fn}` : 'mutant'),
      ...(m.replacement !== undefined ? { replacement: m.replacement } : {}),
      // `Failure`: the scenario could not be run (cargo-mutants' own error): not a verdict on the tests.
      status: STATUS[o.summary] ?? 'RuntimeError',
    });
  }
  return mutationReport('cargo-mutants', mutants);
}
