import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';
import type { BuildGateConfig, Kb, PerformanceGateConfig, SecurityGateConfig, TestsGateConfig } from '../../store/kb/schema.ts';
import { runProcess, type RunResult } from '../../platform/process.ts';
import { allTasks, dependencyProblems, phaseProgress } from '../tasks/queue.ts';
import { readCoverage } from './coverage.ts';
import { checkDocs, type DocsCheck } from './docs.ts';
import { readJUnitReport } from './junit-report.ts';
import { LEFT_OVER_REASON, ReportsBefore } from './left-over.ts';
import { attachTags, indexTags, type TagIndex } from './tags.ts';
import { parseNpmAudit } from './parsers/npm-audit.ts';
import { parseOsv } from './parsers/osv.ts';
import { parsePipAudit } from './parsers/pip-audit.ts';
import { parseSarif } from './parsers/sarif.ts';
import { failingFindings } from './parsers/severity.ts';
import { ReportError, type CoverageReport, type SecurityReport, type TestReport } from './parsers/types.ts';
import { GATE_LABELS, type ChecklistItem, type Evidence, type GateId, type GateRun, type TestOutcome } from './types.ts';

export interface GateContext {
  projectDir: string;
  kb: Kb;
  /** Names the evidence folder: `.goldloop/evidence/<label>/`. */
  label: string;
  signal?: AbortSignal;
  /** Run the command gates one after another instead of together (the bench compares both). */
  sequential?: boolean;
}

/** A gate that runs a command. */
type CommandGateId = 'tests' | 'security' | 'performance' | 'build';

