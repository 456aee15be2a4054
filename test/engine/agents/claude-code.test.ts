import { describe, expect, test } from 'vitest';
import { claudeCodeAdapter } from '../../../electron/engine/agents/claude-code.ts';
import { ofType, replay, streamLines } from './replay.ts';

const cli = 'claude-code';
const SID = '5b0c2f1e-8a47-4c1d-9a3e-2f6d7c1b9e04';

describe('Claude Code parser on recorded streams', () => {
  test('a successful run: session, messages, tools, file changes, usage, result', () => {
    const events = replay(claudeCodeAdapter, streamLines(cli, 'success-tools.jsonl'));
    expect(events[0]).toEqual({ type: 'session', sessionId: SID, model: 'claude-sonnet-4-5' });
    expect(ofType(events, 'tool_call').map((e) => e.name)).toEqual(['Read', 'Edit', 'Write', 'Bash']);
    expect(ofType(events, 'tool_result').map((e) => [e.id, e.ok])).toEqual([
      ['toolu_01Read', true],
      ['toolu_02Edit', true],
      ['toolu_03Write', true],
      ['toolu_04Bash', false],
    ]);
    expect(ofType(events, 'file_change')).toEqual([
      { type: 'file_change', path: '/home/dev/shop/src/cart.ts', kind: 'modify' },
      { type: 'file_change', path: '/home/dev/shop/test/cart.test.ts' },
    ]);
    expect(ofType(events, 'usage')).toEqual([
      { type: 'usage', inputTokens: 7400, outputTokens: 360, cacheReadTokens: 5200, cacheWriteTokens: 900, costUsd: 0.0731 },
    ]);
    expect(ofType(events, 'result')).toEqual([
      {
        type: 'result',
        ok: true,
        summary: 'Implemented total() in src/cart.ts and added test/cart.test.ts.',
        sessionId: SID,
        durationMs: 48210,
        numTurns: 6,
      },
    ]);
    expect(ofType(events, 'message')[0]).toEqual({ type: 'message', role: 'assistant', text: "I'll look at the failing cart test first." });
  });

  test('limit words inside tool results and a warning-level rate limit event are not a limit', () => {
    const events = replay(claudeCodeAdapter, streamLines(cli, 'success-tools.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('a usage limit: one limit event with the exact reset from rate_limit_event, no error', () => {
    const events = replay(claudeCodeAdapter, streamLines(cli, 'usage-limit.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'limit')).toEqual([
      { type: 'limit', message: "You've hit your limit · resets 1am (UTC)", resetAt: 1767225600_000 },
    ]);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'result')[0]?.ok).toBe(false);
  });

  test('the same limit stream ended by Goldloop is not a limit', () => {
    const events = replay(claudeCodeAdapter, streamLines(cli, 'usage-limit.jsonl'), { code: null, killedByGoldloop: true });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('recorded live: not logged in is an error, not a limit', () => {
    const events = replay(claudeCodeAdapter, streamLines(cli, 'error-not-logged-in.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'error')).toEqual([{ type: 'error', message: 'Not logged in · Please run /login' }]);
    expect(ofType(events, 'result')[0]).toMatchObject({ ok: false, sessionId: '88693a02-2847-4070-919a-1f20e6d60cf0', durationMs: 446 });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('an error result subtype reports its errors', () => {
    const events = replay(claudeCodeAdapter, streamLines(cli, 'error-max-turns.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'error')).toEqual([{ type: 'error', message: 'Reached maximum number of turns (2)' }]);
    expect(ofType(events, 'result')[0]).toMatchObject({ ok: false, numTurns: 2 });
  });

  test('malformed and unknown lines become raw events, never throw', () => {
    const lines = streamLines(cli, 'malformed.jsonl');
    const events = replay(claudeCodeAdapter, lines);
    expect(ofType(events, 'raw').map((e) => e.line)).toEqual(lines.slice(1, 7));
    expect(ofType(events, 'result')[0]).toMatchObject({ ok: true, summary: 'done' });
  });

  test('stderr lines are raw and feed the plain-line limit layer', () => {
    const events = replay(claudeCodeAdapter, [], { code: 1, killedByGoldloop: false }, [
      'API Error: 429 rate_limit_error, try again in 45 minutes',
    ]);
    expect(ofType(events, 'raw')).toHaveLength(1);
    expect(ofType(events, 'limit')).toHaveLength(1);
  });
});

describe('Claude Code command', () => {
  const base = { prompt: 'Fix the cart.', promptFile: '/tmp/p.md', cwd: '/home/dev/shop' };

  test('print mode, stream-json, prompt on stdin', () => {
    expect(claudeCodeAdapter.buildCommand(base)).toEqual({
      argv: ['-p', '--output-format', 'stream-json', '--verbose'],
      stdin: 'Fix the cart.',
    });
  });

  test('model, permission mode, resume by id, extra args last', () => {
    const cmd = claudeCodeAdapter.buildCommand({
      ...base,
      model: 'opus',
      permissionMode: 'acceptEdits',
      resumeSessionId: SID,
      extraArgs: ['--max-budget-usd', '2'],
    });
    expect(cmd.argv).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--model',
      'opus',
      '--permission-mode',
      'acceptEdits',
      '--resume',
      SID,
      '--max-budget-usd',
      '2',
    ]);
  });

  test('an unknown permission mode is refused', () => {
    expect(() => claudeCodeAdapter.buildCommand({ ...base, permissionMode: 'yolo' })).toThrow(/acceptEdits/);
  });

  test('resume needs a session id, never a search term or an empty value', () => {
    expect(() => claudeCodeAdapter.buildCommand({ ...base, resumeSessionId: '' })).toThrow(/UUID/);
    expect(() => claudeCodeAdapter.buildCommand({ ...base, resumeSessionId: 'last' })).toThrow(/UUID/);
  });
});

describe('Claude Code refused an edit', () => {
  test('the permission_denials of a successful result say which setting to change (live recording)', () => {
    const events = replay(claudeCodeAdapter, streamLines('claude-code', 'edit-refused.jsonl'));
    const [refused] = ofType(events, 'permission');
    expect(refused?.message).toMatch(
      /^Claude Code was not allowed to edit the project \(refused: Edit \/var\/tmp\/probe-\w+\/src\/textkit\.js\)/,
    );
    expect(refused?.message).toContain('permission mode to acceptEdits');
    expect(ofType(events, 'result')).toMatchObject([{ ok: true }]);
  });

  test('a refused command (Bash) is no permission problem: only edits are', () => {
    const result = {
      type: 'result',
      subtype: 'success',
      result: 'done',
      permission_denials: [{ tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'npm test' } }],
    };
    expect(ofType(replay(claudeCodeAdapter, [JSON.stringify(result)]), 'permission')).toEqual([]);
  });

  test('its default permission mode lets it edit: acceptEdits', () => {
    expect(claudeCodeAdapter.defaultPermissionMode?.(true)).toBe('acceptEdits');
  });
});

describe('Claude Code gave up retrying a plain rate limit', () => {
  // As 2.1.197 printed it against a 429 with retry-after 5 (CLAUDE_CODE_MAX_RETRIES=1).
  const RETRY =
    '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":5000,"error_status":429,"error":"rate_limit","session_id":"7be4def0-36f8-4cd7-893c-c168dc1f735b"}';
  const RESULT =
    '{"type":"result","subtype":"success","is_error":true,"api_error_status":429,"num_turns":1,"result":"API Error: Request rejected (429) · This request would exceed the rate limit for your organization of 50 requests per minute.","session_id":"7be4def0-36f8-4cd7-893c-c168dc1f735b","total_cost_usd":0}';

  test('waits the retry-after it last waited, from the end of the run', () => {
    const before = Date.now();
    const [limit] = ofType(replay(claudeCodeAdapter, [RETRY, RESULT], { code: 1, killedByGoldloop: false }), 'limit');
    expect(limit?.message).toMatch(/rate limit/);
    expect(limit?.resetAt).toBeGreaterThanOrEqual(before + 5000);
    expect(limit?.resetAt).toBeLessThanOrEqual(Date.now() + 5000);
  });

  test('without a retry event the limit has no reset time (the loop waits its retry delay)', () => {
    const [limit] = ofType(replay(claudeCodeAdapter, [RESULT], { code: 1, killedByGoldloop: false }), 'limit');
    expect(limit).toBeDefined();
    expect(limit?.resetAt).toBeUndefined();
  });
});
