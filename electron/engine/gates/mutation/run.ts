/**
 * When the mutation gate runs and on what. It runs after the other gates of the phase: a mutation
 * tool starts with the test suite and refuses a failing one, it keeps every core busy (a benchmark
 * beside it would measure the machine, not the code), and what it mutates depends on the others'
 * verdicts. At a gold candidate — every other line passes, counting the cycle's task as done — it
 * mutates all the code, reusing nothing; otherwise only the sources changed since the run's
 * baseline, reusing Stryker's incremental results for what did not change.
 */
import { goldCandidate } from '../candidate.ts';
import { testsItem } from '../checklist/command-gates.ts';
import { measureMutation } from '../measure/mutation.ts';
import type { GateContext, Measurement, MutationRun, MutationScope, MutationSkipped } from '../measurement.ts';
import { changedSinceBaseline } from './changes.ts';
import { DEFAULT_MUTATE, selectFiles } from './globs.ts';

async function scopeOf(ctx: GateContext, m: Measurement): Promise<MutationScope> {
  const stryker = ctx.kb.gates.mutation?.stryker;
  // Other tools (and a Stryker command with a config of its own) mutate what they are set up to, every time.
  if (!stryker) return { kind: 'all', why: 'whole-tool' };
  if (goldCandidate(ctx.kb, m)) return { kind: 'all', why: 'candidate' };
  const changed = await changedSinceBaseline(ctx.projectDir);
  if (typeof changed === 'string') return { kind: 'all', why: changed };
  return { kind: 'changed', files: selectFiles(changed, stryker.mutate ?? DEFAULT_MUTATE) };
}

/** The mutation gate of a phase whose other gates are measured in `m`. */
export async function runMutationGate(ctx: GateContext, m: Measurement): Promise<MutationRun | MutationSkipped> {
  const config = ctx.kb.gates.mutation!;
  const tests = testsItem(ctx.kb, ctx.kb.gates.tests, m.tests);
  if (!tests.passed) {
    return {
      skipped: `not run: a mutation run starts from a passing test suite, and the tests line fails (${tests.evidence.detail})`,
    };
  }
  const scope = await scopeOf(ctx, m);
  if (scope.kind === 'changed' && scope.files.length === 0) {
    return { scope, skipped: 'no source file to mutate changed since the baseline' };
  }
  return measureMutation(config, ctx, scope);
}