/** One gate command's run: the process result and where its reports were kept. */
export interface CommandRun {
  result: RunResult;
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

/** What running the project's gates produced; the checklist is evaluated from it and the KB. */
export interface Measurement {
  at: string;
  durationMs: number;
  tests?: TestsRun;
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

const EVIDENCE_KEEP = 20;
const MAX_STDOUT = 32 * 1024 * 1024;
/** Each gate's wall time in the last gate phase, in `.goldloop/`: the next phase starts the longest first. */
const TIMINGS_FILE = 'gate-timings.json';
/** Background gates yield the CPU to the foreground gate while it runs. */
const BACKGROUND_NICENESS = 10;

const item = (
  id: GateId,
  passed: boolean,
  value: ChecklistItem['value'],
  threshold: ChecklistItem['threshold'],
  evidence: Evidence,
): ChecklistItem => ({
  id,
  label: GATE_LABELS[id],
  passed,
  value,
  threshold,
  evidence,
});

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

const expand = (value: string, reports: string, projectDir: string): string => {
  const out = value.replaceAll('{reports}', reports);
  return isAbsolute(out) ? out : join(projectDir, out);
};

/** Where a gate's report files are, as `read` gets them: the paths filled in, and what stood there before the command ran. */
interface ReportPlace {
  /** `{reports}` filled in; relative paths resolved against the project. */
  path: (configured: string) => string;
  before: ReportsBefore;
}

/**
 * Runs one gate command with `{reports}` pointing at a fresh folder Goldloop owns, outside the
 * project: nothing the agent could prepare in advance. A report path configured elsewhere (inside
 * the project, as Maven's) is noted before the command starts, so that `read` can tell the files
 * this run wrote from those left there before. `read` runs while the folder still exists.
 */
async function runGateCommand<T extends CommandRun>(
  config: { command: string[]; timeout_minutes: number },
  ctx: GateContext,
  options: { keepStdout?: boolean; background?: Promise<unknown>; reportPaths: (string | undefined)[] },
  read: (run: CommandRun, place: ReportPlace, evidenceDir: string) => Promise<T>,
): Promise<T> {
  const reports = await mkdtemp(join(tmpdir(), 'goldloop-reports-'));
  const evidenceDir = join(ctx.projectDir, GOLDLOOP_DIR, 'evidence', ctx.label);
  try {
    const path = (configured: string): string => expand(configured, reports, ctx.projectDir);
    const outside = options.reportPaths.filter((p): p is string => p !== undefined && p !== 'stdout' && !p.includes('{reports}'));
    const place: ReportPlace = { path, before: await ReportsBefore.take(outside.map(path)) };
    let stdout = '';
    let overflow = false;
    const result = await runProcess(
      config.command.map((arg) => arg.replaceAll('{reports}', reports)),
      {
        cwd: ctx.projectDir,
        env: { GOLDLOOP_REPORT_DIR: reports, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' },
        timeoutMs: config.timeout_minutes * 60_000,
        signal: ctx.signal,
        // A background gate yields the CPU to the foreground gate (the one expected to take longest)
        // until that one ends, so running it alongside costs the phase little more than the
        // foreground gate alone; then it goes back to normal priority, so that it is not starved
        // into its own timeout.
        ...(options.background && !ctx.sequential ? { niceness: BACKGROUND_NICENESS, nicenessUntil: options.background } : {}),
        ...(options.keepStdout
          ? {
              onLine: (line: string, stream: 'stdout' | 'stderr') => {
                if (stream !== 'stdout' || overflow) return;
                if (stdout.length + line.length > MAX_STDOUT) overflow = true;
                else stdout += `${line}\n`;
              },
            }
          : {}),
      },
    );
    await mkdir(evidenceDir, { recursive: true });
    return await read({ result, ...(options.keepStdout ? { stdout: overflow ? '' : stdout } : {}) }, place, evidenceDir);
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

/** Why a report could not be read when it is not a `ReportError`: usually it was never written. */
const unreadable = (error: unknown, shown: string): string =>
  (error as NodeJS.ErrnoException).code === 'ENOENT' || !(error instanceof Error)
    ? notWritten(shown)
    : `${shown}: cannot read: ${error.message}`;

/** Copies a report this run wrote into the evidence folder and returns the copy's path and text. */
async function keep(path: string, place: ReportPlace, evidenceDir: string, name = basename(path)): Promise<{ copy: string; text: string }> {
  if (await place.before.isLeftOver(path)) throw new ReportError(path, LEFT_OVER_REASON);
  const copy = join(evidenceDir, name);
  await cp(path, copy);
  return { copy, text: await readFile(copy, 'utf8') };
}

const notWritten = (shown: string): string => `${shown}: not found: the command did not write it`;

async function measureTests(config: TestsGateConfig, ctx: GateContext, background?: Promise<unknown>): Promise<TestsRun> {
  // The requirement tags of the test files need no results: they are read while the tests run,
  // so only matching them to the report is left for after the run.
  const empty: TagIndex = { files: new Set(), byTitle: new Map() };
  const tags = config.junit_report ? indexTags(ctx.projectDir).catch(() => empty) : Promise.resolve(empty);
  const reportPaths = [config.junit_report, config.coverage_report?.path];
  return runGateCommand(config, ctx, { reportPaths, ...(background ? { background } : {}) }, async (run, place, evidenceDir) => {
    const out: TestsRun = { ...run };
    const junit = async (shown: string): Promise<void> => {
      try {
        const { copy, report, notRead } = await readJUnitReport(place.path(shown), evidenceDir, place.before);
        out.junitCopy = copy;
        out.report = report;
        if (notRead.length) out.junitNotRead = notRead;
        await attachTags(ctx.projectDir, report.tests, tags);
      } catch (error) {
        out.reportError = error instanceof ReportError ? error.message : unreadable(error, shown);
      }
    };
    const coverage = async ({ format, path }: NonNullable<TestsGateConfig['coverage_report']>): Promise<void> => {
      try {
        const { copy } = await keep(place.path(path), place, evidenceDir);
        out.coverageCopy = copy;
        out.coverage = await readCoverage(format, copy);
      } catch (error) {
        out.coverageError = error instanceof ReportError ? error.message : unreadable(error, path);
      }
    };
    // Both reports are read together: the test run is usually the longest gate, and what follows
    // it is the gate phase's tail.
    await Promise.all([config.junit_report && junit(config.junit_report), config.coverage_report && coverage(config.coverage_report)]);
    return out;
  });
}

const SECURITY_PARSERS: Record<SecurityGateConfig['report']['format'], (text: string, file: string) => SecurityReport> = {
  'npm-audit': parseNpmAudit,
  osv: parseOsv,
  'pip-audit': parsePipAudit,
  sarif: parseSarif,
};

async function measureSecurity(config: SecurityGateConfig, ctx: GateContext, background?: Promise<unknown>): Promise<SecurityRun> {
  const fromStdout = config.report.path === 'stdout';
  const options = { keepStdout: fromStdout, reportPaths: [config.report.path], ...(background ? { background } : {}) };
  return runGateCommand(config, ctx, options, async (run, place, evidenceDir) => {
    const out: SecurityRun = { ...run };
    try {
      let text: string;
      if (fromStdout) {
        out.copy = join(evidenceDir, `security-${config.report.format}.json`);
        text = run.stdout ?? '';
        await writeFile(out.copy, text);
      } else {
        const kept = await keep(place.path(config.report.path), place, evidenceDir);
        out.copy = kept.copy;
        text = kept.text;
      }
      out.report = SECURITY_PARSERS[config.report.format](text, out.copy);
    } catch (error) {
      out.error = error instanceof ReportError ? error.message : notWritten(config.report.path);
    }
    delete out.stdout;
    return out;
  });
}

async function measurePerformance(config: PerformanceGateConfig, ctx: GateContext, background?: Promise<unknown>): Promise<PerformanceRun> {
  const fromStdout = config.output === 'stdout';
  const options = { keepStdout: fromStdout, reportPaths: [config.output], ...(background ? { background } : {}) };
  return runGateCommand(config, ctx, options, async (run, place, evidenceDir) => {
    const out: PerformanceRun = { ...run };
    out.copy = join(evidenceDir, 'benchmark.json');
    try {
      const text = fromStdout ? (run.stdout ?? '') : (await keep(place.path(config.output), place, evidenceDir, 'benchmark.json')).text;
      if (fromStdout) await writeFile(out.copy, text);
      // The benchmark may print other lines; its result is the last line that is a JSON object.
      const json = text
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.trim().startsWith('{'));
      if (!json) throw new ReportError(out.copy, 'no JSON object in the output: the benchmark must print { "metric": number, ... }');
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new ReportError(out.copy, `not valid JSON: ${(error as Error).message}`);
      }
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>))
        if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
      out.metrics = metrics;
    } catch (error) {
      out.error = error instanceof ReportError ? error.message : notWritten(config.output);
    }
    delete out.stdout;
    return out;
  });
}

async function measureBuild(config: BuildGateConfig, ctx: GateContext, background?: Promise<unknown>): Promise<CommandRun> {
  return runGateCommand(config, ctx, { reportPaths: [], ...(background ? { background } : {}) }, async (run) => run);
}

/**
 * Keeps the newest evidence folders: `keep` of them besides the current one, which is never
 * removed (it may sort before older ones: `baseline` before `cycle-1`).
 */
async function pruneEvidence(projectDir: string, current: string, keep: number): Promise<void> {
  const dir = join(projectDir, GOLDLOOP_DIR, 'evidence');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n !== current);
  // Oldest first by when each folder was written: names mix cycles, baselines and manual runs.
  const dated = await Promise.all(
    names.map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const sorted = dated.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name, 'en', { numeric: true })).map((d) => d.name);
  for (const old of sorted.slice(0, Math.max(0, sorted.length - keep))) {
    await rm(join(dir, old), { recursive: true, force: true });
  }
}

