import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Checklist from '../../../renderer/src/components/Checklist.svelte';
import { status } from './harness.ts';

describe('Checklist', () => {
  it('gives every line a verdict word, the measured value against its target, and the evidence', () => {
    render(Checklist, { status: status() });
    const lines = screen.getAllByRole('listitem');
    expect(lines.map((l) => l.dataset.verdict)).toEqual(['FAIL', 'PASS', 'OFF']);
    // Colour is never the only signal: the word is in the text.
    expect(within(lines[0]!).getByText('FAIL')).toBeTruthy();
    expect(lines[0]!.textContent).toContain('measured 4/6');
    expect(lines[0]!.textContent).toContain('2 failing: parses dates; slugify');
    expect(lines[0]!.textContent).toContain('npm test → exit 1');
    expect(lines[1]!.textContent).toContain('measured 91.5%');
    expect(lines[1]!.textContent).toContain('target 80%');
    expect(screen.getByTestId('checklist-summary').textContent).toBe('2 of 3 pass');
  });

  it('lists the first surviving mutants under the mutation line, with the count of the rest', () => {
    const s = status();
    const mutants = Array.from({ length: 7 }, (_, i) => ({
      file: 'src/price.js',
      line: i + 3,
      mutator: 'EqualityOperator',
      replacement: `percent <= ${i}`,
      status: 'Survived' as const,
    }));
    const mutation = {
      id: 'mutation' as const,
      label: 'Tests catch faults',
      passed: false,
      value: 41.5,
      threshold: 60,
      evidence: {
        detail: '17/41 mutants caught (41.5%) in all the code; surviving: src/price.js:3 EqualityOperator',
        survivors: { mutants, total: 24 },
      },
    };
    render(Checklist, { status: { ...s, checklist: [...s.checklist, mutation] } });
    const line = screen.getAllByRole('listitem').find((l) => l.dataset.gate === 'mutation')!;
    expect(line.textContent).toContain('measured 41.5%');
    expect(line.textContent).toContain('17/41 mutants caught (41.5%) in all the code');
    const list = within(line).getByTestId('survivors');
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(mutants.slice(0, 5).map((m) => `${m.file}:${m.line} EqualityOperator ${m.replacement}`));
    expect(list.textContent).toContain('and 19 more');
  });

  it('says GOLD only when the engine measured gold', () => {
    const s = status();
    render(Checklist, { status: { ...s, gold: true, checklist: s.checklist.map((c) => ({ ...c, passed: true })) } });
    expect(screen.getByTestId('checklist-summary').textContent).toBe('GOLD — every line passes');
  });

  it('says which lines are waived instead of plain GOLD when the user switched one off', () => {
    const s = status();
    render(Checklist, { status: { ...s, gold: true, waived: ['security'], checklist: s.checklist.map((c) => ({ ...c, passed: true })) } });
    expect(screen.getByTestId('checklist-summary').textContent?.trim()).toBe('GOLD — 1 line waived: security');
  });
});
