/**
 * Requirement tests that run the code, where no mutation tool runs: each passing test that names a
 * requirement is run alone (its runner's name filter) with per-test coverage, and a test that
 * calls no function of the project's sources is named but does not test anything. Only those tests
 * run, one at a time, after the other gates; a test's result is kept (in the state folder) under a
 * hash of the command, its name and the test files that hold its name, and measured again when
 * one of those changes, or at a gold candidate, where nothing kept is taken on trust.
 *
 * Runners: node's test runner (`--test-name-pattern`, V8's coverage from `NODE_V8_COVERAGE`),
 * vitest and jest (`-t`, their own coverage as istanbul JSON). Others are named on the line as not
 * checked.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../../platform/atomic.ts';
import { STATE_FILES, stateFile } from '../../../store/state-folder.ts';
import { runnerAt } from '../canary/runner.ts';
import { listedFiles } from '../project-files.ts';
import { goldCandidate } from '../candidate.ts';
import { testOutcomes } from '../checklist/checklist.ts';
import { namesRequirement } from '../checklist/requirements.ts';
import { runGateCommand } from '../command.ts';
import type { GateContext, Measurement, RequirementTestRuns, RequirementTestsUnchecked } from '../measurement.ts';
import { TEST_FILE } from '../tags.ts';
import { pytestArgs } from '../canary/pytest.ts';
import { contextSourcesRun, istanbulSourcesCalled } from './istanbul.ts';
import { sourcesCalled } from './v8.ts';

type Kept = Record<string, { key: string; sources: string[] }>;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** How one test runs alone with per-test coverage: the command, its environment, and what it called, read from `{reports}`. */
export interface AloneRun {
  runner: string;
  command: string[];
  env?: Record<string, string>;
  /** Run after it, as a gate's report_command (coverage.py's `coverage json`). */
  report?: string[];
  /** The project's sources it called code of, from the run's reports folder; undefined when the run wrote no coverage. */
  read: (reports: string, projectDir: string) => Promise<string[] | undefined>;
}

/** The command that runs one node:test test alone, by its own title; undefined when the command does not run node's test runner. */
export function nodeTestAlone(command: readonly string[], title: string): string[] | undefined {
  const at = runnerAt(command, 'node');
  if (!at || !at.args.includes('--test')) return undefined;
  // Before the other arguments: after `--test`, the rest are the test files.
  return [...at.prefix, `--test-name-pattern=^${escapeRegex(title)}$`, ...at.args];
}

/**
 * One test alone, for the runners that can: node's test runner (V8's raw coverage), vitest and jest
 * (their own coverage, as istanbul JSON; vitest needs its coverage provider installed). Their name
 * filters match the whole name (suites and title), so the title is matched at the end.
 */
export function aloneRun(command: readonly string[], title: string): AloneRun | undefined {
  const node = nodeTestAlone(command, title);
  if (node)
    return {
      runner: 'node:test',
      command: node,
      env: { NODE_V8_COVERAGE: '{reports}/v8' },
      read: (reports, dir) => sourcesCalled(join(reports, 'v8'), dir),
    };
  const pattern = `${escapeRegex(title)}$`;
  const istanbul = (reports: string, dir: string): Promise<string[] | undefined> =>
    istanbulSourcesCalled(join(reports, 'cov', 'coverage-final.json'), dir);
  const vitest = runnerAt(command, 'vitest');
  if (vitest)
    return {
      runner: 'vitest',
      command: [
        ...vitest.prefix,
        ...vitest.args,
        '-t',
        pattern,
        '--coverage.enabled=true',
        '--coverage.reporter=json',
        '--coverage.reportsDirectory={reports}/cov',
      ],
      read: istanbul,
    };
  const jest = runnerAt(command, 'jest');
  if (jest)
    return {
      runner: 'jest',
      command: [...jest.prefix, ...jest.args, '-t', pattern, '--coverage', '--coverageReporters=json', '--coverageDirectory={reports}/cov'],
      read: istanbul,
    };
  return pytestAlone(command, title);
}

/**
 * A pytest test alone (`-k` its function's name, its own context picked from the report), with
 * pytest-cov's per-test contexts and coverage.py's JSON report of them.
 */
function pytestAlone(command: readonly string[], title: string): AloneRun | undefined {
  const pytest = runnerAt(command, 'pytest');
  if (!pytest) return undefined;
  const program = pytest.prefix.at(-1)!;
  const coverage =
    pytest.prefix.at(-2) === '-m'
      ? [...pytest.prefix.slice(0, -1), 'coverage']
      : [...pytest.prefix.slice(0, -1), program.includes('/') ? join(dirname(program), 'coverage') : 'coverage'];
  return {
    runner: 'pytest',
    command: [...pytest.prefix, ...pytestArgs(pytest.args), '-k', title, '--cov=.', '--cov-context=test', '--cov-report='],
    env: { COVERAGE_FILE: '{reports}/.coverage' },
    report: [...coverage, 'json', '--show-contexts', '-o', '{reports}/coverage.json'],
    read: (reports, dir) => contextSourcesRun(join(reports, 'coverage.json'), dir, title),
  };
}