/** The wall time of each command gate in the project's last gate phase; nothing when unknown or unreadable. */
async function lastTimings(projectDir: string): Promise<Partial<Record<CommandGateId, number>>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(projectDir, GOLDLOOP_DIR, TIMINGS_FILE), 'utf8'));
    const out: Partial<Record<CommandGateId, number>> = {};
    if (typeof parsed !== 'object' || parsed === null) return out;
    for (const id of COMMAND_GATES) {
      const ms = (parsed as Record<string, unknown>)[id];
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) out[id] = ms;
    }
    return out;
  } catch {
    return {};
  }
}

const COMMAND_GATES: readonly CommandGateId[] = ['tests', 'security', 'performance', 'build'];

/**
 * The cores the foreground gate leaves to the background gates. A background gate takes one while
 * it runs; with fewer cores than background gates, the others wait for one — until the
 * foreground gate ends, when every gate still waiting starts. Taking turns on a spare core costs
 * the phase nothing while the turns fit in the foreground gate's time, and spares that gate the
 * competition of more CPU-hungry processes than there are cores; a turn that would not fit (a
 * scan waiting on the network, say) lasts at most until the foreground gate ends.
 */
class SpareCores {
  private free: number;
  private open = false;
  private readonly waiting: (() => void)[] = [];
  constructor(cores: number) {
    this.free = cores;
  }
  async take(): Promise<void> {
    if (this.open || this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    this.free++;
    const next = this.waiting.shift();
    if (next) {
      this.free--;
      next();
    }
  }
  /** The foreground gate ended: nothing is left to yield to. */
  openAll(): void {
    this.open = true;
    for (const start of this.waiting.splice(0)) {
      this.free--;
      start();
    }
  }
}

/**
 * The order to start the command gates in: the longest in the last phase first. Without a time
 * for every gate, the usual order: tests (usually the longest), security, performance, build.
 */
export function gateOrder(enabled: CommandGateId[], last: Partial<Record<CommandGateId, number>>): CommandGateId[] {
  const ordered = COMMAND_GATES.filter((id) => enabled.includes(id));
  if (!ordered.every((id) => last[id] !== undefined)) return ordered;
  return ordered.sort((a, b) => last[b]! - last[a]!);
}

/**
 * Runs the project's gates once: the test command (which writes JUnit and coverage in one run),
 * the security scan, the benchmark and the build — together, each with its own timeout — and the
 * documentation check.
 *
 * The gate phase lasts as long as its longest gate, so that one runs in the foreground: it starts
 * first (the longest in the last phase, by `.goldloop/gate-timings.json`; the tests when that is
 * not known), and the other command gates run beside it at a lower priority until it ends, so they
 * take the CPU it leaves idle instead of slowing it down. The documentation check, old evidence
 * and the test files' requirement tags are read while the commands run.
 */
export const measureGates: GateRunner = async (ctx) => {
  const started = performance.now();
  const g = ctx.kb.gates;
  const timings: Partial<Record<GateId, number>> = {};
  const timed =
    <T>(id: GateId, work: () => Promise<T>) =>
    async (): Promise<T> => {
      const t = performance.now();
      try {
        return await work();
      } finally {
        timings[id] = Math.round(performance.now() - t);
      }
    };
  const enabled = COMMAND_GATES.filter((id) => g[id]?.enabled);
  const order = gateOrder(enabled, ctx.sequential ? {} : await lastTimings(ctx.projectDir));
  const spare = new SpareCores(Math.max(1, availableParallelism() - 1));
  let ended = false;
  let resolveForeground!: () => void;
  const foreground = new Promise<void>((resolve) => (resolveForeground = resolve)).then(() => spare.openAll());
  const foregroundDone = (): void => {
    ended = true;
    resolveForeground();
  };
  const measure = (id: CommandGateId, background: Promise<unknown> | undefined): Promise<unknown> => {
    if (id === 'tests') return measureTests(g.tests!, ctx, background);
    if (id === 'security') return measureSecurity(g.security!, ctx, background);
    if (id === 'performance') return measurePerformance(g.performance!, ctx, background);
    return measureBuild(g.build!, ctx, background);
  };
  const inBackground = async (id: CommandGateId): Promise<unknown> => {
    await spare.take();
    try {
      // A gate that starts after the foreground gate ended has nothing to yield to.
      return await timed(id, () => measure(id, ended ? undefined : foreground))();
    } finally {
      spare.give();
    }
  };
  const jobs: [keyof Measurement, () => Promise<unknown>][] = order.map((id, i) => [
    id,
    i === 0 || ctx.sequential ? timed(id, () => measure(id, undefined).finally(foregroundDone)) : () => inBackground(id),
  ]);
  if (g.docs.enabled) jobs.push(['docs', timed('docs', () => checkDocs(ctx.projectDir, g.docs, ctx.kb.documents))]);
  const results: Record<string, unknown> = {};
  // The current evidence folder is made by the command gates; with none, 20 old ones stay.
  const prune = (): Promise<void> => pruneEvidence(ctx.projectDir, ctx.label, EVIDENCE_KEEP - (order.length > 0 ? 1 : 0));
  if (ctx.sequential) {
    for (const [name, job] of jobs) results[name] = await job();
    await prune();
  } else {
    const running = jobs.map(([, job]) => job());
    // Started after the gates, so their first file operations are not queued behind its removals.
    const pruned = prune();
    const values = await Promise.all(running);
    jobs.forEach(([name], i) => (results[name] = values[i]));
    await pruned;
  }
  const durationMs = Math.round(performance.now() - started);
  // A phase cut short (a pause) measured nothing about how long the gates take.
  if (!ctx.signal?.aborted) await recordTimings(ctx.projectDir, timings);
  return { at: new Date().toISOString(), durationMs, timings, order, ...(results as Partial<Measurement>) };
};

async function recordTimings(projectDir: string, timings: Partial<Record<GateId, number>>): Promise<void> {
  const record = Object.fromEntries(COMMAND_GATES.filter((id) => timings[id] !== undefined).map((id) => [id, timings[id]]));
  try {
    await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
    await writeFile(join(projectDir, GOLDLOOP_DIR, TIMINGS_FILE), `${JSON.stringify(record)}\n`);
  } catch {
    // Only the next phase's order depends on it.
  }
}

function commandFailure(result: RunResult | undefined, timeoutMinutes: number, what: string): string | undefined {
  if (!result) return `the ${what} did not run`;
  if (result.spawnError) return result.spawnError;
  if (result.killedBy === 'timeout') return `the ${what} timed out after ${timeoutMinutes} min`;
  if (result.killedBy === 'abort') return `the ${what} was interrupted`;
  return undefined;
}

/** The line of a failed command's output that says why: its error line, else its last lines. */
function whyFailed(result: RunResult): string {
  const lines = [...result.stderrTail, ...result.stdoutTail].map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => /\b\w*(Error|Exception)\b|\berror\b/i.test(l) && !/^at\s/.test(l));
  return error ?? lines.slice(-2).join(' | ');
}

