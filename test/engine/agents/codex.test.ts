import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { codexAdapter } from '../../../electron/engine/agents/codex.ts';
import { ofType, replay, streamLines } from './replay.ts';

const cli = 'codex';
const TID = '0199a213-81c0-7800-8aa1-bbab2a035a53';

describe('Codex parser on recorded streams', () => {
  test('a successful run: thread, commands, patch, MCP call, message, usage, result', () => {
    const events = replay(codexAdapter, streamLines(cli, 'success-tools.jsonl'));
    expect(events[0]).toEqual({ type: 'session', sessionId: TID });
    expect(ofType(events, 'tool_call').map((e) => [e.id, e.name])).toEqual([
      ['item_1', 'shell'],
      ['item_3', 'apply_patch'],
      ['item_4', 'shell'],
      ['item_5', 'docs.search'],
    ]);
    expect(ofType(events, 'tool_result').map((e) => [e.id, e.ok])).toEqual([
      ['item_1', true],
      ['item_3', true],
      ['item_4', false],
      ['item_5', true],
    ]);
    expect(ofType(events, 'file_change')).toEqual([
      { type: 'file_change', path: '/home/dev/shop/src/cart.ts', kind: 'modify' },
      { type: 'file_change', path: '/home/dev/shop/test/cart.test.ts', kind: 'add' },
      { type: 'file_change', path: '/home/dev/shop/src/old-cart.ts', kind: 'delete' },
    ]);
    // input_tokens counts the cached ones; the numbers are the thread's total (after a resume too).
    expect(ofType(events, 'usage')).toEqual([
      { type: 'usage', inputTokens: 24531 - 18176, outputTokens: 1219, cacheReadTokens: 18176, sessionTotal: true },
    ]);
    expect(ofType(events, 'result')).toEqual([
      { type: 'result', ok: true, summary: 'Implemented total() and added a test; one test still fails.', sessionId: TID },
    ]);
  });

  test('a usage-limit sentence inside command output is not a limit', () => {
    const events = replay(codexAdapter, streamLines(cli, 'success-tools.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('a usage limit: one limit event with the reset time, no error', () => {
    const now = new Date();
    const events = replay(codexAdapter, streamLines(cli, 'usage-limit.jsonl'), { code: 1, killedByGoldloop: false });
    const [limit] = ofType(events, 'limit');
    expect(limit?.message).toMatch(/^You've hit your usage limit/);
    // "try again at 3:30 PM" is the next 3:30 PM local time: within a day from now.
    expect(limit?.resetAt).toBeGreaterThan(now.getTime());
    expect(limit?.resetAt).toBeLessThanOrEqual(now.getTime() + 86_400_000 + 60_000);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'result')[0]?.ok).toBe(false);
  });

  test('recorded live: reconnect notices, then a failed turn, is an error', () => {
    const events = replay(codexAdapter, streamLines(cli, 'error-offline.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'message').filter((m) => m.text.startsWith('Reconnecting'))).toHaveLength(4);
    expect(ofType(events, 'error')).toHaveLength(1);
    expect(ofType(events, 'result')[0]).toMatchObject({ ok: false, sessionId: '01a20eec-82f3-7430-8b4c-b2c1dc2b1139' });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('a limit notice followed by a completed turn was recovered from', () => {
    const lines = [
      '{"type":"error","message":"exceeded retry limit, last status: 429 Too Many Requests"}',
      '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}',
    ];
    expect(ofType(replay(codexAdapter, lines), 'limit')).toEqual([]);
  });

  test('malformed and unknown lines become raw events', () => {
    const lines = streamLines(cli, 'malformed.jsonl');
    const events = replay(codexAdapter, lines);
    expect(ofType(events, 'raw').map((e) => e.line)).toEqual([lines[1], lines[2], lines[3], lines[4], lines[6]]);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: true, sessionId: TID }]);
  });
});

describe('Codex command', () => {
  const base = { prompt: 'Fix the cart.', promptFile: '/tmp/p.md', cwd: '/home/dev/shop' };

  test('exec --json, prompt read from stdin via "-"', () => {
    expect(codexAdapter.buildCommand(base)).toEqual({ argv: ['exec', '--json', '-'], stdin: 'Fix the cart.' });
  });

  test('model and sandbox mode; extra args appended', () => {
    const cmd = codexAdapter.buildCommand({ ...base, model: 'gpt-5-codex', permissionMode: 'workspace-write', extraArgs: ['--ephemeral'] });
    expect(cmd.argv).toEqual(['exec', '--json', '--model', 'gpt-5-codex', '--sandbox', 'workspace-write', '-', '--ephemeral']);
  });

  test('resume by id: exec resume, sandbox through the config key', () => {
    const cmd = codexAdapter.buildCommand({ ...base, resumeSessionId: TID, permissionMode: 'read-only' });
    expect(cmd.argv).toEqual(['exec', 'resume', '--json', '-c', 'sandbox_mode="read-only"', TID, '-']);
  });

  test('never resumes "the last session" and refuses unknown sandbox modes', () => {
    expect(() => codexAdapter.buildCommand({ ...base, resumeSessionId: '--last' })).toThrow();
    expect(() => codexAdapter.buildCommand({ ...base, resumeSessionId: '' })).toThrow();
    expect(() => codexAdapter.buildCommand({ ...base, permissionMode: 'never' })).toThrow(/workspace-write/);
  });
});

describe('Codex refused a patch', () => {
  test('its read-only sandbox, logged on stderr only, says which setting to change (live recording)', () => {
    const stderr = readFileSync(fileURLToPath(new URL('../../fixtures/agent-streams/codex/edit-refused.stderr', import.meta.url)), 'utf8')
      .split('\n')
      .filter(Boolean);
    const events = replay(codexAdapter, streamLines('codex', 'edit-refused.jsonl'), { code: 0, killedByGoldloop: false }, stderr);
    const [refused] = ofType(events, 'permission');
    expect(refused?.message).toMatch(
      /^Codex was not allowed to edit the project \(patch rejected: writing is blocked by read-only sandbox/,
    );
    expect(refused?.message).toContain('sandbox mode to workspace-write');
    expect(replay(codexAdapter, streamLines('codex', 'edit-refused.jsonl')).filter((e) => e.type === 'permission')).toEqual([]);
  });

  test("its default sandbox mode: Goldloop's sandbox alone where it runs, else workspace-write", () => {
    expect(codexAdapter.defaultPermissionMode?.(true)).toBe('danger-full-access');
    expect(codexAdapter.defaultPermissionMode?.(false)).toBe('workspace-write');
  });
});
