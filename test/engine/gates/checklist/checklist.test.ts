// Requirement ids are traced to tests by name: an id counts only as a whole token.
import { describe, expect, it } from 'vitest';
import { namesRequirement } from '../../../../electron/engine/gates/checklist/checklist.ts';

describe('namesRequirement', () => {
  it('finds an id at the start of a test title', () => {
    expect(namesRequirement('REQ-1 adds numbers', 'REQ-1')).toBe(true);
  });

  it('finds an id in brackets or after a separator', () => {
    expect(namesRequirement('adds numbers [REQ-1]', 'REQ-1')).toBe(true);
    expect(namesRequirement('suite > REQ-1: adds', 'REQ-1')).toBe(true);
    expect(namesRequirement('covers REQ-1, REQ-2', 'REQ-2')).toBe(true);
  });

  it('does not find REQ-1 inside REQ-12', () => {
    expect(namesRequirement('REQ-12 adds numbers', 'REQ-1')).toBe(false);
  });

  it('does not find REQ-1 inside REQ-1a or REQ-1_b', () => {
    expect(namesRequirement('REQ-1a', 'REQ-1')).toBe(false);
    expect(namesRequirement('REQ-1_b', 'REQ-1')).toBe(false);
  });

  it('does not find an id that is the tail of a longer one', () => {
    expect(namesRequirement('XREQ-1 adds', 'REQ-1')).toBe(false);
    expect(namesRequirement('PRE-REQ-1 adds', 'REQ-1')).toBe(false);
    expect(namesRequirement('2REQ-1 adds', 'REQ-1')).toBe(false);
  });

  it('matches the id with its case as written', () => {
    expect(namesRequirement('req-001 adds', 'REQ-001')).toBe(false);
    expect(namesRequirement('Req-001 adds', 'Req-001')).toBe(true);
  });

  it('does not read REQ-001 as REQ-1', () => {
    expect(namesRequirement('REQ-001 adds', 'REQ-1')).toBe(false);
  });
});