/** Benchmark figures as people read them: three significant digits, no float noise. */
const figure = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3))));

const baseEvidence = (command: string[], run: CommandRun | undefined, report?: string): Evidence => ({
  command,
  exitCode: run?.result.exitCode ?? null,
  ...(run ? { durationMs: run.result.durationMs } : {}),
  ...(report ? { report } : {}),
  detail: '',
});

const disabled = (id: GateId, key: string): ChecklistItem => ({
  ...item(id, true, 'off', null, { detail: `switched off by the user (gates.${key}.enabled is false)` }),
  disabled: true,
});

const notMeasured = (id: GateId, command: string[]): ChecklistItem =>
  item(id, false, null, null, { command, detail: 'not measured yet: run `goldloop gates` or `goldloop run`' });

function testsItem(kb: Kb, config: TestsGateConfig | undefined, run: TestsRun | undefined): ChecklistItem {
  const mustPass = kb.autonomous_operation.quality_gates.all_tests_must_pass;
  if (!config)
    return item('tests', false, null, 'all passing', {
      detail: 'no test command configured: set gates.tests.command in .ai-knowledge-base.json',
    });
  if (!config.enabled) return disabled('tests', 'tests');
  if (!run) return { ...notMeasured('tests', config.command), threshold: 'all passing' };
  const base = baseEvidence(config.command, run, run.junitCopy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'test command');
  if (failure) return item('tests', false, null, 'all passing', { ...base, detail: failure });
  const exit = run.result.exitCode;
  if (!config.junit_report) {
    const ok = exit === 0;
    return item('tests', ok || !mustPass, ok ? 'exit 0' : `exit ${String(exit)}`, 'exit 0', {
      ...base,
      detail: ok
        ? 'the test command passed (no JUnit report configured, so no per-test counts)'
        : run.result.stderrTail.slice(-3).join(' | ') || 'the test command failed',
    });
  }
  if (!run.report) return item('tests', false, null, 'all passing', { ...base, detail: run.reportError ?? 'no JUnit report' });
  const r = run.report;
  const total = r.passed + r.failed + r.errored;
  const value = `${r.passed}/${total} passing${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const failing = r.tests.filter((t) => t.status === 'failed' || t.status === 'errored');
  let passed = failing.length === 0 && total > 0 && exit === 0;
  let detail: string;
  if (total === 0) detail = 'the report lists no tests that ran';
  else if (failing.length > 0)
    detail = `failing: ${failing
      .slice(0, 5)
      .map((t) => t.name)
      .join('; ')}${failing.length > 5 ? ` and ${failing.length - 5} more` : ''}`;
  else if (exit !== 0) detail = `the report shows no failures, but the test command exited with code ${String(exit)}`;
  else detail = `${r.passed} passed`;
  if (!mustPass && total > 0) {
    passed = true;
    detail += ' (not required: quality_gates.all_tests_must_pass is false)';
  }
  const stale = run.junitNotRead ?? [];
  if (stale.length)
    detail += `; not read, left from before this run: ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}`;
  return item('tests', passed, value, 'all passing', { ...base, detail });
}

function coverageItem(kb: Kb, config: TestsGateConfig | undefined, run: TestsRun | undefined): ChecklistItem {
  const threshold = kb.autonomous_operation.quality_gates.test_coverage_threshold;
  if (config && !config.enabled) return disabled('coverage', 'tests');
  if (!config?.coverage_report) {
    return item('coverage', false, null, threshold, {
      detail: 'no coverage report configured: set gates.tests.coverage_report { format, path } so the test run writes one',
    });
  }
  if (!run) return { ...notMeasured('coverage', config.command), threshold };
  const base = baseEvidence(config.command, run, run.coverageCopy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'test command');
  if (failure) return item('coverage', false, null, threshold, { ...base, detail: failure });
  if (!run.coverage) return item('coverage', false, null, threshold, { ...base, detail: run.coverageError ?? 'no coverage report' });
  const t = run.coverage.totals;
  const lines = t.lines ?? t.statements;
  if (!lines) return item('coverage', false, null, threshold, { ...base, detail: 'the coverage report has no line or statement totals' });
  const parts = [
    `${t.lines ? 'lines' : 'statements'} ${lines.pct}%`,
    `branches ${t.branches?.pct ?? '-'}%`,
    `functions ${t.functions?.pct ?? '-'}%`,
  ];
  return item('coverage', lines.pct >= threshold, lines.pct, threshold, {
    ...base,
    detail: `${parts.join(', ')} (${lines.covered}/${lines.total})`,
  });
}

function securityItem(kb: Kb, config: SecurityGateConfig | undefined, run: SecurityRun | undefined): ChecklistItem {
  if (!kb.autonomous_operation.quality_gates.security_scan_must_pass) {
    return item('security', true, 'not required', null, { detail: 'not required: quality_gates.security_scan_must_pass is false' });
  }
  if (!config)
    return item('security', false, null, 'no high or critical', {
      detail:
        'no security scan configured: set gates.security { command, report: { format, path } } (npm audit --json, osv-scanner, pip-audit or any SARIF tool)',
    });
  if (!config.enabled) return disabled('security', 'security');
  const threshold = `no ${config.fail_on} or worse`;
  if (!run) return { ...notMeasured('security', config.command), threshold };
  const base = baseEvidence(config.command, run, run.copy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'security scan');
  if (failure) return item('security', false, null, threshold, { ...base, detail: failure });
  if (!run.report) return item('security', false, null, threshold, { ...base, detail: run.error ?? 'no report' });
  const failing = failingFindings(run.report, config.fail_on, { unknownFails: config.unknown_fails });
  const c = run.report.counts;
  const summary = `${run.report.findings.length} finding(s): ${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low${c.unknown ? `, ${c.unknown} unrated` : ''}`;
  return item('security', failing.length === 0, failing.length, threshold, {
    ...base,
    detail: failing.length
      ? `${summary}; failing: ${failing
          .slice(0, 5)
          .map((f) => `${f.id} (${f.severity}, ${f.subject})`)
          .join('; ')}`
      : summary,
  });
}

function performanceItem(config: PerformanceGateConfig | undefined, run: PerformanceRun | undefined): ChecklistItem {
  if (!config)
    return item('performance', false, null, null, {
      detail: 'no benchmark configured: set gates.performance { command, thresholds: { metric: { max | min } } }',
    });
  if (!config.enabled) return disabled('performance', 'performance');
  const names = Object.keys(config.thresholds);
  const threshold = `${names.length} metric(s) within limits`;
  if (!run) return { ...notMeasured('performance', config.command), threshold };
  const base = baseEvidence(config.command, run, run.copy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'benchmark');
  if (failure) return item('performance', false, null, threshold, { ...base, detail: failure });
  if (run.result.exitCode !== 0)
    return item('performance', false, null, threshold, {
      ...base,
      detail: `the benchmark exited with code ${String(run.result.exitCode)}: ${whyFailed(run.result)}`,
    });
  if (!run.metrics) return item('performance', false, null, threshold, { ...base, detail: run.error ?? 'no metrics' });
  const verdicts = names.map((name) => {
    const v = run.metrics![name];
    const limit = config.thresholds[name]!;
    if (v === undefined) return { name, ok: false, text: `${name} missing from the output` };
    const ok = (limit.max === undefined || v <= limit.max) && (limit.min === undefined || v >= limit.min);
    const bounds = [limit.min !== undefined ? `>= ${limit.min}` : '', limit.max !== undefined ? `<= ${limit.max}` : '']
      .filter(Boolean)
      .join(', ');
    return { name, ok, text: `${name} ${figure(v)} (${bounds})` };
  });
  const met = verdicts.filter((v) => v.ok).length;
  return item('performance', met === names.length, `${met}/${names.length} met`, threshold, {
    ...base,
    detail: verdicts.map((v) => `${v.ok ? '' : 'MISSED '}${v.text}`).join('; '),
  });
}

function buildItem(config: BuildGateConfig | undefined, run: CommandRun | undefined): ChecklistItem {
  if (!config)
    return item('build', false, null, 'exit 0', {
      detail: 'no build command configured: set gates.build { command } (the command that makes the deployable artifact)',
    });
  if (!config.enabled) return disabled('build', 'build');
  if (!run) return { ...notMeasured('build', config.command), threshold: 'exit 0' };
  const base = baseEvidence(config.command, run);
  const failure = commandFailure(run.result, config.timeout_minutes, 'build');
  if (failure) return item('build', false, null, 'exit 0', { ...base, detail: failure });
  const ok = run.result.exitCode === 0;
  return item('build', ok, `exit ${String(run.result.exitCode)}`, 'exit 0', {
    ...base,
    detail: ok ? 'the build succeeded' : whyFailed(run.result) || 'the build failed',
  });
}

function docsItem(kb: Kb, check: DocsCheck | undefined): ChecklistItem {
  if (!kb.gates.docs.enabled) return disabled('docs', 'docs');
  if (!check)
    return item('docs', false, null, 'no unfinished markers', { detail: 'not measured yet: run `goldloop gates` or `goldloop run`' });
  const problems: string[] = [];
  for (const f of check.files) {
    if (f.missing) problems.push(`${f.file} is missing`);
    for (const m of f.markers.slice(0, 3)) problems.push(`${f.file}:${m.line} ${m.marker}`);
    if (f.markers.length > 3) problems.push(`${f.file}: ${f.markers.length - 3} more marker(s)`);
  }
  const good = check.files.filter((f) => !f.missing && f.markers.length === 0).length;
  return item('docs', problems.length === 0, `${good}/${check.files.length} complete`, 'no unfinished markers', {
    detail: problems.length ? problems.slice(0, 8).join('; ') : `checked ${check.files.map((f) => f.file).join(', ')}`,
  });
}

function requirementsItem(kb: Kb, tests: TestOutcome[] | undefined): { item: ChecklistItem; uncovered: string[] } {
  const ids = kb.requirements.map((r) => r.id);
  if (ids.length === 0) {
    return {
      uncovered: [],
      item: item('requirements', false, '0/0', '100%', {
        detail: 'no requirements listed: add them to requirements[] in .ai-knowledge-base.json',
      }),
    };
  }
  if (!tests) {
    return {
      uncovered: ids,
      item: item('requirements', false, `0/${ids.length}`, '100%', {
        detail: 'no per-test results (configure gates.tests.junit_report) to trace requirements to passing tests',
      }),
    };
  }
  const passing = tests.filter((t) => t.status === 'passed');
  const uncovered = ids.filter((id) => {
    const named = requirementMatcher(id);
    return !passing.some((t) => named(t.name) || t.tags?.includes(id));
  });
  const covered = ids.length - uncovered.length;
  const pct = Math.round((covered / ids.length) * 100);
  return {
    uncovered,
    item: item('requirements', uncovered.length === 0, `${covered}/${ids.length} (${pct}%)`, '100%', {
      detail:
        uncovered.length === 0 ? 'every requirement is named by a passing test' : `not covered by a passing test: ${uncovered.join(', ')}`,
    }),
  };
}

function phasesItem(kb: Kb): ChecklistItem {
  const rows = phaseProgress(kb);
  const done = rows.reduce((n, r) => n + r.done, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  const open = rows.filter((r) => r.done < r.total).map((r) => `Phase ${r.phase} ${r.done}/${r.total}`);
  return item('phases', total > 0 && done === total, `${done}/${total} tasks`, 'all done', {
    detail:
      total === 0
        ? "the task queue is empty: add the plan's tasks to task_queue"
        : open.length
          ? `open: ${open.join(', ')}`
          : 'every task of every phase is done',
  });
}

function blockersItem(kb: Kb): ChecklistItem {
  const found: string[] = [];
  for (const { task, priority } of allTasks(kb)) {
    if (task.status === 'done') continue;
    if (task.critical_bug) found.push(`${task.task_id} (critical bug)`);
    else if (priority === 'P0') found.push(`${task.task_id} (open P0)`);
    else if (task.blocked_reason) found.push(`${task.task_id} (blocked: ${task.blocked_reason})`);
  }
  for (const problem of dependencyProblems(kb)) found.push(problem.message);
  return item('blockers', found.length === 0, found.length, 0, {
    detail: found.length ? found.slice(0, 8).join('; ') : 'no open P0 task, critical bug or blocked task',
  });
}

/** Test outcomes as the checklist and the regression check know them. */
export function testOutcomes(run: TestsRun | undefined): TestOutcome[] | undefined {
  return run?.report?.tests.map((t) => ({
    name: t.classname && t.classname !== 'test' ? `${t.classname} > ${t.name}` : t.name,
    status: t.status,
    ...(t.message ? { message: t.message } : {}),
    ...(t.tags?.length ? { tags: t.tags } : {}),
  }));
}

/**
 * Evaluates every checklist line — in the operating document's order — from a measurement and
 * the KB as it is now. The KB's measured fields are never read here.
 */
export function evaluateChecklist(kb: Kb, m: Measurement): GateRun {
  const g = kb.gates;
  const tests = testOutcomes(m.tests);
  const reqs = requirementsItem(kb, tests);
  const checklist = [
    phasesItem(kb),
    reqs.item,
    coverageItem(kb, g.tests, m.tests),
    testsItem(kb, g.tests, m.tests),
    securityItem(kb, g.security, m.security),
    performanceItem(g.performance, m.performance),
    docsItem(kb, m.docs),
    buildItem(g.build, m.build),
    blockersItem(kb),
  ];
  const files = m.tests?.coverage?.files ?? [];
  const totals = m.tests?.coverage?.totals;
  const coverage = totals?.lines ?? totals?.statements;
  return {
    at: m.at,
    durationMs: m.durationMs,
    gold: checklist.every((c) => c.passed),
    checklist,
    tests: tests ?? [],
    uncoveredRequirements: reqs.uncovered,
    leastCoveredFiles: files
      .map((f) => ({ file: f.file, pct: (f.lines ?? f.statements)?.pct ?? 100 }))
      .filter((f) => f.pct < 100)
      .sort((a, b) => a.pct - b.pct)
      .slice(0, 10),
    ...(coverage ? { coveragePct: coverage.pct } : {}),
  };
}

/** Measures and evaluates in one go: `goldloop gates`. */
export async function runGates(ctx: GateContext): Promise<GateRun> {
  return evaluateChecklist(ctx.kb, await measureGates(ctx));
}
