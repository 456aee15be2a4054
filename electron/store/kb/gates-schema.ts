/**
 * The `gates` section of the knowledge base: how each line of the completion checklist is
 * measured (the test command and its reports, the mutation tool, the held-out tests, the security
 * scan, the benchmark, the build, the documentation markers). Re-exported by `schema.ts`.
 */
import { z } from 'zod';
import { SECURITY_REPORT_FORMATS, SEVERITY_LEVELS } from '../../contract/settings.ts';
import { argv, positive } from './fields.ts';

export const COVERAGE_FORMATS = ['lcov', 'istanbul-summary', 'istanbul-final', 'cobertura', 'coveragepy', 'gocover', 'jacoco'] as const;
/** Per-test results other than JUnit: jest's `--json` output and `go test -json` (test2json) lines. */
export const TEST_REPORT_FORMATS = ['junit', 'jest-json', 'go-test-json'] as const;
export const SECURITY_FORMATS = SECURITY_REPORT_FORMATS;
/** Mutation reports: Stryker's mutation-testing-report JSON, mutmut's `mutants/` folder, cargo-mutants' outcomes.json, PIT's mutations.xml. */
export const MUTATION_FORMATS = ['stryker', 'mutmut', 'cargo-mutants', 'pit'] as const;
/** StrykerJS's test runners Goldloop writes a config for: its vitest and jest plugins, or its command runner over any test command. */
export const STRYKER_RUNNERS = ['command', 'vitest', 'jest'] as const;

/** Every gate may be switched off by the user; the checklist then says so instead of measuring. */
const gateBase = {
  enabled: z.boolean().default(true),
};

/** A gate that runs a command: argv (never a shell string) with a timeout. */
const commandGate = {
  ...gateBase,
  /** argv; `{reports}` is replaced by a fresh folder Goldloop owns, outside the project. */
  command: argv,
  timeout_minutes: positive.default(10),
};

export const TestsGateSchema = z
  .looseObject({
    ...commandGate,
    /** JUnit XML written by the command, usually under `{reports}`: one file, or a folder of them (Maven Surefire's `target/surefire-reports`, Gradle's `build/test-results/test`). */
    junit_report: z.string().optional(),
    /** Per-test results in another format (jest's `--json --outputFile`, `go test -json` on `stdout`), in place of junit_report. */
    test_report: z.looseObject({ format: z.enum(TEST_REPORT_FORMATS), path: z.string().min(1) }).optional(),
    /** Run after the command, whatever its exit code, to write the reports from the run's data: coverage.py's `coverage xml -o {reports}/coverage.xml` after `coverage run -m pytest`. */
    report_command: argv.optional(),
    /** Coverage written by the same run, so tests and coverage come from one run. */
    coverage_report: z
      .looseObject({
        format: z.enum(COVERAGE_FORMATS),
        path: z.string().min(1),
        /** Globs (relative to the project) of the files that count; default: every file in the report. */
        include: z.array(z.string().min(1)).optional(),
        /** Globs of files that do not count (the tests themselves, generated code). */
        exclude: z.array(z.string().min(1)).optional(),
      })
      .optional(),
  })
  .refine((g) => !(g.junit_report && g.test_report), {
    message:
      'junit_report and test_report both name the per-test results: keep one (test_report with format junit is the same as junit_report)',
    path: ['test_report'],
  });
export type TestsGateConfig = z.infer<typeof TestsGateSchema>;

/**
 * A gate the user switched off before configuring it: `{ "enabled": false }` alone is valid, and its
 * line shows as waived; a gate that measures needs what it lists (its command, ...).
 */
const switchedOffOr = (fields: string[]) => (gate: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (gate.enabled === false) return;
  for (const field of fields)
    if (gate[field] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `give the gate's ${field.replace('_', ' ')} (or switch the gate off with enabled: false)`,
      });
};

export const SecurityGateSchema = z
  .looseObject({
    ...commandGate,
    command: argv.optional(),
    /** The scanner's machine-readable report; `stdout` when it prints the report. */
    report: z.looseObject({ format: z.enum(SECURITY_FORMATS), path: z.string().min(1).default('stdout') }).optional(),
    /** The gate fails on any finding at or above this severity. */
    fail_on: z.enum(SEVERITY_LEVELS).default('high'),
    /** Findings without a severity (pip-audit reports none) fail the gate unless this is false. */
    unknown_fails: z.boolean().default(true),
  })
  .superRefine(switchedOffOr(['command', 'report']));
export type SecurityGateConfig = z.infer<typeof SecurityGateSchema>;

const metricLimit = z
  .looseObject({ max: z.number().optional(), min: z.number().optional() })
  .refine((m) => m.max !== undefined || m.min !== undefined, 'give max, min or both');

export const PerformanceGateSchema = z
  .looseObject({
    ...commandGate,
    command: argv.optional(),
    /** Where the benchmark's JSON ({ "metric": number, ... }) comes from: `stdout` or a file. */
    output: z.string().min(1).default('stdout'),
    /** Per named metric: the value must stay at or below max and at or above min. */
    thresholds: z
      .record(z.string(), metricLimit)
      .refine((t) => Object.keys(t).length > 0, 'name at least one metric')
      .optional(),
  })
  .superRefine(switchedOffOr(['command', 'thresholds']));
