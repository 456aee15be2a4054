import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GateRun } from '../../../electron/engine/gates/types.ts';
import { KbSchema, type KbInput } from '../../../electron/store/kb/schema.ts';
import { buildPrompt, composePrompt, type PromptInput } from '../../../electron/engine/loop/prompt.ts';
import { loadPromptTemplate, parseTemplate, PromptTemplateError } from '../../../electron/engine/loop/prompt-template.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'goldloop-prompt-'));
  dirs.push(d);
  return d;
};

function input(kbInput: KbInput = {}, extra: Partial<PromptInput> = {}): PromptInput {
  const kb = KbSchema.parse({
    task_queue: {
      high_priority: [{ task_id: 'TASK_001', description: 'Implement login', acceptance: 'a user can log in', requirements: ['REQ-001'] }],
    },
    requirements: [{ id: 'REQ-001', text: 'Users log in' }],
    ...kbInput,
  });
  const task = kb.task_queue.high_priority[0]!;
  return {
    kb,
    projectName: 'shop',
    iteration: 7,
    selection: { kind: 'task', task: { task, queue: 'high_priority', index: 0, priority: 'P0' } },
    ...extra,
  };
}

const gates = (failingTests: number, detail = 'vitest exited 1'): GateRun => ({
  at: '2026-01-01T00:00:00Z',
  duration_ms: 1,
  gold: false,
  checklist: [
    {
      id: 'tests',
      label: 'All tests passing',
      passed: false,
      value: `${failingTests} failing`,
      threshold: '0 failing',
      evidence: { detail },
    },
    { id: 'coverage', label: 'Test coverage', passed: false, value: 41, threshold: 80, evidence: { detail: 'lcov' } },
  ],
  tests: Array.from({ length: failingTests }, (_, i) => ({
    name: `cart test ${i} computes the total`,
    status: 'failed' as const,
    message: 'expected 3 to be 4',
  })),
  uncovered_requirements: [],
  least_covered_files: [{ file: 'src/cart.ts', pct: 12 }],
});

describe('the default template', () => {
  it('carries the task, its acceptance, failing gates, failing tests, least covered files and the rules', () => {
    const text = buildPrompt(input({}, { lastGates: gates(2) }));
    expect(text).toContain('# Goldloop work cycle 7 — shop');
    expect(text).toContain('## Your task: TASK_001 (P0, Phase 1 Core Features)');
    expect(text).toContain('Acceptance: a user can log in');
    expect(text).toContain('- REQ-001: Users log in');
    expect(text).toContain('- All tests passing: 2 failing (target 0 failing) — vitest exited 1');
    expect(text).toContain('- cart test 1 computes the total: expected 3 to be 4');
    expect(text).toContain('## Least covered files\n- src/cart.ts (12%)');
    expect(text).toContain('## Rules');
    expect(text).not.toMatch(/\{\{|\n\n\n/);
  });

  it('tells the agent the exact JSON shapes for adding a task and a note', () => {
    const text = buildPrompt(input());
    expect(text).toContain('"task_id": "TASK_NEW_1"');
    expect(text).toContain('top-level `notes` array');
    expect(text).toContain('.goldloop/notes/next.md');
    const shapes = [...text.matchAll(/`(\{ .* \})`/g)].map((m) => JSON.parse(m[1]!) as object);
    expect(shapes).toEqual([
      expect.objectContaining({ task_id: 'TASK_NEW_1', priority: 'P1', status: 'ready' }),
      expect.objectContaining({ text: expect.any(String), task: 'TASK_001' }),
    ]);
  });

  it('shows the latest notes with their cycle, newest last', () => {
    const notes = Array.from({ length: 10 }, (_, i) => ({ text: `note ${i}`, cycle: i + 1 }));
    const text = buildPrompt(input({ notes }));
    expect(text).toContain('- cycle 10: note 9');
    expect(text).not.toContain('note 1\n');
    expect(text).toContain('(2 older note(s) not shown');
  });

  it('leaves out sections with nothing to say, without blank gaps', () => {
    const text = buildPrompt(input());
    expect(text).not.toContain('## Failing tests');
    expect(text).not.toContain('## Regressions');
    expect(text).not.toMatch(/\n\n\n/);
  });
});

describe('a project template', () => {
  it('replaces the default from .goldloop/prompt-template.md', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '.goldloop'));
    await writeFile(
      join(dir, '.goldloop', 'prompt-template.md'),
      'Cycle {{iteration}} of {{project}}\n\n{{task}}\n\n{{notes}}\n\n{{rules}}\n',
    );
    const template = await loadPromptTemplate(dir, {});
    const text = buildPrompt(input({}, { template }));
    expect(text.startsWith('Cycle 7 of shop\n\n## Your task: TASK_001')).toBe(true);
    expect(text).not.toContain('Goldloop work cycle');
  });

  it('comes from the file the KB names in prompt_template', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'PROMPT.md'), 'Mine: {{task}}\n{{rules}}\n');
    expect((await loadPromptTemplate(dir, { prompt_template: 'PROMPT.md' })).text).toContain('Mine:');
  });

  it('with an unknown placeholder is an error naming the file, the line, the placeholder and the fix', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '.goldloop'));
    const file = join(dir, '.goldloop', 'prompt-template.md');
    await writeFile(file, '{{task}}\n{{rules}}\n{{failing_test}}\n');
    const error = await loadPromptTemplate(dir, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromptTemplateError);
    expect((error as Error).message).toContain(`${file}, line 3: unknown placeholder {{failing_test}}`);
    expect((error as Error).message).toContain('Fix: use one of');
    expect((error as Error).message).toContain('{{failing_tests}}');
  });

  it('must keep {{task}} and {{rules}}', () => {
    expect(() => parseTemplate('{{task}} only', 'x.md')).toThrow(
      'x.md: the template has no {{rules}} placeholder. Fix: add a line with {{rules}}',
    );
  });

  it('named by the KB but missing is an error with the fix', async () => {
    const dir = await tempDir();
    await expect(loadPromptTemplate(dir, { prompt_template: 'nope.md' })).rejects.toThrow(
      /nope\.md: cannot read the prompt template .* Fix: create the file/,
    );
  });

  it('without {{cut}} still says what the budget cut', () => {
    const template = parseTemplate('{{task}}\n{{failing_tests}}\n{{rules}}\n', 't.md');
    const built = composePrompt(input({}, { template, lastGates: gates(15), budgetChars: 1500 }));
    expect(built.text.length).toBeLessThanOrEqual(1500);
    expect(built.text).toContain('## Left out to fit the prompt budget (1,500 characters)\n- failing test names (');
  });
});

