/**
 * The test command Goldloop proposes for each Node test runner (vitest, jest, node:test, mocha,
 * and c8 or nyc around any of them): the script's own arguments, minus the reporter options
 * Goldloop sets itself so that one run writes JUnit and lcov under `{reports}`.
 */
import { JUNIT } from './ecosystem.ts';
import { normalise } from './node-scripts.ts';
import { TEST_FILE_GLOBS } from '../coverage-scope.ts';

type OptionKind = 'flag' | 'value';

/**
 * Removes options from an argument list: `--name`, `--name=value`, and `--name value` for
 * options that take a value. A name ending in `.` matches every option under it (`--outputFile.`).
 */
export function stripOptions(args: string[], spec: Record<string, OptionKind>): string[] {
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

export interface NodeEnv {
  has: (name: string) => boolean;
  windows: boolean;
  /** The installed node supports the junit and lcov test reporters (20.11+). */
  nodeReporters: boolean;
}

/** A test command for one runner: argv (without a launcher), the reports it writes, and why. */
export interface RunnerPlan {
  argv: string[];
  /** Set for an environment variable the runner needs (POSIX `env` carries it: no shell). */
  env?: Record<string, string>;
  junit?: string;
  /** Per-test results in a format other than JUnit (jest's own JSON), in place of `junit`. */
  testReport?: { format: 'jest-json'; path: string };
  coverage?: { format: 'lcov'; path: string; exclude?: string[] };
  label: string;
  notes: string[];
}

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
      'coverage: no vitest coverage provider in package.json; add @vitest/coverage-v8 to devDependencies and run goldloop init --redetect (or, with it installed, add --coverage.enabled=true --coverage.reporter=lcovonly --coverage.reportsDirectory={reports}/coverage --coverage.reportOnFailure=true to gates.tests.command and set coverage_report { "format": "lcov", "path": "{reports}/coverage/lcov.info" })',
    );
  }
  return { argv, junit: JUNIT, ...(coverage ? { coverage } : {}), label, notes };
}

/** jest's own results file: per-test results with no reporter package. */
const JEST_RESULTS = '{reports}/jest-results.json';

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
    '--json': 'flag',
    '--outputFile': 'value',
  });
  const argv = ['jest', ...rest, '--ci'];
  const notes: string[] = [];
  let coverage: RunnerPlan['coverage'];
  if (withCoverage) {
    argv.push('--coverage', '--coverageReporters=lcovonly', '--coverageReporters=text-summary', '--coverageDirectory={reports}/coverage');
    coverage = { format: 'lcov', path: '{reports}/coverage/lcov.info' };
  }
  const label = (how: string): string => `jest${withCoverage ? ' with coverage' : ''}${how}`;
  // jest-junit where the project has it (its path comes from an environment variable, which a
  // gate command sets through POSIX env: not on Windows); else jest's own --json results.
  if (env.has('jest-junit') && !env.windows) {
    argv.push('--reporters=default', '--reporters=jest-junit');
    return {
      argv,
      env: { JEST_JUNIT_OUTPUT_DIR: '{reports}', JEST_JUNIT_OUTPUT_NAME: 'junit.xml' },
      junit: JUNIT,
      ...(coverage ? { coverage } : {}),
      label: label(' and jest-junit'),
      notes,
    };
  }
  argv.push('--json', `--outputFile=${JEST_RESULTS}`);
  return {
    argv,
    testReport: { format: 'jest-json', path: JEST_RESULTS },
    ...(coverage ? { coverage } : {}),
    label: label(", per-test results from jest's --json"),
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
    // node:test's own coverage counts the test files too (node 22 has --test-coverage-exclude, 20 not).
    coverage = { format: 'lcov', path: '{reports}/lcov.info', exclude: TEST_FILE_GLOBS };
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
  const rest = stripOptions(args, {
    '--reporter': 'value',
    '-R': 'value',
    '--reporter-options': 'value',
    '--reporter-option': 'value',
    '-O': 'value',
  });
  // mocha-junit-reporter where the project has it; else mocha's built-in xunit reporter, JUnit-shaped XML.
  if (env.has('mocha-junit-reporter'))
    return {
      argv: ['mocha', ...rest, '--reporter', 'mocha-junit-reporter', '--reporter-options', `mochaFile=${JUNIT}`],
      junit: JUNIT,
      label: 'mocha with mocha-junit-reporter',
      notes: [],
    };
  return {
    argv: ['mocha', ...rest, '--reporter', 'xunit', '--reporter-option', `output=${JUNIT}`],
    junit: JUNIT,
    label: 'mocha with its built-in xunit reporter',
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
    ...(inner.testReport ? { testReport: inner.testReport } : {}),
    coverage: { format: 'lcov', path: '{reports}/coverage/lcov.info' },
    label: `${inner.label} under ${tool} coverage`,
    notes: inner.notes,
  };
}

export function runnerPlan(tokens: string[], env: NodeEnv, withCoverage: boolean): RunnerPlan | undefined {
  const [first, ...args] = tokens;
  if (first === 'vitest') return vitestPlan(args, env, withCoverage);
  if (first === 'jest') return jestPlan(args, env, withCoverage);
  if (first === 'mocha') return mochaPlan(args, env);
  if (first === 'node' && tokens.includes('--test')) return nodeTestPlan(tokens, env, withCoverage);
  if ((first === 'c8' || first === 'nyc') && withCoverage) return coverageWrapperPlan(first, args, env);
  return undefined;
}

/** Node 20.11 added the junit and lcov reporters of `node --test`. */
export function nodeHasReporters(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 20 || (major === 20 && minor >= 11);
}
