/**
 * What one gate phase measured, as the gate commands fill it in and the checklist reads it: the
 * context a phase runs in, each command gate's run, and the whole measurement.
 */
import type { HintFacts } from './hint-facts.ts';
import type { Kb } from '../../store/kb/schema.ts';
import type { RunResult } from '../../platform/process.ts';
import type { DocsCheck } from './docs.ts';
import type { CoverageReport, MutationReport, SecurityReport, TestReport } from './parsers/types.ts';
import type { GateId } from './types.ts';

export interface GateContext {
  projectDir: string;
  kb: Kb;
  /**
   * What the phase measures (`cycle-12`, `cycle-12-rollback`, `baseline`, `manual`), which names its
   * evidence folder: `.goldloop/evidence/<label>/`, or with `at`, `.goldloop/evidence/2026-12-02T0105-<label>/`.
   */
  label: string;
  /** When the phase is asked for (ms): its evidence folder is then named by date and label, made unique (`evidence.ts`). */
  at?: number;
  signal?: AbortSignal;
  /** Run the command gates one after another instead of together (the bench compares both). */
  sequential?: boolean;
  /** The run's first measurement: the mutation gate measures the changes of later phases from here. */
  baseline?: boolean;
  /** Told what the phase waits for before it can start (a gate slot: `slots.ts`), and `undefined` once it starts. */
  waiting?: (message: string | undefined) => unknown;
  /** The project's files (`projectFiles`), listed once for the whole phase: the canary, the tags and the requirement tests all read it. */
  files?: () => Promise<string[]>;
}

/** A gate that runs a command. */
export type CommandGateId = 'tests' | 'security' | 'performance' | 'build';

/** One gate command's run: the process result and where its reports were kept. */
export interface CommandRun {
  result: RunResult;
  /** The gate's report_command, run after the command (the tests gate's `coverage xml`). */
  reportResult?: RunResult;
  /** Full stdout, kept only for gates that read their report from it. */
  stdout?: string;
}

export interface TestsRun extends CommandRun {
  report?: TestReport;
  reportError?: string;
  coverage?: CoverageReport;
  coverageError?: string;
  junitCopy?: string;
  coverageCopy?: string;
  /** Files of the JUnit folder that were there before the command started, unchanged, and so not read. */
  junitNotRead?: string[];
  /** Where a report is not configured: what the project's files say for the hint that fixes it. */
  hints?: HintFacts;
}

export interface SecurityRun extends CommandRun {
  report?: SecurityReport;
  error?: string;
  copy?: string;
}

export interface PerformanceRun extends CommandRun {
  metrics?: Record<string, number>;
  error?: string;
  copy?: string;
}

/**
 * What a mutation run mutated: all the code (at a gold candidate, or where the changes cannot be
 * told, or with a tool Goldloop cannot point at files), or the sources changed since the baseline.
 */
export type MutationScope =
  { kind: 'all'; why: 'candidate' | 'not-git' | 'no-baseline' | 'whole-tool' } | { kind: 'changed'; files: string[] };

export interface MutationRun extends CommandRun {
  scope: MutationScope;
  report?: MutationReport;
  error?: string;
  /** The report's copy in the evidence folder (a folder, for mutmut). */
  copy?: string;
  /** Result files that were there before the command started, unchanged, and so not read (mutmut's). */
  notRead?: string[];
}

/** The mutation gate's command did not run, and why: the tests do not pass, or no source changed since the baseline. */
export interface MutationSkipped {
  scope?: MutationScope;
  skipped: string;
}

/** The held-out acceptance tests' run: its JUnit report, kept in the state folder, outside the project. */
export interface HoldoutRun extends CommandRun {
  report?: TestReport;
  error?: string;
  copy?: string;
}

/** The held-out tests did not run, and why: not a gold candidate, or the folder is where the agent can read it. */
export interface HoldoutSkipped {
  skipped: string;
}

/** The canary's run: a sentinel test that must fail (`canary/run.ts`). */
export interface CanaryRun extends CommandRun {
  /** Its tests in the report, and those of them that passed (none, in an honest harness). */
  total: number;
  passed: string[];
  /** How many of the project's modules it loaded, as the project's tests load them. */
  modules: number;
  /** False where an exit code of 0 proves nothing by itself (see `canary/pytest.ts`). */
  exitCodeCounts?: false;
  error?: string;
}

/**
 * Where no mutation tool says which tests catch a fault: what each passing test naming a
 * requirement executed of the project's sources, run alone with per-test coverage
 * (`pertest/run.ts`).
 */
export interface RequirementTestRuns {
  /** The runner, as the line names it: `node:test`. */
  runner: string;
  /** Per test (its name as the checklist lists it): the project's sources of which it called code. */
  tests: Record<string, { sources: string[]; cached?: true }>;
  /** How many tests ran this phase (the others' results were kept from an earlier phase). */
  ran: number;
}

/** The requirement tests' code was not checked: no per-test coverage for this runner, or the tests did not pass. */
export interface RequirementTestsUnchecked {
  unchecked: string;
}

/** What running the project's gates produced; the checklist is evaluated from it and the KB. */
export interface Measurement {
  at: string;
  durationMs: number;
  tests?: TestsRun;
  mutation?: MutationRun | MutationSkipped;
  holdout?: HoldoutRun | HoldoutSkipped;
  /** Absent where a mutation tool runs: its killers decide the requirements line. */
  requirementTests?: RequirementTestRuns | RequirementTestsUnchecked;
  /** Absent where the tests gate runs a runner the canary does not cover yet, or it is switched off. */
  canary?: CanaryRun;
  security?: SecurityRun;
  performance?: PerformanceRun;
  build?: CommandRun;
  docs?: DocsCheck;
  /** Wall time of each gate, for the bench and the evidence. */
  timings?: Partial<Record<GateId, number>>;
  /** The order the command gates started in; the first ran in the foreground (see `measureGates`). */
  order?: CommandGateId[];
}

/** Runs the gate commands of one project; injectable so the schedule can be simulated without processes. */
export type GateRunner = (ctx: GateContext) => Promise<Measurement>;
