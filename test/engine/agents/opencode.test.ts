import { describe, expect, test } from 'vitest';
import { opencodeAdapter } from '../../../electron/engine/agents/opencode.ts';
import { ofType, replay, streamLines } from './replay.ts';

const cli = 'opencode';
const SID = 'ses_5c1f9a2b3ffeAbCdEf12345678';

describe('OpenCode parser on recorded streams', () => {
  test('a successful run: session, text, tools, file changes, per-step usage with cost, result at exit', () => {
    const events = replay(opencodeAdapter, streamLines(cli, 'success-tools.jsonl'));
    expect(events[0]).toEqual({ type: 'session', sessionId: SID });
    expect(ofType(events, 'session')).toHaveLength(1);
    expect(ofType(events, 'tool_call').map((e) => [e.id, e.name])).toEqual([
      ['toolu_read1', 'read'],
      ['toolu_edit1', 'edit'],
      ['toolu_write1', 'write'],
      ['toolu_patch1', 'apply_patch'],
      ['toolu_bash1', 'bash'],
    ]);
    expect(ofType(events, 'tool_result').map((e) => e.ok)).toEqual([true, true, true, true, false]);
    expect(ofType(events, 'tool_result')[4]?.output).toBe('Command failed with exit code 1');
    expect(ofType(events, 'file_change')).toEqual([
      { type: 'file_change', path: '/home/dev/shop/src/cart.ts', kind: 'modify' },
      { type: 'file_change', path: '/home/dev/shop/test/cart.test.ts' },
      { type: 'file_change', path: 'docs/cart.md', kind: 'add' },
      { type: 'file_change', path: 'src/legacy.ts', kind: 'delete' },
    ]);
    expect(ofType(events, 'usage')).toEqual([
      { type: 'usage', inputTokens: 5120, outputTokens: 310, cacheReadTokens: 2048, cacheWriteTokens: 512, costUsd: 0.0123 },
      { type: 'usage', inputTokens: 5600, outputTokens: 40, cacheReadTokens: 5000, cacheWriteTokens: 0, costUsd: 0.0041 },
    ]);
    expect(ofType(events, 'result')).toEqual([
      { type: 'result', ok: true, summary: 'Done: total() fixed, test and docs added.', sessionId: SID },
    ]);
  });

  test('limit words in a file the agent read are not a limit', () => {
    const events = replay(opencodeAdapter, streamLines(cli, 'success-tools.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'limit')).toEqual([]);
    expect(ofType(events, 'result')[0]?.ok).toBe(false);
  });

  test('an APIError with status 429 is a limit with its reset time', () => {
    const before = Date.now();
    const events = replay(opencodeAdapter, streamLines(cli, 'usage-limit.jsonl'), { code: 1, killedByGoldloop: false });
    const [limit] = ofType(events, 'limit');
    expect(limit?.message).toMatch(/rate limit/);
    expect(limit!.resetAt! - before).toBeGreaterThanOrEqual(45 * 60_000);
    expect(limit!.resetAt! - before).toBeLessThan(45 * 60_000 + 5_000);
    expect(ofType(events, 'error')).toEqual([]);
  });

  test('a provider auth error is an error and a failed result', () => {
    const events = replay(opencodeAdapter, streamLines(cli, 'error.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'error')).toEqual([{ type: 'error', message: 'ProviderAuthError: Invalid API key' }]);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: false, sessionId: SID }]);
  });

  test('malformed and unknown lines become raw events', () => {
    const lines = streamLines(cli, 'malformed.jsonl');
    const events = replay(opencodeAdapter, lines);
    expect(ofType(events, 'raw').map((e) => e.line)).toEqual(lines.slice(1));
    expect(ofType(events, 'message')).toEqual([{ type: 'message', role: 'assistant', text: 'partial answer' }]);
  });
});

describe('OpenCode command', () => {
  const base = { prompt: 'Fix the cart.', promptFile: '/tmp/p.md', cwd: '/home/dev/shop' };

  test('run --format json with its errors log, in the project (--dir), with the prompt on stdin', () => {
    expect(opencodeAdapter.buildCommand(base)).toEqual({
      argv: ['run', '--format', 'json', '--print-logs', '--log-level', 'ERROR', '--dir', '/home/dev/shop'],
      stdin: 'Fix the cart.',
    });
  });

  test('model, auto approval, session, extra args last', () => {
    const cmd = opencodeAdapter.buildCommand({
      ...base,
      model: 'anthropic/claude-sonnet-4',
      permissionMode: 'auto',
      resumeSessionId: SID,
      extraArgs: ['--agent', 'build'],
    });
    expect(cmd.argv).toEqual([
      'run',
      '--format',
      'json',
      '--print-logs',
      '--log-level',
      'ERROR',
      '--dir',
      '/home/dev/shop',
      '--model',
      'anthropic/claude-sonnet-4',
      '--auto',
      '--session',
      SID,
      '--agent',
      'build',
    ]);
  });

  test('refuses a model without provider, unknown modes and flag-like session ids', () => {
    expect(() => opencodeAdapter.buildCommand({ ...base, model: 'sonnet' })).toThrow(/provider\/model/);
    expect(() => opencodeAdapter.buildCommand({ ...base, permissionMode: 'yolo' })).toThrow();
    expect(() => opencodeAdapter.buildCommand({ ...base, resumeSessionId: '--continue' })).toThrow();
  });
});

describe('OpenCode waiting silently on a limit', () => {
  // Its errors log, as 1.18.33 printed it for a 429 with a long retry-after (then nothing more).
  const STREAM_ERROR =
    'timestamp=2026-12-01T19:09:47.736Z level=ERROR run=7eb4a033 message="stream error" providerID=scripted modelID=scripted-model session.id=ses_dccfcaea7ffeCtf8wmUCIyluSe small=false agent=build mode=primary error.error="AI_APICallError: Rate limit reached for requests"';

  test('ended by the no-output watchdog after a rate-limited call: waiting on the limit', () => {
    const events = replay(opencodeAdapter, [], { code: null, killedByGoldloop: true, killedBy: 'idle' }, [STREAM_ERROR]);
    expect(ofType(events, 'limit')).toEqual([{ type: 'limit', message: 'AI_APICallError: Rate limit reached for requests' }]);
  });

  test('ended by the cycle timeout or a pause, or after a step finished: no limit', () => {
    expect(
      ofType(replay(opencodeAdapter, [], { code: null, killedByGoldloop: true, killedBy: 'timeout' }, [STREAM_ERROR]), 'limit'),
    ).toEqual([]);
    const finished = JSON.stringify({ type: 'step_finish', sessionID: 'ses_1', part: { tokens: { input: 1, output: 1 } } });
    const parser = opencodeAdapter.createParser();
    parser.line(STREAM_ERROR, 'stderr');
    parser.line(finished, 'stdout');
    expect(parser.end({ code: null, killedByGoldloop: true, killedBy: 'idle' }).filter((e) => e.type === 'limit')).toEqual([]);
  });

  test('an error that is no limit is not waited on', () => {
    const other = STREAM_ERROR.replace('Rate limit reached for requests', 'Bad Request');
    expect(ofType(replay(opencodeAdapter, [], { code: null, killedByGoldloop: true, killedBy: 'idle' }, [other]), 'limit')).toEqual([]);
  });
});
