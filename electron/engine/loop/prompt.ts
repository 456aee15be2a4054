import type { GateRun } from '../gates/types.ts';
import type { Kb, Note } from '../../store/kb/schema.ts';
import type { Selection } from '../tasks/queue.ts';
import { defaultPromptTemplate, renderTemplate, type PlaceholderName, type PromptTemplate } from './prompt-template.ts';

export interface PromptInput {
  kb: Kb;
  projectName: string;
  iteration: number;
  selection: Exclude<Selection, { kind: 'complete' } | { kind: 'stuck' }>;
  lastGates?: GateRun;
  feedback?: { task?: string; verification?: string; regressions?: string[]; tamper?: string[] };
  /** Notes the agent left in earlier cycles, oldest first (default: the KB's); the latest few are shown. */
  notes?: readonly Note[];
  /** The project's template (default: the bundled one). */
  template?: PromptTemplate;
  /** The size budget in characters (default: the KB's agent.prompt_budget_chars, else 24,000). */
  budgetChars?: number;
}

/** The prompt's default size budget, in characters. */
export const DEFAULT_PROMPT_BUDGET = 24_000;
/** Notes shown at most, newest kept. */
export const MAX_NOTES_SHOWN = 8;

const list = (items: string[], max = 10): string =>
  items.slice(0, max).join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');

/** A stable work id for history and logs: the task id, or the gap it closes. */
export function workId(selection: PromptInput['selection']): string {
  switch (selection.kind) {
    case 'task':
      return selection.task.task.task_id;
    case 'requirement_gap':
      return 'gap:requirements';
    case 'coverage_gap':
      return 'gap:coverage';
    case 'gate_gap':
      return `gap:${selection.gate}`;
  }
}

/** One line a person reads in the live view: what this cycle works on. */
export function workDescription(selection: PromptInput['selection']): string {
  switch (selection.kind) {
    case 'task':
      return selection.task.task.description || selection.task.task.task_id;
    case 'requirement_gap':
      return `cover requirements ${list(selection.requirements, 5)} with passing tests`;
    case 'coverage_gap':
      return `raise test coverage from ${selection.value}% to ${selection.threshold}%`;
    case 'gate_gap':
      return `fix the failing ${selection.gate} gate: ${selection.detail}`;
  }
}

function taskSection(input: PromptInput): string[] {
  const { selection, kb } = input;
  switch (selection.kind) {
    case 'task': {
      const { task, priority } = selection.task;
      const phase = kb.phases.find((p) => p.phase === task.phase);
      const lines = [
        `## Your task: ${task.task_id} (${priority}, Phase ${task.phase}${phase ? ` ${phase.name}` : ''})`,
        task.description || '(no description)',
      ];
      if (task.acceptance) lines.push('', `Acceptance: ${task.acceptance}`);
      const reqs = kb.requirements.filter((r) => task.requirements.includes(r.id));
      if (reqs.length) {
        lines.push('', 'Requirements this task implements (each must end up named by a passing test):');
        for (const r of reqs) lines.push(`- ${r.id}: ${r.text}`);
      }
      if (task.verify) lines.push('', `Goldloop will run \`${task.verify.join(' ')}\`; it must exit 0.`);
      return lines;
    }
    case 'requirement_gap': {
      const lines = [
        '## Your task: cover the uncovered requirements',
        'Write or fix tests (and code) so that each requirement below is named by a passing test (put the id in the test name, e.g. "REQ-012 rejects empty input"):',
      ];
      for (const id of selection.requirements.slice(0, 20)) {
        const r = kb.requirements.find((x) => x.id === id);
        lines.push(`- ${id}: ${r?.text ?? ''}`);
      }
      return lines;
    }
    case 'coverage_gap':
      return [
        '## Your task: raise test coverage',
        `Line coverage is ${selection.value}%; the target is ${selection.threshold}%. Add meaningful tests for untested behaviour.`,
      ];
    case 'gate_gap':
      return ['## Your task: make a failing gate pass', `Gate "${selection.gate}": ${selection.detail}`];
  }
}

const RULES = [
  '## Rules',
  '- Work on this task only; leave unrelated code alone.',
  '- Keep tests honest: never delete, skip or weaken a test, and never change the gate configuration or thresholds in .ai-knowledge-base.json. Goldloop detects it and the cycle does not count.',
  '- Do not edit anything under .goldloop/ (except writing .goldloop/notes/next.md) or the measured fields of .ai-knowledge-base.json (test_results, counters, completion_status).',
  '- Do not commit; Goldloop makes a checkpoint commit after each cycle.',
  '- Exit when the task is done; exit with a non-zero code if you could not work at all.',
].join('\n');

