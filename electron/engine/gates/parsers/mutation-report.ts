/**
 * Stryker's JSON report: the mutation-testing-report schema (`schemaVersion` 1), which StrykerJS,
 * Stryker.NET and Stryker4s write with their `json` reporter. Each file lists its mutants with
 * status, location, mutator and replacement; `killedBy` names the tests that killed a mutant by
 * their ids in `testFiles`.
 *
 * StrykerJS's command runner knows no tests: it runs the whole test command for each mutant and
 * reports one pseudo-test, "All tests", as the killer, with the command's output as the mutant's
 * `statusReason`. When that output is TAP (`node --test-reporter=tap`, `mocha --reporter tap`),
 * its `not ok` lines name the tests that failed, and those are the mutant's killers.
 */
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { readJson, validate } from './input.ts';
import { MUTANT_STATUSES, mutationReport, ReportError, type Mutant, type MutationReport } from './types.ts';

const EXPECTED = "Stryker's JSON report (the mutation-testing-report schema, schemaVersion 1)";

const position = z.looseObject({ line: z.number().int(), column: z.number().int().optional() });
const mutant = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  mutatorName: z.string(),
  replacement: z.string().optional(),
  // `Pending` is in the schema for reports written while the run goes on; a finished run has none.
  status: z.enum([...MUTANT_STATUSES, 'Pending']),
  statusReason: z.string().optional(),
  killedBy: z.array(z.union([z.string(), z.number()])).optional(),
  location: z.looseObject({ start: position }),
});
const schema = z.looseObject({
  schemaVersion: z.union([z.string(), z.number()]),
  files: z.record(z.string(), z.looseObject({ mutants: z.array(mutant) })),
  testFiles: z.record(z.string(), z.looseObject({ tests: z.array(z.looseObject({ id: z.string(), name: z.string() })) })).optional(),
  projectRoot: z.string().optional(),
});

/** The pseudo-test of StrykerJS's command runner, which runs the whole test command as one. */
const ALL_TESTS = 'All tests';

/**
 * The tests a TAP stream says failed: its `not ok` lines at any depth (a failing subtest fails its
 * parent too), without those marked TODO or SKIP, which do not fail a run.
 */
export function tapFailures(output: string): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const m = /^\s*not ok \d+(?: -)? (.+?)\s*$/.exec(line);
    if (!m || /(^|[^\\])#\s*(TODO|SKIP)\b/i.test(m[1]!)) continue;
    names.add(m[1]!.replace(/\\#/g, '#').replace(/\\\\/g, '\\'));
  }
  return [...names];
}

/**
 * Parses Stryker's JSON report into mutants with their killers.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, not schema version 1, or a run that did not finish
 */
export function parseStrykerReport(text: string, file: string): MutationReport {
  const report = validate(schema, readJson(text, file, EXPECTED), file, EXPECTED);
  if (!/^1(\.|$)/.test(String(report.schemaVersion)))
    throw new ReportError(file, `schemaVersion ${String(report.schemaVersion)}: Goldloop reads version 1 of the schema`);
  const names = new Map<string, string>();
  for (const t of Object.values(report.testFiles ?? {}).flatMap((f) => f.tests)) names.set(t.id, t.name);
  const commandRunner = names.size === 1 && [...names.values()][0] === ALL_TESTS;
  const mutants: Mutant[] = [];
  for (const [name, f] of Object.entries(report.files)) {
    const path = report.projectRoot && isAbsolute(name) ? relative(report.projectRoot, name) : name;
    for (const m of f.mutants) {
      if (m.status === 'Pending')
        throw new ReportError(file, `${path}: mutant ${String(m.id ?? '')} was never run: the run did not finish`);
      const killers = killersOf(m, names, commandRunner);
      mutants.push({
        file: path,
        line: m.location.start.line,
        mutator: m.mutatorName,
        ...(m.replacement !== undefined ? { replacement: m.replacement } : {}),
        status: m.status,
        ...(killers ? { killedBy: killers } : {}),
      });
    }
  }
  return mutationReport('stryker', mutants);
}

/** A killed mutant's killers by name; undefined when the report does not say which tests they were. */
function killersOf(m: z.infer<typeof mutant>, names: Map<string, string>, commandRunner: boolean): string[] | undefined {
  if (m.status !== 'Killed') return undefined;
  if (commandRunner) {
    const failed = tapFailures(m.statusReason ?? '');
    return failed.length ? failed : undefined;
  }
  const killers = (m.killedBy ?? []).map((id) => names.get(String(id))).filter((n): n is string => n !== undefined);
  return killers.length ? killers : undefined;
}
