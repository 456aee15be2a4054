/**
 * The mutation line, "Tests catch faults": the share of mutants — small faults put into the code
 * one at a time — that make a test fail, against the KB's threshold. Gold needs it measured over
 * all the code; between gold candidates it is measured over the sources changed since the baseline.
 */
import type { MutationGateConfig } from '../../../store/kb/schema.ts';
import type { MutationRun, MutationScope, MutationSkipped } from '../measurement.ts';
import type { Mutant } from '../parsers/types.ts';
import { SURVIVORS_IN_DETAIL, type ChecklistItem, type SurvivingMutant } from '../types.ts';
import { baseEvidence, commandFailure, notMeasured, whyFailed } from './command-gates.ts';
import { disabled, item } from './line.ts';

/** Surviving mutants a line keeps (the dashboard shows fewer, with the count). */
const KEEP_SURVIVORS = 20;

export const NOT_CONFIGURED =
  'no mutation testing configured: set gates.mutation { command, report: { format, path }, threshold } — `goldloop init` proposes StrykerJS, mutmut, cargo-mutants or PIT where the project has it — so that Goldloop measures whether the tests fail on a broken program';

function scopeText(scope: MutationScope): string {
  if (scope.kind === 'changed') return `the ${scope.files.length} source file(s) changed since the baseline`;
  if (scope.why === 'candidate') return 'all the code (every other line passes: a gold candidate)';
  if (scope.why === 'not-git') return 'all the code (not a git repository: what changed since the baseline cannot be told)';
  if (scope.why === 'no-baseline') return 'all the code (no baseline of this run to compare with)';
  return 'all the code';
}

/** `src/a.js:12 EqualityOperator → a <= b`, as the evidence and the CLI show a mutant. */
export function mutantText(m: Pick<Mutant, 'file' | 'line' | 'mutator' | 'replacement'>): string {
  const replacement = m.replacement === undefined ? '' : ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 80)}`;
  return `${m.file}${m.line === undefined ? '' : `:${m.line}`} ${m.mutator}${replacement}`;
}

export function survivorsOf(mutants: Mutant[]): { mutants: SurvivingMutant[]; total: number } {
  const alive = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  return {
    total: alive.length,
    mutants: alive.slice(0, KEEP_SURVIVORS).map((m) => ({
      file: m.file,
      ...(m.line !== undefined ? { line: m.line } : {}),
      mutator: m.mutator,
      ...(m.replacement !== undefined ? { replacement: m.replacement } : {}),
      status: m.status as SurvivingMutant['status'],
    })),
  };
}

/**
 * The mutation line. `othersPass`: every other line passes, so only a run over all the code can
 * make this one pass (a run over the changes since the baseline leaves the rest unmeasured).
 */
export function mutationItem(
  config: MutationGateConfig | undefined,
  run: MutationRun | MutationSkipped | undefined,
  othersPass: boolean,
): ChecklistItem {
  if (!config) return item('mutation', false, null, null, { detail: NOT_CONFIGURED });
  if (!config.enabled) return disabled('mutation', 'mutation');
  const threshold = config.threshold;
  const command = config.command ?? [];
  if (!run) return { ...notMeasured('mutation', command), threshold };
  const needsAll = '; every other line passes, so the next measurement mutates all the code, which gold needs';
  if ('skipped' in run) {
    const nothingChanged = run.scope?.kind === 'changed';
    return item('mutation', nothingChanged && !othersPass, nothingChanged ? 'no change' : null, threshold, {
      command,
      detail: `${run.skipped}${nothingChanged ? (othersPass ? needsAll : '; all the code is mutated at a gold candidate') : ''}`,
    });
  }
  const base = baseEvidence(command, run, run.copy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'mutation run');
  if (failure) return item('mutation', false, null, threshold, { ...base, detail: failure });
  const r = run.report;
  if (!r) {
    const why = run.result.exitCode !== 0 ? ` (exit ${String(run.result.exitCode)}: ${whyFailed(run.result)})` : '';
    return item('mutation', false, null, threshold, { ...base, detail: `${run.error ?? 'no mutation report'}${why}` });
  }
  const partial = run.scope.kind === 'changed';
  const c = r.counts;
  const caught = c.Killed + c.Timeout;
  const valid = caught + c.Survived + c.NoCoverage;
  const survivors = survivorsOf(r.mutants);
  const counts = [
    `${c.Killed} killed`,
    c.Timeout ? `${c.Timeout} timed out` : '',
    `${c.Survived} survived`,
    c.NoCoverage ? `${c.NoCoverage} not run by any test` : '',
    c.CompileError + c.RuntimeError ? `${c.CompileError + c.RuntimeError} invalid` : '',
    c.Ignored ? `${c.Ignored} ignored` : '',
  ].filter(Boolean);
  let detail =
    r.score === null
      ? `no mutant to test in ${scopeText(run.scope)}${partial ? '' : ': check which files gates.mutation mutates'}`
      : `${caught}/${valid} mutants caught (${r.score}%) in ${scopeText(run.scope)}: ${counts.join(', ')}`;
  if (survivors.total)
    detail += `${SURVIVORS_IN_DETAIL}${survivors.mutants.slice(0, 5).map(mutantText).join('; ')}${survivors.total > 5 ? ` and ${survivors.total - 5} more` : ''}`;
  if (run.notRead?.length) detail += `; not read, left from before this run: ${run.notRead.slice(0, 3).join(', ')}`;
  const measured = r.score === null ? partial : r.score >= threshold;
  if (partial && othersPass) detail += needsAll;
  return item('mutation', measured && (!partial || !othersPass), r.score, threshold, {
    ...base,
    detail,
    ...(survivors.total ? { survivors } : {}),
  });
}
