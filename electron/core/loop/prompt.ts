import type { GateRun } from '../gates/types.ts';
import type { Kb } from '../kb/schema.ts';
import type { Selection } from '../tasks/queue.ts';

export interface PromptInput {
  kb: Kb;
  projectName: string;
  iteration: number;
  selection: Exclude<Selection, { kind: 'complete' } | { kind: 'stuck' }>;
  lastGates?: GateRun;
  feedback?: { task?: string; verification?: string; regressions?: string[]; tamper?: string[] };
}

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
      const lines = ['## Your task: cover the uncovered requirements', 'Write or fix tests (and code) so that each requirement below is named by a passing test (put the id in the test name, e.g. "REQ-012 rejects empty input"):'];
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
        ...(selection.files.length ? ['Least covered files:', ...selection.files.slice(0, 10).map((f) => `- ${f}`)] : []),
      ];
    case 'gate_gap':
      return ['## Your task: make a failing gate pass', `Gate "${selection.gate}": ${selection.detail}`];
  }
}

/**
 * The cycle's prompt: the task and its acceptance, the phase, the failing gates with their
 * evidence, what went wrong last time, and the rules. Goldloop measures; the agent only works.
 */
export function buildPrompt(input: PromptInput): string {
  const lines: string[] = [
    `# Goldloop work cycle ${input.iteration} — ${input.projectName}`,
    '',
    'You are the coding agent in an autonomous loop. Do one focused piece of work, then exit.',
    'Goldloop runs the tests, reads coverage and checks requirements itself after you finish; only its measurements count.',
    '',
    ...taskSection(input),
  ];
  const failing = input.lastGates?.checklist.filter((c) => !c.passed) ?? [];
  if (failing.length) {
    lines.push('', '## Failing checklist lines (measured by Goldloop before this cycle)');
    for (const c of failing) lines.push(`- ${c.label}: ${c.value ?? 'not measured'} (target ${c.threshold ?? '-'}) — ${c.evidence.detail}`);
  }
  const failingTests = input.lastGates?.tests.filter((t) => t.status === 'failed' || t.status === 'errored') ?? [];
  if (failingTests.length) {
    lines.push('', '## Failing tests');
    for (const t of failingTests.slice(0, 15)) lines.push(`- ${t.name}${t.message ? `: ${t.message.slice(0, 200)}` : ''}`);
    if (failingTests.length > 15) lines.push(`- ... and ${failingTests.length - 15} more`);
  }
  const fb = input.feedback;
  if (fb?.regressions?.length) {
    lines.push('', '## Regressions in the last cycle (its changes were rolled back)', `These tests passed before and failed after: ${list(fb.regressions)}`);
  }
  if (fb?.tamper?.length) {
    lines.push('', '## The last cycle weakened the measurements and was not counted', ...fb.tamper.map((t) => `- ${t}`), 'Make the real change instead; tests stay as they are.');
  }
  if (fb?.verification) {
    lines.push('', `## Last attempt${fb.task ? ` at ${fb.task}` : ''} was not accepted`, fb.verification);
  }
  lines.push(
    '',
    '## Rules',
    '- Work on this task only; leave unrelated code alone.',
    '- Keep tests honest: never delete, skip or weaken a test, and never change the gate configuration or thresholds in .ai-knowledge-base.json. Goldloop detects it and the cycle does not count.',
    '- Do not edit anything under .goldloop/ or the measured fields of .ai-knowledge-base.json (test_results, counters, completion_status).',
    '- Do not commit; Goldloop makes a checkpoint commit after each cycle.',
    '- Exit when the task is done; exit with a non-zero code if you could not work at all.',
  );
  return `${lines.join('\n')}\n`;
}
