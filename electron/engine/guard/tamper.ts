import type { AddedLine, ChangedFile, SnapshotRepo } from '../../platform/snapshots.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { CANARY_PASSED, canaryPassed } from '../gates/checklist/canary.ts';
import type { CanaryRun } from '../gates/measurement.ts';
import type { GateRun } from '../gates/types.ts';
import { lostTests, type LostTestsFinding } from './lost-tests.ts';

/** Something the agent did that weakens Goldloop's measurements, or hides what it did. */
export interface TamperFinding {
  kind:
    | 'skip_added'
    | LostTestsFinding['kind']
    | 'harness_tampered'
    | 'test_file_deleted'
    | 'config_changed'
    | 'report_written'
    | 'diff_failed';
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

/**
 * A cycle's snapshots in Goldloop's own repository (platform/snapshots.ts), which the agent cannot
 * reach: the project at the cycle's start, and as the agent left it — or why that could not be taken.
 */
export interface CycleSnapshots {
  repo: SnapshotRepo;
  start: string;
  end?: string;
  /** Why the end could not be taken. */
  error?: string;
}

export interface TamperInput {
  /** The cycle's start and end; without them (no git) only the test counts are compared. */
  snapshots?: CycleSnapshots;
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

/** What the agent changed between the cycle's start and end; a comparison that fails is a finding, never "no changes". */
async function cycleDiff(s: CycleSnapshots): Promise<{ files: ChangedFile[]; added: AddedLine[] } | TamperFinding> {
  try {
    if (!s.end) throw new Error(s.error ?? 'no snapshot of the end was taken');
    return { files: await s.repo.changedFiles(s.start, s.end), added: await s.repo.addedLines(s.start, s.end) };
  } catch (error) {
    return {
      kind: 'diff_failed',
      message: `Goldloop could not compare the project at the cycle's start with its end, so nothing the agent changed can be checked (${(error as Error).message})`,
    };
  }
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
  if (!input.snapshots) return findings;
  const diff = await cycleDiff(input.snapshots);
  if ('kind' in diff) return [...findings, diff];
  for (const f of diff.files) {
    // A test file renamed to a name no test runner picks up is deleted as far as the tests go.
    const gone = f.status === 'D' ? f.path : f.status === 'R' && TEST_PATH.test(f.from!) && !TEST_PATH.test(f.path) ? f.from! : undefined;
    if (gone && TEST_PATH.test(gone)) findings.push({ kind: 'test_file_deleted', message: `the test file ${gone} was deleted` });
  }
  // Report files Goldloop reads from inside the project (configured without {reports}).
  const g = input.kb.gates;
  const reportPaths = [
    g.tests?.junit_report,
    g.tests?.test_report?.path,
    g.tests?.coverage_report?.path,
    g.security?.report?.path,
    g.performance?.output,
  ].filter((p): p is string => p !== undefined && p !== 'stdout' && !p.includes('{reports}'));
  const changed = diff.files.map((f) => f.path);
  for (const p of reportPaths) {
    // A JUnit report may be a folder of files (Surefire, Gradle): a file written under it counts.
    const folder = `${p.replace(/\/+$/, '')}/`;
    const written = changed.find((c) => c === p || c.startsWith(folder));
    if (written) findings.push({ kind: 'report_written', message: `the agent wrote ${written}, a report file Goldloop reads` });
  }
  // Prose may mention `it.skip(`; only code can switch a test off.
  const code = diff.added.filter((a) => !/\.(md|markdown|txt|rst|adoc)$/i.test(a.file)).map((a) => `${a.file}: ${a.line}`);
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