describe('the size budget', () => {
  const big = (): PromptInput =>
    input(
      { notes: Array.from({ length: 8 }, (_, i) => ({ text: `note ${i} ${'x'.repeat(300)}`, cycle: i + 1 })) },
      {
        lastGates: gates(15, 'd'.repeat(600)),
        feedback: {
          task: 'TASK_001',
          verification: 'v'.repeat(1000),
          regressions: Array.from({ length: 8 }, (_, i) => `regressed test ${i}`),
        },
      },
    );

  it('keeps everything when the prompt fits', () => {
    const built = composePrompt(big());
    expect(built.cut).toEqual([]);
    expect(built.text).not.toContain('Left out');
  });

  it('cuts older notes first, and says so in the prompt', () => {
    const full = composePrompt(big()).text.length;
    const built = composePrompt({ ...big(), budgetChars: full - 500 });
    expect(built.cut).toEqual(['older notes (3)']);
    expect(built.text.length).toBeLessThanOrEqual(full - 500);
    expect(built.text).toContain('- older notes (3)');
    expect(built.text).toContain('cycle 8: note 7');
    expect(built.text).not.toContain('cycle 3: note 2');
  });

  it('then failing tests, least covered files and the rest, never the task or the rules', () => {
    const built = composePrompt({ ...big(), budgetChars: 2600 });
    expect(built.cut.map((c) => c.replace(/ \(\d+\)$/, ''))).toEqual([
      'older notes',
      'failing test names',
      'least-covered files',
      'gate evidence detail',
      'regression names',
      "the last attempt's explanation",
    ]);
    expect(built.text).toContain('## Your task: TASK_001');
    expect(built.text).toContain('Acceptance: a user can log in');
    expect(built.text).toContain('## Rules');
    expect(built.text).toContain('"task_id": "TASK_NEW_1"');
  });

  it('reads the budget from the KB', () => {
    const built = composePrompt(input({ agent: { type: 'command', command: ['x'], prompt_budget_chars: 2000 } }, { lastGates: gates(40) }));
    expect(built.budgetChars).toBe(2000);
    expect(built.text.length).toBeLessThanOrEqual(2000);
    expect(built.cut[0]).toMatch(/^failing test names \(\d+\)$/);
  });
});
