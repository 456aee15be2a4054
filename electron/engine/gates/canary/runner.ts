/** What every runner's canary plan is made of: its shape, where a tests command names its runner, the options of it the canary keeps (see `run.ts`). */
import { basename } from 'node:path';
import { parseJUnit } from '../parsers/junit.ts';

/** What the canary's run found: its tests, and those that did not fail (none, in an honest harness). */
export interface CanaryResult {
  total: number;
  passed: string[];
  /** Where the runner says how many places it ran in (pytest's test folders, go's packages). */
  modules?: number;
}

/** How one runner runs the canary. */
export interface CanaryPlan {
  /** The command, `{reports}` in it where the runner needs the folder. */
  command: string[];
  /** Added to the environment, `{reports}` filled in. */
  env?: Record<string, string>;
  /** The files to write into `{reports}` before it starts, by name, given the folder's path. */
  files: (reports: string) => Record<string, string>;
  /** Its report: a path under `{reports}`, or stdout. */
  report: string;
  parse: (text: string) => CanaryResult;
  /** How many of the project's modules (or test folders, or packages) it ran in. */
  modules: number;
  /** False where an exit code of 0 proves nothing by itself (pytest: every canary skipped by a module's marker). */
  exitCodeCounts?: false;
}

/** Where the runner is asked to plan: the project, the tests command, the canary's random token. */
export interface CanaryTarget {
  projectDir: string;
  command: readonly string[];
  token: string;
  /** The project's files, when the phase listed them already (else `projectFiles` lists them). */
  files?: () => Promise<string[]>;
}

/**
 * A JUnit report's canary tests: those that neither failed nor errored passed the canary, a skip
 * too unless `skips` is false (pytest, where a test module's own skip marker applies to it).
 */
export function junitCanary(text: string, shown: string, skips = true): CanaryResult {
  const report = parseJUnit(text, shown);
  return {
    total: report.tests.length,
    passed: report.tests.filter((t) => t.status === 'passed' || (skips && t.status === 'skipped')).map((t) => t.name),
  };
}

/** Coverage wrappers around a runner: the canary runs the runner without them. */
const WRAPPERS = new Set(['c8', 'nyc']);

const commandName = (arg: string): string => basename(arg).replace(/\.(cmd|exe|[cm]?js)$/i, '');

/** What may stand before a runner in a tests command: launchers, interpreters and their switches, environment settings. */
const LAUNCHERS = new Set(['env', 'npx', 'pnpx', 'bunx', 'pnpm', 'yarn', 'bun', 'npm', 'exec', 'dlx', 'x', 'run', 'tool', 'node', 'go']);
const LAUNCHER_SWITCHES = new Set(['-m', '--', '--no', '--yes', '-y', '--no-install']);
const launcher = (arg: string): boolean =>
  LAUNCHERS.has(commandName(arg)) ||
  LAUNCHER_SWITCHES.has(arg) ||
  /^(python[\d.]*|py|uv|poetry|pipenv|pdm|hatch|rye)$/i.test(commandName(arg)) ||
  /^[A-Za-z_]\w*=/.test(arg);

/**
 * The runner named `name` in a tests command: the command up to it (a launcher such as npx or env,
 * without a coverage wrapper), and the arguments after it; undefined when it does not run it. Only
 * launchers may stand before it (after a coverage wrapper, anything: its options), so that a runner
 * named as another program's argument (`tox -e pytest`) is not taken for the tests command's runner.
 */
export function runnerAt(command: readonly string[], name: string): { prefix: string[]; args: string[] } | undefined {
  let wrapper = -1;
  for (let at = 0; at < command.length; at++) {
    const arg = command[at]!;
    if (commandName(arg) === name) return { prefix: [...command.slice(0, wrapper < 0 ? at : wrapper), arg], args: command.slice(at + 1) };
    if (wrapper < 0 && WRAPPERS.has(commandName(arg))) wrapper = at;
    else if (wrapper < 0 && !launcher(arg)) return undefined;
  }
  return undefined;
}

/** The named options of `args` with their values (`--name value` or `--name=value`), in order; every option named takes a value. */
export function pickOptions(args: readonly string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    const [name] = arg.split('=');
    if (!names.has(name!)) continue;
    if (arg.includes('=')) out.push(arg);
    else if (args[i + 1] !== undefined) out.push(arg, args[++i]!);
  }
  return out;
}

/** The value of the first of `names` in `args`, or undefined. */
export function optionValue(args: readonly string[], names: ReadonlySet<string>): string | undefined {
  const [first, second] = pickOptions(args, names);
  return first?.includes('=') ? first.slice(first.indexOf('=') + 1) : second;
}
