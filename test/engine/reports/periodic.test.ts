import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChecklistItem, GateRun } from '../../../electron/engine/gates/types.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import type { HistoryEntry } from '../../../electron/store/history.ts';
import { estimateCompletion } from '../../../electron/engine/reports/estimate.ts';
import { productionReadiness } from '../../../electron/engine/reports/final.ts';
import { renderPeriodicReport, type PeriodicReportInput } from '../../../electron/engine/reports/periodic.ts';

const history = readFileSync(fileURLToPath(new URL('../../fixtures/histories/usage-limits.jsonl', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as HistoryEntry)
  .slice(0, 30);
const now = Date.parse(history.at(-1)!.ended_at);

const kb = KbSchema.parse({
  project: { name: 'shop' },
  task_queue: {
    high_priority: [
      { task_id: 'TASK_001', description: 'Fix registration bug', status: 'done', phase: 1 },
      { task_id: 'TASK_004', description: 'Blocked on credentials', phase: 2, blocked_reason: 'waiting for the payment sandbox account' },
    ],
    medium_priority: [
      { task_id: 'TASK_002', description: 'Implement case management', phase: 2 },
      { task_id: 'TASK_003', description: 'Export to CSV', phase: 3, dependencies: ['TASK_002'] },
    ],
  },
  requirements: [{ id: 'REQ-001' }, { id: 'REQ-002' }, { id: 'REQ-003' }, { id: 'REQ-004' }],
});

const line = (id: string, passed: boolean, value: ChecklistItem['value'], detail: string): ChecklistItem =>
  ({ id, label: id, passed, value, threshold: null, evidence: { detail } }) as ChecklistItem;
const gates: GateRun = {
  at: new Date(now).toISOString(),
  duration_ms: 1000,
  gold: false,
  checklist: [line('coverage', false, 78, 'lines 78%'), line('tests', false, '95/100 passing', '5 failed')],
  tests: [
    ...Array.from({ length: 95 }, (_, i) => ({ name: `t${i}`, status: 'passed' as const })),
    ...Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, status: 'failed' as const })),
  ],
  uncovered_requirements: ['REQ-004'],
  least_covered_files: [],
  coverage_pct: 78,
};

const input = (kind: 'progress' | 'status', since?: number): PeriodicReportInput => ({
  kind,
  projectDir: '/work/shop',
  kb,
  gates,
  history,
  state: { state: 'break', until: new Date(now + 300_000).toISOString(), iteration: 30 },
  now,
  ...(since !== undefined ? { since } : {}),
  estimate: estimateCompletion({ history, remaining: 3, now }),
});

describe('the progress report', () => {
  const text = renderPeriodicReport(input('progress', now - 2 * 3_600_000));

  it("has every line of the operating document's progress report, measured", () => {
    expect(text).toContain('# Progress report — shop');
    expect(text).toContain(
      `Time: ${new Date(now)
        .toISOString()
        .replace('.000Z', 'Z')
        .replace(/\.\d+Z$/, 'Z')}`,
    );
    expect(text).toMatch(/Work cycles completed: \d+ \(\d+ since /);
    expect(text).toContain('Tasks completed: 1/4');
    expect(text).toContain('- Phase 1 Core Features: 100% complete (1/1)');
    expect(text).toContain('- Phase 2 Advanced Features: 0% complete (0/2)');
    expect(text).toContain('Requirements coverage: 75% (3/4)');
    expect(text).toContain('Test coverage: 78% (target 80%)');
    expect(text).toContain('Tests passing: 95/100');
    expect(text).toMatch(/Completion estimate: \d{4}-\d\d-\d\dT[\d:]+Z \(likely; range /);
  });

  it('counts only the cycles of its period', () => {
    const period = history.filter((h) => Date.parse(h.ended_at) > now - 2 * 3_600_000).length;
    expect(text).toContain(`(${period} since `);
    expect(period).toBeLessThan(history.length);
  });

  it('lists next tasks in the order the loop takes them, blocked ones last', () => {
    const next = text.split('## Next tasks')[1]!;
    expect(next.indexOf('TASK_002')).toBeLessThan(next.indexOf('TASK_003'));
    expect(next.indexOf('TASK_003')).toBeLessThan(next.indexOf('TASK_004'));
    expect(next).toContain('TASK_004: Blocked on credentials (P0, blocked: waiting for the payment sandbox account)');
  });

  it('leaves out what only the status report has', () => {
    expect(text).not.toContain('## Quality metrics over time');
    expect(text).not.toContain('## Completion checklist');
  });
});

describe('the status report', () => {
  const text = renderPeriodicReport(input('status'));

  it('adds metrics over time from the history, oldest first', () => {
    const table = text.split('## Quality metrics over time')[1]!.split('##')[0]!;
    const rows = table.split('\n').filter((l) => /^\| 2026/.test(l));
    expect(rows.length).toBe(8);
    expect(rows[0]).toContain(history[0]!.ended_at.replace(/\.\d+Z$/, 'Z'));
    expect(rows.at(-1)).toContain(history.at(-1)!.ended_at.replace(/\.\d+Z$/, 'Z'));
  });

  it('names the blockers', () => {
    expect(text.split('## Blockers')[1]).toContain('- TASK_004: waiting for the payment sandbox account');
  });

  it('counts errors and usage-limit waits and shows what happened', () => {
    const errors = history.filter((h) => h.outcome === 'error').length;
    const limits = history.filter((h) => h.verification?.startsWith('usage limit')).length;
    expect(errors + limits).toBeGreaterThan(0);
    expect(text).toContain(`Errors: ${errors};`);
    expect(text).toContain(`usage-limit waits: ${limits}`);
    expect(text).toContain('ECONNRESET');
  });

  it('says agent usage was not reported when the history has none, and sums it when it has', () => {
    expect(text).toContain('- in total: not reported by this agent');
    const withUsage = history.map((h, i) =>
      i < 2 ? { ...h, agent: { ...h.agent, usage: { input_tokens: 1000, output_tokens: 250, cost_usd: 0.125 } } } : h,
    );
    const reported = renderPeriodicReport({ ...input('status'), history: withUsage });
    expect(reported).toContain(`- in total: 2,000 input tokens, 500 output tokens, $0.25 (2 of ${history.length} cycles reported usage)`);
  });

  it('ends with the checklist', () => {
    expect(text).toContain('| coverage | FAIL | 78 |');
    expect(text).toContain('Gold: not yet');
  });
});

describe("the final report's production readiness", () => {
  it('ticks only measured, passing lines and says which are not measured', () => {
    const lines = productionReadiness([line('phases', true, '6/6', 'all done'), line('tests', false, '5/6', '1 failed')]);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('- [x] All 4 phases complete — measured: all done');
    expect(lines[3]).toBe('- [ ] All tests passing — FAILS: 1 failed');
    expect(lines[4]).toBe('- [ ] Security scans passing — not measured: no security gate in this version');
  });
});
