import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ApiArgs, CyclePage, HistoryEntry } from '../../../electron/contract/api.ts';
import CycleHistory from '../../../renderer/src/components/CycleHistory.svelte';
import { madeUpCycle } from '../../helpers/made-up-cycles.ts';
import { fake } from './harness.ts';

const HISTORY: HistoryEntry[] = Array.from({ length: 1000 }, (_, k) => madeUpCycle(k + 1));

/** Answers as the server does: newest first, `from` cycles back, at most `limit`. */
function page(args: ApiArgs['listCycles'], history = HISTORY): CyclePage {
  const from = Math.min(args.from ?? 0, history.length);
  const end = history.length - from;
  return { total: history.length, from, cycles: history.slice(Math.max(0, end - (args.limit ?? 50)), end).reverse() };
}

const rows = (): string[] =>
  within(screen.getByTestId('cycle-history'))
    .getAllByRole('row')
    .flatMap((r) => r.getAttribute('data-cycle') ?? []);

describe('CycleHistory', () => {
  it('shows 1,000 cycles a page of 25 at a time, newest first, and pages through them', async () => {
    fake.on('listCycles', (a) => page(a));
    render(CycleHistory, { projectId: 'shop', onlog: () => {} });
    expect((await screen.findByTestId('cycle-range')).textContent).toBe('cycles 1000–976, 1–25 of 1000, newest first');
    expect(rows()).toEqual(Array.from({ length: 25 }, (_, k) => String(1000 - k)));
    expect(fake.callsOf('listCycles')).toEqual([{ project_id: 'shop', from: 0, limit: 25 }]);

    await fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    await vi.waitFor(() => expect(rows()[0]).toBe('975'));
    await fireEvent.click(screen.getByRole('button', { name: 'Oldest' }));
    await vi.waitFor(() => expect(rows().at(-1)).toBe('1'));
    expect(rows()).toHaveLength(25);
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('cycle-range').textContent).toBe('cycles 25–1, 976–1000 of 1000, newest first');
    expect(fake.callsOf('listCycles').at(-1)).toEqual({ project_id: 'shop', from: 975, limit: 25 });
  });

  it("says each cycle's task, outcome in words, time, changes and spending", async () => {
    const unseen = { ...HISTORY[7]!, unseen_edits: 'the agent reported 3 edits but nothing in the project changed' };
    fake.on('listCycles', (a) => page(a, [...HISTORY.slice(0, 7), unseen]));
    render(CycleHistory, { projectId: 'shop', onlog: () => {} });
    await screen.findByTestId('cycle-range');
    const text = (n: number): string =>
      [...document.querySelectorAll(`tr[data-cycle="${n}"] > *`)].map((cell) => cell.textContent!.replace(/\s+/g, ' ').trim()).join(' | ');
    expect(text(1)).toContain('TASK_001 | done');
    expect(text(1)).toContain('+3 −1 in 2 files');
    expect(text(1)).toContain('1.0k tokens · $0.01');
    expect(text(2)).toContain('not verified: its requirements are not yet covered by a passing test: REQ-002');
    expect(text(3)).toContain('rolled back: 1 test(s) that passed before failed after this cycle (cart total)');
    expect(text(4)).toContain('error: the agent exited with code 1: API Error: 500');
    expect(text(5)).toContain('limit wait: usage limit reached, resets at 17:00');
    expect(text(6)).toContain('interrupted');
    expect(text(8)).toContain('done; its reported edits changed nothing');
    // Started 08:00 + 6 min: ended 6 min later (the made-up cycle i lasts 5 + i % 9 minutes).
    expect(text(1)).toContain('6 min');
  });

  it("opens a row's detail with its tool calls, files, diff and evidence, and links its log", async () => {
    fake
      .on('listCycles', (a) => page(a, HISTORY.slice(0, 3)))
      .on('getCycle', (a) => ({
        cycle: HISTORY[a.cycle - 1]!,
        log: `.goldloop/logs/cycle-00000${a.cycle}.log`,
        diff: { lines: ['diff --git a/src/module-2.ts b/src/module-2.ts', '+export const two = 2;'], total: 2 },
        evidence: { folder: `.goldloop/evidence/cycle-${a.cycle}`, files: ['junit.xml', 'lcov.info'] },
      }));
    const onlog = vi.fn();
    render(CycleHistory, { projectId: 'shop', onlog });
    await fireEvent.click(await screen.findByRole('button', { name: '#2' }));
    const detail = await screen.findByTestId('cycle-detail');
    expect(within(detail).getByTestId('cycle-tools').textContent).toContain('Edit src/module-2.ts');
    expect(detail.textContent).toContain('src/module-2.ts');
    await within(detail).findByText('.goldloop/evidence/cycle-2');
    expect(detail.textContent).toContain('junit.xml, lcov.info');
    expect(within(detail).getByTestId('cycle-diff').textContent).toContain('+export const two = 2;');
    expect(fake.callsOf('getCycle')).toEqual([{ project_id: 'shop', cycle: 2 }]);

    await fireEvent.click(within(detail).getByRole('button', { name: '.goldloop/logs/cycle-000002.log' }));
    await fireEvent.click(within(document.querySelector('tr[data-cycle="3"]') as HTMLElement).getByRole('button', { name: 'log' }));
    expect(onlog.mock.calls).toEqual([[2], [3]]);
  });

  it('reads the page again when a cycle ends, not on other events', async () => {
    let history = HISTORY.slice(0, 2);
    fake.on('listCycles', (a) => page(a, history));
    render(CycleHistory, { projectId: 'shop', onlog: () => {} });
    await vi.waitFor(() => expect(rows()).toEqual(['2', '1']));
    history = HISTORY.slice(0, 3);
    fake.emit({ type: 'alert', project_id: 'shop', level: 'info', message: 'hello' });
    fake.emit({ type: 'cycle_end', project_id: 'shop', summary: { ...HISTORY[2]!, checklist: [] } });
    await vi.waitFor(() => expect(rows()).toEqual(['3', '2', '1']));
    expect(fake.callsOf('listCycles')).toHaveLength(2);
  });
});