/** The runner a command runs, in words for the line: its program after launchers. */
function runnerName(command: readonly string[]): string {
  for (const name of ['vitest', 'jest', 'pytest', 'mocha', 'go', 'cargo', 'mvn', 'gradle', 'npm', 'pnpm', 'yarn'])
    if (runnerAt(command, name)) return name;
  return command[0] ?? 'no command';
}

/** The test files' texts, read once per phase. */
async function testFiles(ctx: GateContext): Promise<{ path: string; text: string }[]> {
  const { projectDir } = ctx;
  const files = (await listedFiles(ctx)).filter((f) => TEST_FILE.test(f)).slice(0, 2000);
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(join(projectDir, path), 'utf8').catch(() => '') })));
}

/** A test's key: what makes it the same test, measured before. */
function keyOf(command: readonly string[], name: string, title: string, files: readonly { path: string; text: string }[]): string {
  const hash = createHash('sha256').update(JSON.stringify(command)).update('\0').update(name);
  for (const f of files) if (f.text.includes(title)) hash.update('\0').update(f.path).update('\0').update(f.text);
  return hash.digest('hex');
}

/**
 * Runs each passing requirement test alone with coverage; undefined where a mutation tool decides
 * (or there are no requirements, or no test results).
 */
export async function runRequirementTests(
  ctx: GateContext,
  m: Measurement,
): Promise<RequirementTestRuns | RequirementTestsUnchecked | undefined> {
  const { kb } = ctx;
  const config = kb.gates.tests;
  if (kb.gates.mutation?.enabled || !config?.enabled || kb.requirements.length === 0) return undefined;
  const tests = testOutcomes(m.tests);
  if (!tests) return undefined;
  const naming = tests.filter(
    (t) => t.status === 'passed' && kb.requirements.some((r) => namesRequirement(t.name, r.id) || t.tags?.includes(r.id)),
  );
  if (naming.length === 0) return undefined;
  const probe = aloneRun(config.command, 'x');
  if (!probe) return { unchecked: `no per-test coverage for ${runnerName(config.command)}` };
  const keptFile = await stateFile(ctx.projectDir, STATE_FILES.requirementTests);
  const kept: Kept = JSON.parse(await readFile(keptFile, 'utf8').catch(() => '{}')) as Kept;
  const fresh = goldCandidate(kb, m);
  const files = await testFiles(ctx);
  const out: RequirementTestRuns = { runner: probe.runner, tests: {}, ran: 0 };
  // In the tests' order, a kept result where one holds, else the run that measures it.
  const measured: { name: string; sources: Promise<string[] | undefined> | string[]; key?: string }[] = [];
  // One run at a time, each started as soon as the one before has ended: the next one's reports
  // folder and sandbox are made while the one before runs, and its coverage is read while the next runs.
  let previousEnded: Promise<unknown> = Promise.resolve();
  let failed = false;
  for (const test of naming) {
    if (ctx.signal?.aborted || failed) break;
    const title = test.name.split(' > ').at(-1)!;
    const key = keyOf(config.command, test.name, title, files);
    const before = kept[test.name];
    if (!fresh && before?.key === key) {
      measured.push({ name: test.name, sources: before.sources });
      continue;
    }
    const startAfter = previousEnded;
    let ended!: () => void;
    previousEnded = new Promise<void>((resolve) => (ended = resolve));
    const sources = runAlone(ctx, config, title, { startAfter, ended });
    sources.catch(() => {
      failed = true;
      ended();
    });
    measured.push({ name: test.name, sources, key });
    out.ran++;
    // Never more than the run under way and the next one, made ready.
    await startAfter;
  }
  // A run that failed ends the phase's runs, with none left running behind it.
  await Promise.allSettled(measured.map((m) => m.sources));
  for (const { name, sources, key } of measured) {
    const called = await sources;
    // No coverage written (the runner's coverage tool is not installed): not measured, and not kept.
    if (!called) continue;
    out.tests[name] = key ? { sources: called } : { sources: called, cached: true };
    if (key) kept[name] = { key, sources: called };
  }
  await mkdir(join(keptFile, '..'), { recursive: true });
  await writeFileAtomic(keptFile, `${JSON.stringify(kept, null, 2)}\n`);
  return out;
}

/** One test run alone with per-test coverage: the project's sources it called code of. */
async function runAlone(
  ctx: GateContext,
  config: { command: string[]; timeout_minutes: number },
  title: string,
  turn: { startAfter: Promise<unknown>; ended: () => void },
): Promise<string[] | undefined> {
  const alone = aloneRun(config.command, title)!;
  const run = await runGateCommand(
    { command: alone.command, timeout_minutes: config.timeout_minutes, ...(alone.report ? { report_command: alone.report } : {}) },
    ctx,
    { reportPaths: [], ...(alone.env ? { env: alone.env } : {}), ...turn },
    async (done, place) => ({ ...done, sources: await alone.read(place.path('{reports}'), ctx.projectDir) }),
  );
  return run.sources;
}