const HOW_TO_ADD = [
  '## Adding a task or a note',
  'To add a task you found necessary, append it to `task_queue.high_priority` (P0), `medium_priority` (P1) or `low_priority` (P2) in .ai-knowledge-base.json:',
  '`{ "task_id": "TASK_NEW_1", "description": "what to do", "priority": "P1", "phase": 1, "dependencies": [], "status": "ready", "requirements": [] }`',
  'To leave a note for your next cycles (what you tried, what is left), append to the top-level `notes` array of .ai-knowledge-base.json:',
  '`{ "text": "the cart total ignores coupons; see src/cart.ts", "task": "TASK_001" }`',
  'or write plain Markdown to .goldloop/notes/next.md. Only Goldloop marks tasks done.',
].join('\n');

/** What the budget may shorten, in the order it is cut. The task, the rules and how to add are never cut. */
interface Cuttable {
  notes: Note[];
  failingTests: string[];
  leastCovered: string[];
  gates: { head: string; detail: string }[];
  gateDetailMax?: number;
  regressions: string[];
  tamper: string[];
  tamperFirstLineOnly: boolean;
  lastAttempt?: string;
  lastAttemptMax?: number;
}

const clip = (text: string, max: number | undefined): string => (max === undefined || text.length <= max ? text : `${text.slice(0, max)}…`);

function gather(input: PromptInput): Cuttable {
  const gates = input.lastGates;
  const failingTests = (gates?.tests ?? [])
    .filter((t) => t.status === 'failed' || t.status === 'errored')
    .map((t) => `- ${t.name}${t.message ? `: ${t.message.slice(0, 200)}` : ''}`);
  const coverageFails = gates?.checklist.some((c) => c.id === 'coverage' && !c.passed) ?? false;
  const fb = input.feedback;
  return {
    notes: [...(input.notes ?? input.kb.notes ?? [])].slice(-MAX_NOTES_SHOWN),
    failingTests,
    leastCovered:
      input.selection.kind === 'coverage_gap'
        ? input.selection.files.slice(0, 10).map((f) => `- ${f}`)
        : coverageFails
          ? (gates?.least_covered_files ?? []).slice(0, 10).map((f) => `- ${f.file} (${f.pct}%)`)
          : [],
    gates: (gates?.checklist ?? [])
      .filter((c) => !c.passed)
      .map((c) => ({ head: `- ${c.label}: ${c.value ?? 'not measured'} (target ${c.threshold ?? '-'})`, detail: c.evidence.detail })),
    regressions: fb?.regressions ?? [],
    tamper: fb?.tamper ?? [],
    tamperFirstLineOnly: false,
    ...(fb?.verification ? { lastAttempt: fb.verification } : {}),
  };
}

function blocks(input: PromptInput, c: Cuttable, totals: { tests: number; notes: number }): Partial<Record<PlaceholderName, string>> {
  const fb = input.feedback;
  const out: Partial<Record<PlaceholderName, string>> = {
    project: input.projectName,
    iteration: String(input.iteration),
    task: taskSection(input).join('\n'),
    how_to_add: HOW_TO_ADD,
    rules: RULES,
  };
  if (c.gates.length) {
    out.failing_gates = [
      '## Failing checklist lines (measured by Goldloop before this cycle)',
      ...c.gates.map((g) => `${g.head} — ${clip(g.detail, c.gateDetailMax)}`),
    ].join('\n');
  }
  if (c.failingTests.length) {
    const more = totals.tests - c.failingTests.length;
    out.failing_tests = ['## Failing tests', ...c.failingTests.slice(0, 15), ...(more > 0 ? [`- ... and ${more} more`] : [])].join('\n');
  }
  if (c.leastCovered.length) out.least_covered_files = ['## Least covered files', ...c.leastCovered].join('\n');
  if (c.regressions.length) {
    out.regressions = [
      '## Regressions in the last cycle (its changes were rolled back)',
      `These tests passed before and failed after: ${list(c.regressions)}`,
    ].join('\n');
  }
  if (c.tamper.length) {
    const items = c.tamper.map((t) => `- ${c.tamperFirstLineOnly ? t.split('\n')[0] : t}`);
    out.tamper = [
      '## The last cycle weakened the measurements and was not counted',
      ...items,
      'Make the real change instead; tests stay as they are.',
    ].join('\n');
  }
  if (c.lastAttempt)
    out.last_attempt = [`## Last attempt${fb?.task ? ` at ${fb.task}` : ''} was not accepted`, clip(c.lastAttempt, c.lastAttemptMax)].join(
      '\n',
    );
  if (c.notes.length) {
    const older = totals.notes - c.notes.length;
    out.notes = [
      '## Notes you left in earlier cycles (newest last)',
      ...c.notes.map(
        (n) =>
          `- ${n.cycle !== undefined ? `cycle ${n.cycle}` : 'earlier'}${n.task ? `, ${n.task}` : ''}: ${n.text.trim().replace(/\n+/g, ' ')}`,
      ),
      ...(older > 0 ? [`(${older} older note(s) not shown; all are in .ai-knowledge-base.json)`] : []),
    ].join('\n');
  }
  return out;
}

