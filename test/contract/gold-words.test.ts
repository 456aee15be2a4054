import { describe, expect, it } from 'vitest';
import { goldWords, waivedLines, type ChecklistItem } from '../../electron/contract/status.ts';

const line = (id: ChecklistItem['id'], disabled = false): ChecklistItem => ({
  id,
  label: id,
  passed: true,
  value: null,
  threshold: null,
  evidence: { detail: '' },
  ...(disabled ? { disabled } : {}),
});

describe('the words for gold', () => {
  it('are plain only when every line was measured', () => {
    expect(goldWords([line('tests'), line('docs')])).toBe('every line of the completion checklist passes');
    expect(waivedLines([line('tests'), line('docs')])).toEqual([]);
  });

  it('name the lines the user switched off', () => {
    const checklist = [line('tests'), line('security', true), line('performance', true)];
    expect(waivedLines(checklist)).toEqual(['security', 'performance']);
    expect(goldWords(checklist)).toBe('every measured line passes, with 2 lines waived: security, performance (switched off by you)');
    expect(goldWords([line('security', true)])).toBe('every measured line passes, with 1 line waived: security (switched off by you)');
    // Held-out tests the project never set up are optional, not waived.
    expect(waivedLines([{ ...line('holdout', true), optional: true }])).toEqual([]);
  });
});
