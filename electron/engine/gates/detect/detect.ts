/**
 * Proposes gate commands from a project's files, for `goldloop init`. Detection only reads
 * files: it never runs the project's code. The only programs it starts are `--version` probes of
 * installed tools (node, cargo llvm-cov, gotestsum), run from a neutral folder with a 3 s limit,
 * because a project's own config (a cargo alias, a go.mod toolchain line) could otherwise turn a
 * probe into a build of untrusted code.
 *
 * Every proposal keeps tests and coverage in ONE run of the test command, and every report it
 * names is written under `{reports}`, the fresh folder Goldloop owns — except where a tool cannot
 * be told where to write (Maven, Gradle), which the notes say; there the command starts with
 * `clean`, so that no report left from an earlier run is read as this one's.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { joinCommandLine, splitCommandLine } from '../../../contract/command-line.ts';
import type { BuildGateSchema, GatesSchema, SecurityGateSchema, TestsGateSchema } from '../../../store/kb/schema.ts';

export type GatesInput = z.input<typeof GatesSchema>;
type TestsInput = z.input<typeof TestsGateSchema>;
type SecurityInput = z.input<typeof SecurityGateSchema>;
type BuildInput = z.input<typeof BuildGateSchema>;

export interface Detection {
  gates: GatesInput;
  /** What was found and why, one sentence a person can act on per gate. */
  notes: string[];
}

/** Runs `argv` and returns its trimmed stdout when it exits 0, else undefined. */
export type Probe = (argv: string[]) => Promise<string | undefined>;

export interface DetectOptions {
  /** Replaces the real `--version` probes (tests use it for tools this machine lacks). */
  probe?: Probe;
  /** The platform the gates will run on; `env` and `./mvnw` differ on Windows. */
  platform?: NodeJS.Platform;
}

const PROBE_TIMEOUT_MS = 3000;

/** The real probe: no shell, a neutral working folder, a hard 3 s limit. */
export const probeTool: Probe = (argv) =>
  new Promise((resolve) => {
    const [program, ...args] = argv;
    if (!program) return resolve(undefined);
    execFile(program, args, { cwd: tmpdir(), timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : String(stdout).trim());
    });
  });

interface Context {
  dir: string;
  probe: Probe;
  windows: boolean;
}

/** What one ecosystem proposes; the first ecosystem with a test setup provides the tests gate. */
interface Proposal {
  ecosystem: string;
  tests?: TestsInput;
  security?: SecurityInput;
  build?: BuildInput;
  notes: string[];
  /** Something wrong with the project's files, shown whichever ecosystem provides the gates. */
  problem?: string;
}

const readText = (dir: string, name: string): Promise<string | undefined> => readFile(join(dir, name), 'utf8').catch(() => undefined);
const exists = (dir: string, name: string): Promise<boolean> =>
  stat(join(dir, name)).then(
    () => true,
    () => false,
  );

// ---------------------------------------------------------------------------------------------
// Node

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `npm init`'s placeholder test script: not a test suite. */
const NPM_PLACEHOLDER = /no test specified/;