/**
 * One unit of cutting per call, least important first; false when a step has nothing left.
 * The order is documented in the README: older notes, failing test names, least-covered files,
 * gate evidence detail, tamper evidence, regression names, the last attempt's explanation.
 */
const CUT_STEPS: { what: string; cut: (c: Cuttable) => boolean }[] = [
  { what: 'older notes', cut: (c) => c.notes.shift() !== undefined },
  { what: 'failing test names', cut: (c) => c.failingTests.pop() !== undefined },
  { what: 'least-covered files', cut: (c) => c.leastCovered.pop() !== undefined },
  {
    what: 'gate evidence detail',
    cut: (c) => (c.gateDetailMax === undefined && c.gates.length > 0 ? ((c.gateDetailMax = 160), true) : false),
  },
  {
    what: 'tamper evidence',
    cut: (c) => (!c.tamperFirstLineOnly && c.tamper.some((t) => t.includes('\n')) ? ((c.tamperFirstLineOnly = true), true) : false),
  },
  { what: 'regression names', cut: (c) => (c.regressions.length > 3 ? (c.regressions.pop(), true) : false) },
  {
    what: "the last attempt's explanation",
    cut: (c) => (c.lastAttempt && c.lastAttemptMax === undefined && c.lastAttempt.length > 300 ? ((c.lastAttemptMax = 300), true) : false),
  },
];

/** The prompt and what the size budget cut from it. */
export interface BuiltPrompt {
  text: string;
  /** Parts left out or shortened, in words; empty when everything fit. */
  cut: string[];
  budgetChars: number;
}

/**
 * The cycle's prompt, from the project's template: the task and its acceptance, the phase, the
 * failing gates with their evidence, what went wrong last time, the agent's notes and the rules.
 * Over the size budget, the least important parts are cut first and the prompt says what was cut.
 */
export function composePrompt(input: PromptInput): BuiltPrompt {
  const template = input.template ?? defaultPromptTemplate();
  const budget = input.budgetChars ?? input.kb.agent?.prompt_budget_chars ?? DEFAULT_PROMPT_BUDGET;
  const c = gather(input);
  const totals = { tests: c.failingTests.length, notes: (input.notes ?? input.kb.notes ?? []).length };
  const counts = new Map<string, number>();
  const cutNotice = (): string | undefined =>
    counts.size
      ? `## Left out to fit the prompt budget (${budget.toLocaleString('en-US')} characters)\n${[...counts].map(([what, n]) => `- ${what} (${n})`).join('\n')}`
      : undefined;
  const render = (): string => {
    const b = blocks(input, c, totals);
    const notice = cutNotice();
    if (notice) b.cut = notice;
    let text = renderTemplate(template, b);
    // A user's template without {{cut}} still says what was left out.
    if (notice && !/\{\{\s*cut\s*\}\}/.test(template.text)) text += `\n${notice}\n`;
    return text;
  };
  let text = render();
  for (const step of CUT_STEPS) {
    while (text.length > budget && step.cut(c)) {
      counts.set(step.what, (counts.get(step.what) ?? 0) + 1);
      text = render();
    }
    if (text.length <= budget) break;
  }
  return { text, cut: [...counts].map(([what, n]) => `${what} (${n})`), budgetChars: budget };
}

/** The cycle's prompt text; see `composePrompt`. */
export function buildPrompt(input: PromptInput): string {
  return composePrompt(input).text;
}
