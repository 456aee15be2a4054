import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../../platform/process.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { CANARY_PASSED, canaryPassed } from '../gates/checklist/canary.ts';
import type { CanaryRun } from '../gates/measurement.ts';
import type { GateRun } from '../gates/types.ts';
import { lostTests, type LostTestsFinding } from './lost-tests.ts';

/** Something the agent did that weakens Goldloop's measurements. */
export interface TamperFinding {
  kind: 'skip_added' | LostTestsFinding['kind'] | 'harness_tampered' | 'test_file_deleted' | 'config_changed' | 'report_written';
  message: string;
  /** The lines that show it (diff excerpt), for the history and the next prompt. */
  evidence?: string;
}

/** Added lines that switch tests off, in the frameworks Goldloop detects. */
const SKIP_PATTERNS: { re: RegExp; what: string }[] = [
  { re: /\b(?:it|test|describe|suite|context)(?:\.concurrent)?\.(?:skip|only|todo)\s*\(/, what: 'a .skip/.only/.todo' },
  {
    re: /\b(?:it|test|describe|suite)(?:\.concurrent)?\.(?:fails|failing|skipIf|runIf)\s*\(/,
    what: 'a vitest/jest .fails/.failing/.skipIf',
  },
  { re: /\bx(?:it|test|describe)\s*\(/, what: 'an xit/xdescribe' },
  // Inside a node:test body: the test reports skipped (or todo, which does not fail) whatever it asserted before.
  { re: /\b(?:t|ctx)\.(?:skip|todo)\s*\(/, what: 'a node:test t.skip()/t.todo()' },
  {
    re: /@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail)\s*\(|@unittest\.(?:skip|expectedFailure)|\bself\.skipTest\s*\(/,
    what: 'a pytest/unittest skip or xfail',
  },
  { re: /\bt\.Skip(?:Now|f)?\s*\(/, what: 'a Go t.Skip' },
  { re: /#\[ignore\b/, what: 'a Rust #[ignore]' },
  { re: /@(?:Disabled|Ignore)\b/, what: 'a JUnit @Disabled/@Ignore' },
  {
    re: /\{\s*(?:skip|todo)\s*:\s*true\s*\}|\b(?:test|it|describe|suite)\s*\([^)]*,\s*\{\s*(?:skip|todo)\b/,
    what: 'a node:test skip or todo option',
  },
];

const TEST_PATH =
  /(^|\/)(tests?|spec|__tests__)\/|[._-](test|spec)s?\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go)$|Tests?\.(java|kt)$/;

async function git(dir: string, args: string[]): Promise<string[]> {
  const r = await runProcess(['git', ...args], { cwd: dir, timeoutMs: 60_000, tailLines: 500_000 });
  return r.exitCode === 0 ? r.stdoutTail : [];
}

export interface TamperInput {
  projectDir: string;
  /** The commit the cycle started from; without one (no git) only the test counts are compared. */
  before?: string;
  previous?: GateRun;
  /** The run's baseline: a test that passed there must still run, and pass or fail, not skip. */
  baseline?: GateRun;
  /** This phase's canary, a test that must fail. */
  canary?: CanaryRun;
  /** This cycle's measurement; without one (an unmeasured cycle) only the diff is checked. */
  current?: GateRun;
  /** Goldloop-only KB fields the agent edited (restoreGoldloopFields' answer). */
  restored: string[];
  kb: Kb;
}

/**
 * Looks for the ways an agent can make the checklist look better without the work: skipped or
 * focused tests, deleted tests, a weakened gate configuration, a report file it wrote itself.
 */
export async function detectTampering(input: TamperInput): Promise<TamperFinding[]> {
  const findings: TamperFinding[] = [];
  // The agent's own settings are the user's limits on it too: its budget, its permission mode, its prompt.
  // So are a task's terms (its verify command, requirements, priority, an open bug or block) and the documents the docs gate checks.
  const weakened = input.restored.filter(
    (r) =>
      r === 'gates' ||
      r === 'autonomous_operation' ||
      r === 'agent' ||
      r === 'prompt_template' ||
      r.startsWith('requirement ') ||
      r.startsWith('documents ') ||
      / \((removed|moved to \w+)\)$/.test(r) ||
      /\.(verify|requirements|acceptance|priority|critical_bug|blocked_reason)\b/.test(r),
  );
  if (weakened.length) {
    findings.push({
      kind: 'config_changed',
      message: `the agent edited the locked configuration (${weakened.join(', ')}); Goldloop restored it`,
    });
  }
  if (input.canary && canaryPassed(input.canary)) {
    const which = input.canary.passed.length ? input.canary.passed.join('; ') : `exit ${String(input.canary.result.exitCode)}`;
    findings.push({ kind: 'harness_tampered', message: CANARY_PASSED, evidence: which });
  }
  if (input.current) findings.push(...lostTests(input.current, input.previous, input.baseline));
  if (!input.before) return findings;
  const names = await git(input.projectDir, ['diff', '--name-status', input.before, '--']);
  const untracked = await git(input.projectDir, ['ls-files', '--others', '--exclude-standard']);
  for (const line of names) {
    const [status, path] = line.split('\t');
    if (status === 'D' && path && TEST_PATH.test(path))
      findings.push({ kind: 'test_file_deleted', message: `the test file ${path} was deleted` });
  }
  // Report files Goldloop reads from inside the project (configured without {reports}).
  const g = input.kb.gates;
  const reportPaths = [g.tests?.junit_report, g.tests?.coverage_report?.path, g.security?.report.path, g.performance?.output].filter(
    (p): p is string => p !== undefined && p !== 'stdout' && !p.includes('{reports}'),
  );
  const changed = [...names.map((l) => l.split('\t').at(-1)!), ...untracked];
  for (const p of reportPaths) {
    // A JUnit report may be a folder of files (Surefire, Gradle): a file written under it counts.
    const folder = `${p.replace(/\/+$/, '')}/`;
    const written = changed.find((c) => c === p || c.startsWith(folder));
    if (written) findings.push({ kind: 'report_written', message: `the agent wrote ${written}, a report file Goldloop reads` });
  }
  const added: string[] = [];
  const diff = await git(input.projectDir, ['diff', '-U0', '--no-color', input.before, '--']);
  let file = '';
  for (const line of diff) {
    if (line.startsWith('+++ ')) file = line.replace(/^\+\+\+ (b\/)?/, '');
    else if (line.startsWith('+') && !line.startsWith('+++')) added.push(`${file}: ${line.slice(1)}`);
  }
  for (const path of untracked) {
    const text = await readFile(join(input.projectDir, path), 'utf8').catch(() => '');
    if (text.length < 1 << 20) for (const l of text.split('\n')) added.push(`${path}: ${l}`);
  }
  // Prose may mention `it.skip(`; only code can switch a test off.
  const code = added.filter((l) => !/^[^:]*\.(md|markdown|txt|rst|adoc)\b:/i.test(l));
  for (const { re, what } of SKIP_PATTERNS) {
    const hits = code.filter((l) => re.test(l));
    if (hits.length)
      findings.push({
        kind: 'skip_added',
        message: `the agent added ${what} (${hits.length} line(s))`,
        evidence: hits.slice(0, 5).join('\n'),
      });
  }
  return findings;
}