/** Splits a shell script at `&&`, `||`, `;`, `|` and `&` outside quotes. */
function scriptSegments(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') current += script[i++] ?? '';
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === '\\') {
      current += ch + (script[++i] ?? '');
    } else if (ch === ';' || ch === '|' || ch === '&') {
      if (script[i + 1] === ch) i++;
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const RUNNERS = new Set(['vitest', 'jest', 'mocha', 'c8', 'nyc']);

/** A runnable segment of a test script, with what was left out of it. */
interface ScriptRunner {
  tokens: string[];
  /** The script text it came from, e.g. `scripts.test "vitest run"`. */
  source: string;
  leftOut: string[];
}

/** Strips `npx [flags]`, `cross-env A=b` and `A=b` prefixes; a path to a runner becomes its name. */
function normalise(tokens: string[], dropped: string[]): string[] {
  let t = [...tokens];
  for (;;) {
    if (t[0] === 'cross-env' || t[0] === 'cross-env-shell') t = t.slice(1);
    else if (t[0] && ENV_ASSIGNMENT.test(t[0])) dropped.push(t.shift()!);
    else if (
      t[0] === 'npx' ||
      (t[0] === 'npm' && t[1] === 'exec') ||
      (t[0] === 'pnpm' && t[1] === 'exec') ||
      (t[0] === 'yarn' && t[1] === 'exec')
    ) {
      t = t.slice(t[0] === 'npx' ? 1 : 2);
      while (t[0]?.startsWith('-')) t.shift();
    } else break;
  }
  if (t[0] && RUNNERS.has(basename(t[0]))) t[0] = basename(t[0]);
  return t;
}

/** `npm run x -- args`, `npm test`, `yarn x`, `pnpm run x`: the script it names and the extra args. */
function scriptReference(tokens: string[]): { name: string; extra: string[] } | undefined {
  const [tool, first, second] = tokens;
  const afterDashes = (from: number): string[] => {
    const rest = tokens.slice(from);
    return rest[0] === '--' ? rest.slice(1) : rest;
  };
  if (tool === 'npm') {
    if (first === 'test' || first === 't') return { name: 'test', extra: afterDashes(2) };
    if ((first === 'run' || first === 'run-script') && second) return { name: second, extra: afterDashes(3) };
    return undefined;
  }
  if (tool === 'yarn' || tool === 'pnpm' || tool === 'bun') {
    if (first === 'run' && second) return { name: second, extra: afterDashes(3) };
    if (first && !first.startsWith('-') && tool !== 'bun') return { name: first, extra: afterDashes(2) };
  }
  return undefined;
}

function isRunner(tokens: string[]): boolean {
  const [first] = tokens;
  if (!first) return false;
  return RUNNERS.has(first) || (first === 'node' && tokens.includes('--test'));
}

/** Finds the segment of a script that runs the tests, following `npm run x` a few levels deep. */
function findRunner(scripts: Record<string, string>, name: string, depth = 0): ScriptRunner | undefined {
  const script = scripts[name];
  if (script === undefined || depth > 4) return undefined;
  const leftOut: string[] = [];
  let found: ScriptRunner | undefined;
  for (const segment of scriptSegments(script)) {
    let raw: string[];
    try {
      raw = splitCommandLine(segment);
    } catch {
      leftOut.push(segment);
      continue;
    }
    const dropped: string[] = [];
    const tokens = normalise(raw, dropped);
    if (found) {
      leftOut.push(segment);
      continue;
    }
    const ref = scriptReference(tokens);
    const inner = ref ? findRunner(scripts, ref.name, depth + 1) : undefined;
    if (ref && inner) {
      found = { ...inner, tokens: [...inner.tokens, ...ref.extra] };
      leftOut.push(...inner.leftOut);
    } else if (isRunner(tokens)) {
      found = { tokens, source: `scripts.${name} "${script}"`, leftOut: [] };
      if (dropped.length) leftOut.push(`the environment settings ${dropped.join(' ')}`);
    } else {
      leftOut.push(segment);
    }
  }
  return found ? { ...found, leftOut: [...found.leftOut, ...leftOut] } : undefined;
}

type OptionKind = 'flag' | 'value';

/**
 * Removes options from an argument list: `--name`, `--name=value`, and `--name value` for
 * options that take a value. A name ending in `.` matches every option under it (`--outputFile.`).
 */
function stripOptions(args: string[], spec: Record<string, OptionKind>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.split('=')[0]!;
    const kind = spec[name] ?? Object.entries(spec).find(([key]) => key.endsWith('.') && name.startsWith(key))?.[1];
    if (!kind) {
      out.push(arg);
      continue;
    }
    if (kind === 'value' && !arg.includes('=') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
  }
  return out;
}

/** Splits a coverage wrapper's own options from the command it wraps. */
function splitWrapper(args: string[], valued: Set<string>): { options: string[]; command: string[] } {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    if (args[i] === '--') {
      i++;
      break;
    }
    if (valued.has(args[i]!) && args[i + 1] !== undefined) i++;
    i++;
  }
  return { options: args.slice(0, i).filter((a) => a !== '--'), command: args.slice(i) };
}

const C8_VALUED = new Set([
  '-r',
  '--reporter',
  '-o',
  '--reports-dir',
  '--report-dir',
  '--temp-directory',
  '--src',
  '-n',
  '--include',
  '-x',
  '--exclude',
  '-e',
  '--extension',
  '--lines',
  '--functions',
  '--branches',
  '--statements',
  '-c',
  '--config',
]);
const NYC_VALUED = new Set([
  '-r',
  '--reporter',
  '--report-dir',
  '-t',
  '--temp-dir',
  '--temp-directory',
  '-n',
  '--include',
  '-x',
  '--exclude',
  '-e',
  '--extension',
  '-i',
  '--require',
  '--cwd',
  '--nycrc-path',
  '--lines',
  '--functions',
  '--branches',
  '--statements',
]);

interface NodeEnv {
  has: (name: string) => boolean;
  windows: boolean;
  /** The installed node supports the junit and lcov test reporters (20.11+). */
  nodeReporters: boolean;
}

/** A test command for one runner: argv (without a launcher), the reports it writes, and why. */
interface RunnerPlan {
  argv: string[];
  /** Set for an environment variable the runner needs (POSIX `env` carries it: no shell). */
  env?: Record<string, string>;
  junit?: string;
  coverage?: { format: 'lcov'; path: string };
  label: string;
  notes: string[];
}

const JUNIT = '{reports}/junit.xml';

