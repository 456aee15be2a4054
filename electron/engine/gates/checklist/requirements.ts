/**
 * The requirements line: a requirement is covered when a passing test names it (in its title, or
 * tagged `[REQ-012]` beside it) and — where a mutation run over all the code says which tests
 * killed which mutant — that test catches a fault: it fails on at least one mutant of the code.
 * A test named after every requirement with nothing in its body kills nothing, and neither does
 * one that fails only on mutants every test fails on (code run on import, such as a patch of the
 * assertion library): those show that the tests run, not that a requirement's test checks anything.
 */
import type { Kb, MutationGateConfig } from '../../../store/kb/schema.ts';
import type { MutationRun, MutationSkipped, RequirementTestRuns, RequirementTestsUnchecked } from '../measurement.ts';
import type { ChecklistItem, TestOutcome } from '../types.ts';
import { item } from './line.ts';

/**
 * Whether a text names the requirement `id` as a whole token (REQ-1 must not match inside
 * REQ-12). Made once per id: the checklist asks it of every passing test, and a plain substring
 * search rules out most texts before the expression runs.
 */
function requirementMatcher(id: string): (text: string) => boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_])`);
  return (text) => text.includes(id) && re.test(text);
}

/** Requirement ids as whole tokens: REQ-1 must not match inside REQ-12. */
export function namesRequirement(text: string, id: string): boolean {
  return requirementMatcher(id)(text);
}

/**
 * A killer as the mutation tool names it is the JUnit report's test when it is that test's name
 * or ends with its title: runners join a test's suites to its title in their own ways
 * (`suite test`, `suite > test`, `Class > method`).
 */
function sameTest(killer: string, test: TestOutcome): boolean {
  const title = test.name.split(' > ').at(-1)!;
  return killer === test.name || killer === title || killer.endsWith(` ${title}`) || killer.endsWith(`>${title}`);
}

/**
 * The tests that catch a fault: those that failed on a mutant not every test fails on. Undefined
 * when the mutation measurement cannot say (`why`, for the evidence).
 */
export function bitingTests(
  config: MutationGateConfig | undefined,
  run: MutationRun | MutationSkipped | undefined,
  passing: number,
): { killers: string[]; mutants: number } | { why: string } {
  if (!config) return { why: 'no mutation tool runs: configure gates.mutation' };
  if (!config.enabled) return { why: 'the mutation gate is switched off' };
  if (!run || 'skipped' in run || !run.report) return { why: 'the mutation gate has not measured the tests in this phase' };
  if (!run.report.killers) {
    const tool = run.report.format === 'stryker' ? "Stryker's command runner over output that is not TAP" : run.report.format;
    return { why: `${tool} does not say which tests kill a mutant` };
  }
  if (run.scope.kind === 'changed') return { why: 'the mutation run covered only the code changed since the baseline' };
  const telling = run.report.mutants.filter((m) => m.killedBy && (passing < 2 || m.killedBy.length < passing));
  return { killers: [...new Set(telling.flatMap((m) => m.killedBy!))], mutants: telling.length };
}

/**
 * Where no mutation tool says which tests bite: the tests naming `id` that were run alone and
 * called no code of the project's sources, when every one measured did so (undefined otherwise).
 */
function idleTests(naming: readonly TestOutcome[], runs: RequirementTestRuns | undefined): string[] | undefined {
  if (!runs) return undefined;
  const measured = naming.filter((t) => runs.tests[t.name]);
  return measured.length > 0 && measured.length === naming.length && measured.every((t) => runs.tests[t.name]!.sources.length === 0)
    ? measured.map((t) => t.name)
    : undefined;
}

/** The rule the line held every requirement to, in words, where no problem is left to name. */
function ruleText(bite: ReturnType<typeof bitingTests>, runs: RequirementTestRuns | undefined, unchecked: string | undefined): string {
  if ('killers' in bite) return 'every requirement is named by a passing test that kills a mutant of the code';
  if (runs)
    return `every requirement is named by a passing test that runs the project's code (run alone with ${runs.runner}'s per-test coverage; ${bite.why})`;
  return `every requirement is named by a passing test (the weaker rule: ${bite.why}, so a test that checks nothing counts too${unchecked ? `; not checked (no mutation tool, ${unchecked})` : ''})`;
}

/** What the covered requirements are covered by, beside the problems of the others, where no mutation tool says which tests bite. */
function othersText(why: string, runs: RequirementTestRuns | undefined, unchecked: string | undefined): string {
  if (runs)
    return `the others are named by a passing test that runs the project's code (run alone with ${runs.runner}'s per-test coverage)`;
  return `the others are named by a passing test, the weaker rule (${why}${unchecked ? `; not checked (no mutation tool, ${unchecked})` : ''})`;
}

export function requirementsItem(
  kb: Kb,
  tests: TestOutcome[] | undefined,
  mutation: MutationRun | MutationSkipped | undefined,
  requirementTests?: RequirementTestRuns | RequirementTestsUnchecked,
): { item: ChecklistItem; uncovered: string[] } {
  const ids = kb.requirements.map((r) => r.id);
  if (ids.length === 0) {
    return {
      uncovered: [],
      item: item('requirements', false, '0/0', '100%', {
        detail: 'no requirements listed: add them (Add requirement in the dashboard, or requirements[] in .ai-knowledge-base.json)',
      }),
    };
  }
  if (!tests) {
    return {
      uncovered: ids,
      item: item('requirements', false, `0/${ids.length}`, '100%', {
        detail:
          'no per-test results (configure gates.tests.junit_report, or test_report for jest --json and go test -json) to trace requirements to passing tests',
      }),
    };
  }
  const passing = tests.filter((t) => t.status === 'passed');
  const bite = bitingTests(kb.gates.mutation, mutation, passing.length);
  const runs = !('killers' in bite) && requirementTests && 'tests' in requirementTests ? requirementTests : undefined;
  const unchecked = requirementTests && 'unchecked' in requirementTests ? requirementTests.unchecked : undefined;
  const unnamed: string[] = [];
  const toothless: string[] = [];
  const idle: string[] = [];
  for (const id of ids) {
    const named = requirementMatcher(id);
    const naming = passing.filter((t) => named(t.name) || t.tags?.includes(id));
    const runsNothing = idleTests(naming, runs);
    if (naming.length === 0) unnamed.push(id);
    else if ('killers' in bite && !bite.killers.some((k) => named(k) || naming.some((t) => t.tags?.includes(id) && sameTest(k, t))))
      toothless.push(id);
    else if (runsNothing) idle.push(`${id} (${runsNothing.map((t) => JSON.stringify(t)).join(', ')})`);
  }
  const isIdle = (id: string): boolean => idle.some((i) => i.startsWith(`${id} (`));
  const uncovered = ids.filter((id) => unnamed.includes(id) || toothless.includes(id) || isIdle(id));
  const covered = ids.length - uncovered.length;
  const problems = [
    unnamed.length ? `not covered by a passing test: ${unnamed.join(', ')}` : '',
    toothless.length ? `named only by tests that catch no fault (kill no mutant of the code): ${toothless.join(', ')}` : '',
    idle.length
      ? `named but does not run the code (run alone, the test runs none of the project's source code): ${idle.join('; ')}; fix: make the test call the code the requirement is about, and check what it returns`
      : '',
  ].filter(Boolean);
  const rule = ruleText(bite, runs, unchecked);
  return {
    uncovered,
    item: item('requirements', uncovered.length === 0, `${covered}/${ids.length} (${Math.round((covered / ids.length) * 100)}%)`, '100%', {
      detail: problems.length
        ? `${problems.join('; ')}${'why' in bite && covered ? `; ${othersText(bite.why, runs, unchecked)}` : ''}`
        : rule,
    }),
  };
}
