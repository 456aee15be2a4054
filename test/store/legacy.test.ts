import { describe, expect, it } from 'vitest';
import { snakeCase, snakeCaseKeys } from '../../electron/store/legacy.ts';

describe('reading files written in camelCase by earlier versions', () => {
  it('names a key in snake_case, and leaves one that is already so', () => {
    expect(snakeCase('breakReason')).toBe('break_reason');
    expect(snakeCase('uncoveredRequirements')).toBe('uncovered_requirements');
    expect(snakeCase('costUsd')).toBe('cost_usd');
    expect(snakeCase('run_id')).toBe('run_id');
    expect(snakeCase('state')).toBe('state');
  });

  it('renames keys at every depth, in arrays too, and keeps the values as they are', () => {
    const old = {
      startedAt: '2026-01-01T00:00:00Z',
      agent: { exitCode: 0, durationMs: 12, usage: { inputTokens: 5, costUsd: 0.5 } },
      checklist: [{ id: 'tests', evidence: { exitCode: 1, detail: 'camelCase in a value stays' } }],
    };
    expect(snakeCaseKeys(old)).toEqual({
      started_at: '2026-01-01T00:00:00Z',
      agent: { exit_code: 0, duration_ms: 12, usage: { input_tokens: 5, cost_usd: 0.5 } },
      checklist: [{ id: 'tests', evidence: { exit_code: 1, detail: 'camelCase in a value stays' } }],
    });
  });

  it('keeps the keys below the fields whose keys are data (a task id)', () => {
    const old = { sessionsAgent: 'codex ', sessions: { fixLogin: 'abc', TASK_001: 'def' } };
    expect(snakeCaseKeys(old, new Set(['sessions']))).toEqual({ sessions_agent: 'codex ', sessions: { fixLogin: 'abc', TASK_001: 'def' } });
  });
});