function vitestPlan(args: string[], env: NodeEnv, withCoverage: boolean): RunnerPlan {
  let rest = [...args];
  if (rest[0] === 'run' || rest[0] === 'watch' || rest[0] === 'dev') rest = rest.slice(1);
  rest = stripOptions(rest, {
    '--run': 'flag',
    '--watch': 'flag',
    '-w': 'flag',
    '--reporter': 'value',
    '--outputFile': 'value',
    '--outputFile.': 'value',
    '--coverage': 'flag',
    '--coverage.enabled': 'flag',
    '--coverage.reporter': 'value',
    '--coverage.reportsDirectory': 'value',
    '--coverage.reportOnFailure': 'flag',
  });
  const argv = ['vitest', 'run', ...rest, '--reporter=default', '--reporter=junit', `--outputFile.junit=${JUNIT}`];
  const v8 = env.has('@vitest/coverage-v8');
  const istanbul = env.has('@vitest/coverage-istanbul');
  const notes: string[] = [];
  let label = 'vitest';
  let coverage: RunnerPlan['coverage'];
  if (withCoverage && (v8 || istanbul)) {
    const provider = v8 ? 'v8' : 'istanbul';
    // reportOnFailure: vitest writes no coverage when a test fails, and the gate measures both at once.
    argv.push(
      '--coverage.enabled=true',
      '--coverage.reporter=lcovonly',
      '--coverage.reportsDirectory={reports}/coverage',
      '--coverage.reportOnFailure=true',
    );
    if (!v8 && !rest.some((a) => a.startsWith('--coverage.provider'))) argv.push('--coverage.provider=istanbul');
    coverage = { format: 'lcov', path: '{reports}/coverage/lcov.info' };
    label = `vitest with ${provider} coverage`;
  } else if (withCoverage) {
    notes.push(
      'coverage: no vitest coverage provider in package.json; add @vitest/coverage-v8 to devDependencies and run init again (or add --coverage.enabled=true --coverage.reporter=lcovonly --coverage.reportsDirectory={reports}/coverage --coverage.reportOnFailure=true and coverage_report {format: lcov, path: {reports}/coverage/lcov.info})',
    );
  }
  return { argv, junit: JUNIT, ...(coverage ? { coverage } : {}), label, notes };
}

function jestPlan(args: string[], env: NodeEnv, withCoverage: boolean): RunnerPlan {
  const rest = stripOptions(args, {
    '--ci': 'flag',
    '--watch': 'flag',
    '--watchAll': 'flag',
    '--coverage': 'flag',
    '--collectCoverage': 'flag',
    '--coverageReporters': 'value',
    '--coverageDirectory': 'value',
    '--reporters': 'value',
  });
  const argv = ['jest', ...rest, '--ci'];
  const notes: string[] = [];
  let coverage: RunnerPlan['coverage'];
  if (withCoverage) {
    argv.push('--coverage', '--coverageReporters=lcovonly', '--coverageReporters=text-summary', '--coverageDirectory={reports}/coverage');
    coverage = { format: 'lcov', path: '{reports}/coverage/lcov.info' };
  }
  if (!env.has('jest-junit')) {
    notes.push(
      'tests: jest-junit is not in package.json, so tests pass or fail by the exit code, without per-test results or requirement tracing; add jest-junit to devDependencies and run init again',
    );
    return { argv, ...(coverage ? { coverage } : {}), label: withCoverage ? 'jest with coverage' : 'jest', notes };
  }
  if (env.windows) {
    notes.push(
      'tests: jest-junit takes its output path from an environment variable, which a gate command cannot set on Windows; tests pass or fail by the exit code',
    );
    return { argv, ...(coverage ? { coverage } : {}), label: withCoverage ? 'jest with coverage' : 'jest', notes };
  }
  argv.push('--reporters=default', '--reporters=jest-junit');
  return {
    argv,
    env: { JEST_JUNIT_OUTPUT_DIR: '{reports}', JEST_JUNIT_OUTPUT_NAME: 'junit.xml' },
    junit: JUNIT,
    ...(coverage ? { coverage } : {}),
    label: withCoverage ? 'jest with coverage and jest-junit' : 'jest with jest-junit',
    notes,
  };
}

