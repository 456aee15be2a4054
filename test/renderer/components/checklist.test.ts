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

  it('says GOLD only when the engine measured gold', () => {
    const s = status();
    render(Checklist, { status: { ...s, gold: true, checklist: s.checklist.map((c) => ({ ...c, passed: true })) } });
    expect(screen.getByTestId('checklist-summary').textContent).toBe('GOLD — every line passes');
  });
});