export type PerformanceGateConfig = z.infer<typeof PerformanceGateSchema>;

export const BuildGateSchema = z.looseObject({ ...commandGate, command: argv.optional() }).superRefine(switchedOffOr(['command']));
export type BuildGateConfig = z.infer<typeof BuildGateSchema>;

/** A gate as it measures (switched on): what only a switched-off gate may leave out is there, as the schema's refinement holds. */
type Measuring<G, K extends keyof G> = G & { [P in K]-?: Exclude<G[P], undefined> };
export type MeasuringSecurity = Measuring<SecurityGateConfig, 'command' | 'report'>;
export type MeasuringPerformance = Measuring<PerformanceGateConfig, 'command' | 'thresholds'>;
export type MeasuringBuild = Measuring<BuildGateConfig, 'command'>;

/** Where Goldloop writes the Stryker config of a run; the mutation command names it. */
export const STRYKER_CONFIG = '{reports}/stryker.config.json';

/**
 * StrykerJS as Goldloop runs it: Goldloop writes the config (into `{reports}`, never into the
 * project) from these fields, with the JSON report at `report.path`, the sandbox and the
 * incremental file outside the project, and the files to mutate for this run.
 */
export const StrykerSchema = z
  .looseObject({
    test_runner: z.enum(STRYKER_RUNNERS).default('command'),
    /** For the command runner: the test command (argv), run once per mutant. */
    command: argv.optional(),
    /** The files to mutate, as globs relative to the project (`!` excludes); Stryker's usual `src/` and `lib/` sources otherwise. */
    mutate: z.array(z.string().min(1)).min(1, 'name at least one file or glob').optional(),
    /** More of Stryker's options (`concurrency`, `timeoutMS`, `vitest`, `mutator`, ...), written into the config as they are; Goldloop's own keys win. */
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((s) => s.test_runner !== 'command' || s.command, { message: 'the command runner needs the test command', path: ['command'] });
export type StrykerConfig = z.infer<typeof StrykerSchema>;

export const MutationGateSchema = z
  .looseObject({
    ...commandGate,
    /** Only a gate switched off may go without: `{ "enabled": false }` shows the line as OFF where no mutation tool runs. */
    command: argv.optional(),
    timeout_minutes: positive.default(30),
    /** The mutation tool's report; `{reports}/mutation.json`, Stryker's JSON, unless said otherwise. */
    report: z
      .looseObject({ format: z.enum(MUTATION_FORMATS), path: z.string().min(1) })
      .default({ format: 'stryker', path: '{reports}/mutation.json' }),
    /** The share of mutants the tests must kill, in percent. */
    threshold: z.number().min(0).max(100).default(60),
    /** Set: Goldloop writes the Stryker config the command reads (`{reports}/stryker.config.json`). */
    stryker: StrykerSchema.optional(),
  })
  .refine((g) => g.command || !g.enabled, {
    message: "give the mutation tool's command (or switch the gate off with enabled: false)",
    path: ['command'],
  })
  .refine((g) => !g.stryker || !g.command || g.command.some((arg) => arg.includes(STRYKER_CONFIG)), {
    message: `the command must read the config Goldloop writes: name ${STRYKER_CONFIG} in it (e.g. npx --no -- stryker run ${STRYKER_CONFIG})`,
    path: ['command'],
  });
export type MutationGateConfig = z.infer<typeof MutationGateSchema>;
/**
 * Held-out acceptance tests: a folder outside the project, with tests the user wrote and the agent
 * never sees, run against the project at every gold candidate. The command runs in the project's
 * folder (so the tests reach its code from there) and names the folder as `{holdout}`.
 */
export const HoldoutGateSchema = z.looseObject({
  ...commandGate,
  /** An absolute path outside the project. */
  dir: z.string().regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\)/, 'give an absolute path to a folder outside the project'),
  /** The JUnit XML the command writes; every test in it must pass. */
  junit_report: z.string().min(1).default('{reports}/junit.xml'),
});
export type HoldoutGateConfig = z.infer<typeof HoldoutGateSchema>;

export const DEFAULT_DOC_MARKERS = ['TODO', 'TBD', 'FIXME', 'lorem ipsum'];

export const DocsGateSchema = z.looseObject({
  ...gateBase,
  /** Documents that must exist and be finished (the KB's `documents` are added). */
  files: z.array(z.string().min(1)).default(['README.md']),
  /** Unfinished markers, matched as whole words, case-insensitively. */
  markers: z.array(z.string().min(1)).default(DEFAULT_DOC_MARKERS),
});
export type DocsGateConfig = z.infer<typeof DocsGateSchema>;

export const GatesSchema = z.looseObject({
  tests: TestsGateSchema.optional(),
  mutation: MutationGateSchema.optional(),
  holdout: HoldoutGateSchema.optional(),
  /** The canary, a test that must fail, run in every gate phase; on unless switched off here. */
  canary: z.looseObject({ enabled: z.boolean().default(true) }).optional(),
  security: SecurityGateSchema.optional(),
  performance: PerformanceGateSchema.optional(),
  docs: DocsGateSchema.prefault({}),
  build: BuildGateSchema.optional(),
});
export type GatesConfig = z.infer<typeof GatesSchema>;