function nodeTestPlan(tokens: string[], env: NodeEnv, withCoverage: boolean): RunnerPlan {
  const at = tokens.indexOf('--test');
  const before = tokens.slice(0, at + 1);
  const after = stripOptions(tokens.slice(at + 1), {
    '--test-reporter': 'value',
    '--test-reporter-destination': 'value',
    '--experimental-test-coverage': 'flag',
  });
  const notes: string[] = [];
  if (after.some((a) => /[*?[]/.test(a)))
    notes.push("tests: the script's glob patterns are passed to node as they are (no shell expands them; node 21+ expands them itself)");
  if (!env.nodeReporters) {
    notes.push(
      'tests: the installed node is older than 20.11, which has no junit or lcov test reporter; tests pass or fail by the exit code',
    );
    return { argv: [...before, ...after], label: 'node:test', notes };
  }
  const ours = ['--test-reporter=junit', `--test-reporter-destination=${JUNIT}`];
  let coverage: RunnerPlan['coverage'];
  if (withCoverage) {
    ours.unshift('--experimental-test-coverage');
    ours.push('--test-reporter=lcov', '--test-reporter-destination={reports}/lcov.info');
    coverage = { format: 'lcov', path: '{reports}/lcov.info' };
  }
  ours.push('--test-reporter=spec', '--test-reporter-destination=stdout');
  return {
    argv: [...before, ...ours, ...after],
    junit: JUNIT,
    ...(coverage ? { coverage } : {}),
    label: withCoverage ? 'node:test with its own coverage' : 'node:test',
    notes,
  };
}

function mochaPlan(args: string[], env: NodeEnv): RunnerPlan {
  if (!env.has('mocha-junit-reporter')) {
    return {
      argv: ['mocha', ...args],
      label: 'mocha',
      notes: [
        'tests: mocha-junit-reporter is not in package.json, so tests pass or fail by the exit code; add it to devDependencies and run init again',
      ],
    };
  }
  const rest = stripOptions(args, {
    '--reporter': 'value',
    '-R': 'value',
    '--reporter-options': 'value',
    '--reporter-option': 'value',
    '-O': 'value',
  });
  return {
    argv: ['mocha', ...rest, '--reporter', 'mocha-junit-reporter', '--reporter-options', `mochaFile=${JUNIT}`],
    junit: JUNIT,
    label: 'mocha with mocha-junit-reporter',
    notes: [],
  };
}

function coverageWrapperPlan(tool: 'c8' | 'nyc', args: string[], env: NodeEnv): RunnerPlan | undefined {
  const { options, command } = splitWrapper(args, tool === 'c8' ? C8_VALUED : NYC_VALUED);
  if (command.length === 0 || (tool === 'nyc' && ['report', 'check-coverage', 'instrument', 'merge'].includes(command[0]!)))
    return undefined;
  const inner = runnerPlan(normalise(command, []), env, false) ?? {
    argv: command,
    label: command[0]!,
    notes: [`tests: ${command[0]} has no JUnit output Goldloop knows how to ask for, so tests pass or fail by the exit code`],
  };
  const kept =
    tool === 'c8'
      ? stripOptions(options, {
          '-r': 'value',
          '--reporter': 'value',
          '-o': 'value',
          '--reports-dir': 'value',
          '--report-dir': 'value',
          '--temp-directory': 'value',
        })
      : stripOptions(options, {
          '-r': 'value',
          '--reporter': 'value',
          '--report-dir': 'value',
          '-t': 'value',
          '--temp-dir': 'value',
          '--temp-directory': 'value',
        });
  const ours =
    tool === 'c8'
      ? ['--reporter=lcovonly', '--reporter=text-summary', '--reports-dir={reports}/coverage', '--temp-directory={reports}/c8-tmp']
      : ['--reporter=lcovonly', '--reporter=text-summary', '--report-dir={reports}/coverage', '--temp-dir={reports}/nyc-tmp'];
  // The wrapped command needs no launcher: npx puts node_modules/.bin on the PATH c8/nyc inherit.
  return {
    argv: [tool, ...kept, ...ours, ...inner.argv],
    ...(inner.env ? { env: inner.env } : {}),
    ...(inner.junit ? { junit: inner.junit } : {}),
    coverage: { format: 'lcov', path: '{reports}/coverage/lcov.info' },
    label: `${inner.label} under ${tool} coverage`,
    notes: inner.notes,
  };
}

function runnerPlan(tokens: string[], env: NodeEnv, withCoverage: boolean): RunnerPlan | undefined {
  const [first, ...args] = tokens;
  if (first === 'vitest') return vitestPlan(args, env, withCoverage);
  if (first === 'jest') return jestPlan(args, env, withCoverage);
  if (first === 'mocha') return mochaPlan(args, env);
  if (first === 'node' && tokens.includes('--test')) return nodeTestPlan(tokens, env, withCoverage);
  if ((first === 'c8' || first === 'nyc') && withCoverage) return coverageWrapperPlan(first, args, env);
  return undefined;
}

/** Node 20.11 added the junit and lcov reporters of `node --test`. */
function nodeHasReporters(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 20 || (major === 20 && minor >= 11);
}

async function detectNode(ctx: Context): Promise<Proposal | undefined> {
  const text = await readText(ctx.dir, 'package.json');
  if (text === undefined) return undefined;
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (error) {
    return {
      ecosystem: 'Node',
      notes: [],
      problem: `package.json is not valid JSON (${(error as Error).message}): no Node gates proposed`,
    };
  }
  const deps = { ...pkg.optionalDependencies, ...pkg.dependencies, ...pkg.devDependencies };
  const depSource = (name: string): string => (pkg.devDependencies?.[name] ? 'devDependencies' : 'dependencies');
  const scripts = Object.fromEntries(
    Object.entries(pkg.scripts ?? {}).filter(([, v]) => typeof v === 'string' && !NPM_PLACEHOLDER.test(v)),
  );
  const notes: string[] = [];
  const out: Proposal = { ecosystem: 'Node', notes };

  let found = findRunner(scripts, 'test');
  if (!found && scripts.test === undefined) {
    const runner = ['vitest', 'jest'].find((name) => name in deps);
    if (runner) found = { tokens: [runner], source: `package.json ${depSource(runner)}, no test script`, leftOut: [] };
  }
  if (found) {
    const usesNodeTest = found.tokens[0] === 'node' || found.tokens.slice(1).includes('node');
    const env: NodeEnv = {
      has: (name) => name in deps,
      windows: ctx.windows,
      nodeReporters: usesNodeTest ? nodeHasReporters(await ctx.probe(['node', '--version'])) : true,
    };
    const plan = runnerPlan(found.tokens, env, true);
    if (plan) {
      // `--no`: never download a runner the project lacks; `--`: without it npm reads `--no vitest` as its own config.
      const launcher = RUNNERS.has(plan.argv[0]!) ? ['npx', '--no', '--'] : [];
      const envPrefix = plan.env ? ['env', ...Object.entries(plan.env).map(([k, v]) => `${k}=${v}`)] : [];
      out.tests = {
        command: [...envPrefix, ...launcher, ...plan.argv],
        ...(plan.junit ? { junit_report: plan.junit } : {}),
        ...(plan.coverage ? { coverage_report: plan.coverage } : {}),
      };
      const reports = [plan.junit ? 'JUnit' : '', plan.coverage ? 'lcov' : ''].filter(Boolean).join(' and ');
      notes.push(`tests: ${plan.label}${reports ? `: ${reports} from one run` : ''} (${found.source})`);
      if (found.leftOut.length)
        notes.push(
          `tests: Goldloop runs the runner directly so it can add its report flags; it leaves out the rest of the test script (${found.leftOut.join('; ')}): if the tests need it, put it in the build gate or in gates.tests.command yourself`,
        );
      notes.push(...plan.notes);
      if (!plan.coverage && !plan.notes.some((n) => n.startsWith('coverage:'))) {
        notes.push(
          'coverage: not measured by this test command; wrap it in c8 (`c8 <test command>` in scripts.test, c8 in devDependencies) and run init again',
        );
      }
    }
  }
  if (!out.tests && scripts.test !== undefined) {
    out.tests = { command: ['npm', 'test'] };
    notes.push(
      `tests: npm test, pass or fail by the exit code: the test script "${scripts.test}" runs no runner Goldloop can ask for JUnit and coverage (vitest, jest, node --test, mocha, c8, nyc)`,
    );
  }

  if ((await exists(ctx.dir, 'package-lock.json')) || (await exists(ctx.dir, 'npm-shrinkwrap.json'))) {
    out.security = { command: ['npm', 'audit', '--json'], report: { format: 'npm-audit', path: 'stdout' } };
    notes.push('security: npm audit (package-lock.json)');
  } else if ((await exists(ctx.dir, 'yarn.lock')) || (await exists(ctx.dir, 'pnpm-lock.yaml'))) {
    notes.push(
      'security: npm audit needs package-lock.json; this project uses another package manager, so no security gate was proposed (OSV-Scanner reads yarn.lock and pnpm-lock.yaml: set gates.security with format osv)',
    );
  } else {
    notes.push('security: no package-lock.json, so no npm audit gate was proposed; run npm install to write one and run init again');
  }
  if (scripts.build !== undefined) {
    out.build = { command: ['npm', 'run', 'build'] };
    notes.push(`build: npm run build (scripts.build "${scripts.build}")`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Python

async function pythonFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const names = ['pyproject.toml', 'setup.cfg', 'setup.py', 'tox.ini', 'pytest.ini', 'Pipfile'];
  const root = await readdir(dir).catch(() => [] as string[]);
  names.push(...root.filter((n) => /requirements.*\.(txt|in)$/i.test(n)));
  const reqDir = await readdir(join(dir, 'requirements')).catch(() => [] as string[]);
  names.push(...reqDir.filter((n) => /\.(txt|in)$/i.test(n)).map((n) => `requirements/${n}`));
  for (const name of names) {
    const text = await readText(dir, name);
    if (text !== undefined) files.set(name, text);
  }
  return files;
}

async function pythonInterpreter(ctx: Context): Promise<{ python: string; venv?: string }> {
  for (const venv of ['.venv', 'venv']) {
    const rel = ctx.windows ? `${venv}/Scripts/python.exe` : `${venv}/bin/python`;
    if (await exists(ctx.dir, rel)) return { python: ctx.windows ? `${venv}\\Scripts\\python.exe` : `./${rel}`, venv };
  }
  return { python: ctx.windows ? 'python' : 'python3' };
}

/** A `source =` setting in a coverage.py config section (.coveragerc, pyproject.toml, setup.cfg, tox.ini). */
const COVERAGE_SOURCE = /^\[(?:tool\.coverage\.run|coverage:run|run)\][^[]*^\s*source\s*=/m;

async function detectPython(ctx: Context): Promise<Proposal | undefined> {
  const files = await pythonFiles(ctx.dir);
  const conftest = await exists(ctx.dir, 'conftest.py');
  if (files.size === 0 && !conftest) return undefined;
  const notes: string[] = [];
  const out: Proposal = { ecosystem: 'Python', notes };
  const all = [...files.values()].join('\n');
  const where = (re: RegExp): string =>
    [...files]
      .filter(([, t]) => re.test(t))
      .map(([n]) => n)
      .join(', ');
  const { python, venv } = await pythonInterpreter(ctx);
  if (venv) notes.push(`python: the project's virtual environment ${venv}/ (its interpreter is not run during detection)`);

  const pytestRe = /\bpytest\b/i;
  const covRe = /\bpytest[-_]cov\b/i;
  const pytest = pytestRe.test(all) || conftest || files.has('pytest.ini');
  if (pytest) {
    const command = [python, '-m', 'pytest', `--junitxml=${JUNIT}`];
    if (covRe.test(all)) {
      // A --cov in the project's addopts already names the sources. Else the sources of the coverage
      // config, else the project folder: a bare --cov on an older coverage.py also measures the
      // system's site-packages.
      const coveragerc = (await readText(ctx.dir, '.coveragerc')) ?? '';
      if (!/--cov(=|\s|$)/m.test(all)) command.push(COVERAGE_SOURCE.test(`${all}\n${coveragerc}`) ? '--cov' : '--cov=.');
      // Cobertura XML rather than coverage.py JSON: pytest-cov writes JSON only from 4.1 on (Debian 12 has 4.0).
      command.push('--cov-report=xml:{reports}/coverage.xml');
      out.tests = { command, junit_report: JUNIT, coverage_report: { format: 'cobertura', path: '{reports}/coverage.xml' } };
      notes.push(`tests: pytest with pytest-cov: JUnit and coverage.py's Cobertura XML from one run (${where(covRe)})`);
    } else {
      out.tests = { command, junit_report: JUNIT };
      notes.push(`tests: pytest with JUnit (${where(pytestRe) || (conftest ? 'conftest.py' : 'pytest.ini')})`);
      notes.push(
        'coverage: pytest-cov is not listed in requirements*.txt or pyproject.toml, and coverage.py alone needs a second command (`coverage xml`) that a gate cannot chain; add pytest-cov and run init again',
      );
    }
  } else if (files.has('pyproject.toml') || files.has('setup.py') || files.has('setup.cfg')) {
    const start = (await exists(ctx.dir, 'tests')) ? 'tests' : (await exists(ctx.dir, 'test')) ? 'test' : undefined;
    out.tests = { command: [python, '-m', 'unittest', 'discover', ...(start ? ['-s', start, '-t', '.'] : [])] };
    notes.push(
      'tests: python unittest, pass or fail by the exit code: pytest is not listed; add pytest and pytest-cov and run init again for per-test results and coverage',
    );
  }

  const auditRe = /\bpip[-_]audit\b/i;
  if (auditRe.test(all)) {
    const command = [python, '-m', 'pip_audit', '-f', 'json', '-o', '{reports}/pip-audit.json'];
    // In a virtual environment pip-audit audits what is installed; otherwise the declared dependencies.
    const req = [...files.keys()].find((n) => n === 'requirements.txt');
    if (!venv && req) command.push('-r', req);
    else if (!venv && files.has('pyproject.toml')) command.push('.');
    out.security = { command, report: { format: 'pip-audit', path: '{reports}/pip-audit.json' } };
    notes.push(`security: pip-audit (${where(auditRe)})`);
  } else {
    notes.push(
      'security: pip-audit is not listed, so no Python security gate was proposed; add pip-audit to the dev requirements and run init again',
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Go

/** Tools declared in go.mod with Go 1.24's `tool` directive, single or in a block. */
function goTools(mod: string): string[] {
  const tools: string[] = [];
  for (const m of mod.matchAll(/^tool\s+([^\s(]+)/gm)) tools.push(m[1]!);
  for (const block of mod.matchAll(/^tool\s*\(([^)]*)\)/gm)) {
    for (const line of block[1]!.split('\n')) {
      const path = line.replace(/\/\/.*$/, '').trim();
      if (path) tools.push(path);
    }
  }
  return tools;
}

async function detectGo(ctx: Context): Promise<Proposal | undefined> {
  const mod = await readText(ctx.dir, 'go.mod');
  if (mod === undefined) return undefined;
  const notes: string[] = [];
  const tools = goTools(mod);
  const profile = '-coverprofile={reports}/cover.out';
  const coverage = { format: 'gocover' as const, path: '{reports}/cover.out' };
  let gotestsum: string[] | undefined;
  if (tools.some((t) => t.endsWith('/gotestsum'))) gotestsum = ['go', 'tool', 'gotestsum'];
  else if (await ctx.probe(['gotestsum', '--version'])) gotestsum = ['gotestsum'];
  let tests: TestsInput;
  if (gotestsum) {
    tests = { command: [...gotestsum, '--junitfile', JUNIT, '--', profile, './...'], junit_report: JUNIT, coverage_report: coverage };
    const from =
      gotestsum[0] === 'go' ? 'a tool in go.mod' : 'installed on this machine, not in go.mod: the gate needs it wherever Goldloop runs';
    notes.push(`tests: go test through gotestsum (${from}): JUnit and Go coverprofile from one run`);
  } else {
    tests = { command: ['go', 'test', profile, './...'], coverage_report: coverage };
    notes.push(
      'tests: go test with a coverprofile (go.mod); pass or fail by the exit code, because go test writes no JUnit: add gotestsum (`go get -tool gotest.tools/gotestsum`) and run init again for per-test results',
    );
    if (/go-junit-report/.test(mod))
      notes.push(
        'tests: go-junit-report reads go test output from a pipe, which a gate command (one argv, no shell) cannot build; gotestsum runs go test itself',
      );
  }
  const out: Proposal = { ecosystem: 'Go', tests, build: { command: ['go', 'build', './...'] }, notes };
  notes.push('build: go build ./...');
  if (tools.some((t) => t.endsWith('/govulncheck'))) {
    out.security = { command: ['go', 'tool', 'govulncheck', '-format', 'sarif', './...'], report: { format: 'sarif', path: 'stdout' } };
    notes.push('security: govulncheck, SARIF (a tool in go.mod)');
  } else {
    notes.push('security: no scanner in go.mod; add govulncheck (`go get -tool golang.org/x/vuln/cmd/govulncheck`) and run init again');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rust

async function detectRust(ctx: Context): Promise<Proposal | undefined> {
  const manifest = await readText(ctx.dir, 'Cargo.toml');
  if (manifest === undefined) return undefined;
  const notes: string[] = [];
  const workspace = /^\s*\[workspace\]/m.test(manifest) ? ['--workspace'] : [];
  const llvmCov = await ctx.probe(['cargo', 'llvm-cov', '--version']);
  let tests: TestsInput;
  if (llvmCov) {
    // cargo llvm-cov runs the tests itself, so it replaces cargo test: one run for both.
    tests = {
      command: ['cargo', 'llvm-cov', ...workspace, '--lcov', '--output-path', '{reports}/lcov.info'],
      timeout_minutes: 30,
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
    };
    notes.push(
      `tests: cargo llvm-cov (${llvmCov.split('\n')[0]}), lcov coverage from the test run; pass or fail by the exit code (cargo test writes no JUnit)`,
    );
  } else {
    tests = { command: ['cargo', 'test', ...workspace], timeout_minutes: 30 };
    notes.push('tests: cargo test, pass or fail by the exit code (cargo test writes no JUnit)');
    notes.push('coverage: cargo-llvm-cov is not installed; install it (`cargo install cargo-llvm-cov`) and run init again');
  }
  notes.push('build: cargo build --release');
  notes.push(
    "security: no scanner proposed for Rust (cargo audit's JSON is not a format Goldloop reads); OSV-Scanner reads Cargo.lock: set gates.security with format osv",
  );
  return { ecosystem: 'Rust', tests, build: { command: ['cargo', 'build', '--release', ...workspace], timeout_minutes: 30 }, notes };
}

// ---------------------------------------------------------------------------------------------
// Java

/** Where Surefire and Gradle write their JUnit XML, one file per test class: Goldloop reads the folder. */
const SUREFIRE_JUNIT = 'target/surefire-reports';
const GRADLE_JUNIT = 'build/test-results/test';

async function detectJava(ctx: Context): Promise<Proposal | undefined> {
  const pom = await readText(ctx.dir, 'pom.xml');
  if (pom === undefined) {
    const gradle = (await exists(ctx.dir, 'build.gradle')) || (await exists(ctx.dir, 'build.gradle.kts'));
    if (!gradle) return undefined;
    const wrapper = (await exists(ctx.dir, 'gradlew')) ? (ctx.windows ? 'gradlew.bat' : './gradlew') : 'gradle';
    return {
      ecosystem: 'Java',
      tests: { command: [wrapper, 'clean', 'test', '--console=plain'], timeout_minutes: 30, junit_report: GRADLE_JUNIT },
      notes: [
        `tests: gradle clean test, JUnit from the folder of one file per test class Gradle writes (${GRADLE_JUNIT}, inside the project: Gradle has no command-line setting for it; \`clean\` makes sure its files are this run's); JaCoCo for Gradle is not detected yet: set gates.tests.coverage_report by hand`,
      ],
    };
  }
  const notes: string[] = [];
  const mvn = (await exists(ctx.dir, 'mvnw')) ? (ctx.windows ? 'mvnw.cmd' : './mvnw') : 'mvn';
  // `clean` first: Maven's reports land in target/, and a report left from an earlier run must not be read as this one's.
  const tests: TestsInput = { command: [mvn, '-B', 'clean', 'verify'], timeout_minutes: 30 };
  if (/<modules>/.test(pom)) {
    notes.push(
      `tests: ${mvn} -B clean verify (pom.xml); pass or fail by the exit code: a multi-module build writes one Surefire folder per module (<module>/target/surefire-reports); set gates.tests.junit_report to one of them, or aggregate them`,
    );
  } else {
    tests.junit_report = SUREFIRE_JUNIT;
    notes.push(
      `tests: ${mvn} -B clean verify (pom.xml), JUnit from the folder of one file per test class Surefire writes (${SUREFIRE_JUNIT}/TEST-*.xml, inside the project: Surefire cannot be pointed at Goldloop's report folder from the command line; \`clean\` makes sure its files are this run's)`,
    );
  }
  const jacoco = /jacoco-maven-plugin/.test(pom);
  const report = /<goal>\s*report\s*<\/goal>/.test(pom);
  if (jacoco && report && /<modules>/.test(pom)) {
    notes.push(
      'coverage: a multi-module build writes one JaCoCo report per module; set gates.tests.coverage_report to the report-aggregate XML',
    );
  } else if (jacoco && report) {
    tests.coverage_report = { format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' };
    notes.push(
      "coverage: JaCoCo XML from the same build, at target/site/jacoco/jacoco.xml inside the project (jacoco:report has no command-line setting for its folder; `clean` makes sure the file is this run's)",
    );
  } else if (jacoco) {
    notes.push(
      'coverage: jacoco-maven-plugin runs, but no `report` goal is bound, so no XML is written; add an execution with <goal>report</goal> and run init again',
    );
  } else {
    notes.push('coverage: no jacoco-maven-plugin in pom.xml; add it (goals prepare-agent and report) and run init again');
  }
  notes.push(
    'build: covered by the tests gate (verify packages the project), so no separate build gate runs beside it in the same target/',
  );
  return { ecosystem: 'Java', tests, notes };
}

// ---------------------------------------------------------------------------------------------

const DETECTORS = [detectNode, detectPython, detectGo, detectRust, detectJava];

/**
 * Proposes the gates of a project from its files: a tests gate whose one run writes JUnit and
 * coverage under `{reports}`, and security and build gates where the project has what they need.
 * Ecosystems are tried in order Node, Python, Go, Rust, Java; the first with tests provides the
 * tests gate and, before the others, the security and build gates.
 */
export async function detectGates(projectDir: string, options: DetectOptions = {}): Promise<Detection> {
  const ctx: Context = { dir: projectDir, probe: options.probe ?? probeTool, windows: (options.platform ?? process.platform) === 'win32' };
  const proposals = (await Promise.all(DETECTORS.map((detect) => detect(ctx)))).filter((p): p is Proposal => p !== undefined);
  const primary = proposals.find((p) => p.tests);
  const ordered = primary ? [primary, ...proposals.filter((p) => p !== primary)] : proposals;
  const gates: GatesInput = {};
  const securityFrom = ordered.find((p) => p.security);
  const buildFrom = ordered.find((p) => p.build);
  if (primary) gates.tests = primary.tests;
  if (securityFrom) gates.security = securityFrom.security;
  if (buildFrom) gates.build = buildFrom.build;

  // Each gate's notes come from the ecosystem that provides it; with no provider, every
  // ecosystem's advice for that gate is kept.
  const keep = (p: Proposal, note: string): boolean => {
    if (note.startsWith('security:')) return !securityFrom || p === securityFrom;
    if (note.startsWith('build:')) return !buildFrom || p === buildFrom;
    return p === primary || !primary;
  };
  const notes: string[] = [];
  for (const p of ordered) {
    if (p.problem) notes.push(p.problem);
    notes.push(...p.notes.filter((n) => keep(p, n)));
    if (primary && p !== primary && p.tests) {
      notes.push(
        `tests: also found ${p.ecosystem} tests (${joinCommandLine(p.tests.command)}); a project has one tests gate and ${primary.ecosystem}'s was chosen: change gates.tests.command to choose another`,
      );
    }
  }
  if (!gates.tests)
    notes.push(
      'tests: no test setup found (package.json, pyproject.toml, requirements*.txt, go.mod, Cargo.toml, pom.xml, build.gradle): set gates.tests.command (an argv array) in the knowledge base',
    );
  await detectDocs(projectDir, gates, notes);
  const rank = (n: string): number => ['tests:', 'coverage:', 'security:', 'build:', 'docs:'].findIndex((prefix) => n.startsWith(prefix));
  return {
    gates,
    notes: notes
      .map((n, i) => ({ n, i }))
      .sort((a, b) => sortKey(rank(a.n), a.i) - sortKey(rank(b.n), b.i))
      .map((x) => x.n),
  };
}

/** Notes without a gate prefix (problems, the interpreter) come first, then tests, coverage, security, build, docs. */
const sortKey = (rank: number, index: number): number => (rank + 1) * 10_000 + index;

/** The docs gate checks README.md by default; a project whose README has another name gets that one. */
async function detectDocs(dir: string, gates: GatesInput, notes: string[]): Promise<void> {
  if (await exists(dir, 'README.md')) return;
  const names = await readdir(dir).catch(() => [] as string[]);
  const readme = names.find((n) => /^readme(\.(md|markdown|rst|txt|adoc))?$/i.test(n));
  if (readme) {
    gates.docs = { files: [readme] };
    notes.push(`docs: ${readme} must exist and have no TODO, TBD, FIXME or lorem ipsum`);
  } else {
    notes.push('docs: there is no README.md yet; the docs gate fails until there is one');
  }
}
