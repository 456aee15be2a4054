import { describe, expect, test } from 'vitest';
import { geminiAdapter, nextPacificMidnight } from '../../../electron/engine/agents/gemini.ts';
import { ofType, replay, streamLines } from './replay.ts';

const cli = 'gemini';
const SID = '0640932e-c4b8-413a-8c3e-fd628578455f';

describe('Gemini parser on recorded streams', () => {
  test('a successful run: deltas joined into messages, tools, file changes, usage, result', () => {
    const events = replay(geminiAdapter, streamLines(cli, 'success-tools.jsonl'));
    expect(events[0]).toEqual({ type: 'session', sessionId: SID, model: 'gemini-2.5-pro' });
    expect(ofType(events, 'message')).toEqual([
      { type: 'message', role: 'assistant', text: "I'll read the cart module first." },
      { type: 'message', role: 'assistant', text: 'Fixed total() and added a test.' },
    ]);
    expect(ofType(events, 'tool_call').map((e) => e.name)).toEqual(['read_file', 'replace', 'write_file', 'run_shell_command']);
    expect(ofType(events, 'tool_result').map((e) => e.ok)).toEqual([true, true, true, false]);
    expect(ofType(events, 'tool_result')[3]?.output).toBe('Command exited with code 1');
    expect(ofType(events, 'file_change')).toEqual([
      { type: 'file_change', path: '/home/dev/shop/src/cart.ts', kind: 'modify' },
      { type: 'file_change', path: '/home/dev/shop/test/cart.test.ts' },
    ]);
    // input_tokens counts the cached ones, as the API's promptTokenCount does.
    expect(ofType(events, 'usage')).toEqual([{ type: 'usage', inputTokens: 15120 - 9000, outputTokens: 412, cacheReadTokens: 9000 }]);
    expect(ofType(events, 'result')).toEqual([
      { type: 'result', ok: true, summary: 'Fixed total() and added a test.', sessionId: SID, durationMs: 14232 },
    ]);
  });

  test('limit words in the echoed prompt and in tool output are not a limit', () => {
    const events = replay(geminiAdapter, streamLines(cli, 'success-tools.jsonl'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('a quota error result is a limit with the reset from its message', () => {
    const before = Date.now();
    const events = replay(geminiAdapter, streamLines(cli, 'usage-limit.jsonl'), { code: 173, killedByGoldloop: false });
    const [limit] = ofType(events, 'limit');
    expect(limit?.message).toMatch(/exhausted your capacity/);
    const expected = (2 * 3600 + 13 * 60 + 5) * 1000;
    expect(limit!.resetAt! - before).toBeGreaterThanOrEqual(expected);
    expect(limit!.resetAt! - before).toBeLessThan(expected + 5_000);
    expect(ofType(events, 'error')).toEqual([]);
  });

  test('exit code 429 (173 on POSIX) alone is a limit', () => {
    expect(ofType(replay(geminiAdapter, [], { code: 173, killedByGoldloop: false }), 'limit')).toHaveLength(1);
    expect(ofType(replay(geminiAdapter, [], { code: 429, killedByGoldloop: false }), 'limit')).toHaveLength(1);
  });

  test('an error run: warnings are system messages, the fatal error is an error', () => {
    const events = replay(geminiAdapter, streamLines(cli, 'error.jsonl'), { code: 53, killedByGoldloop: false });
    expect(ofType(events, 'message').map((m) => m.role)).toEqual(['assistant', 'system']);
    expect(ofType(events, 'error')).toEqual([
      {
        type: 'error',
        message: 'Reached max session turns for this session. Increase the number of turns by specifying maxSessionTurns in settings.json.',
      },
    ]);
    expect(ofType(events, 'result')[0]?.ok).toBe(false);
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('malformed and unknown lines become raw events', () => {
    const lines = streamLines(cli, 'malformed.jsonl');
    const events = replay(geminiAdapter, lines);
    expect(ofType(events, 'raw').map((e) => e.line)).toEqual([lines[0], lines[2], lines[3], lines[4], lines[5]]);
    expect(ofType(events, 'result')[0]).toMatchObject({ ok: true, sessionId: SID, durationMs: 50 });
  });
});

describe('Gemini command', () => {
  const base = { prompt: 'Fix the cart.', promptFile: '/tmp/p.md', cwd: '/home/dev/shop' };

  test('headless stream-json with the prompt on stdin', () => {
    expect(geminiAdapter.buildCommand(base)).toEqual({
      argv: ['--prompt', '', '--output-format', 'stream-json', '--skip-trust'],
      stdin: 'Fix the cart.',
    });
  });

  test('model, approval mode, resume by UUID, extra args last', () => {
    const cmd = geminiAdapter.buildCommand({
      ...base,
      model: 'gemini-2.5-pro',
      permissionMode: 'auto_edit',
      resumeSessionId: SID,
      extraArgs: ['--sandbox'],
    });
    expect(cmd.argv.slice(5)).toEqual(['--model', 'gemini-2.5-pro', '--approval-mode', 'auto_edit', '--resume', SID, '--sandbox']);
  });

  test('never "latest" or a list index; unknown approval modes refused', () => {
    expect(() => geminiAdapter.buildCommand({ ...base, resumeSessionId: 'latest' })).toThrow(/UUID/);
    expect(() => geminiAdapter.buildCommand({ ...base, resumeSessionId: '3' })).toThrow(/UUID/);
    expect(() => geminiAdapter.buildCommand({ ...base, permissionMode: 'acceptEdits' })).toThrow(/auto_edit/);
  });
});

describe('Gemini CLI offered no edit tool', () => {
  test('"Tool "replace" not found" says which setting to change (live recording)', () => {
    const events = replay(geminiAdapter, streamLines('gemini', 'edit-refused.jsonl'));
    const [refused] = ofType(events, 'permission');
    expect(refused?.message).toMatch(/^Gemini CLI was not allowed to edit the project \(it offered no replace tool\)/);
    expect(refused?.message).toContain('approval mode to auto_edit');
  });

  test('its default approval mode lets it edit: auto_edit', () => {
    expect(geminiAdapter.defaultPermissionMode?.(true)).toBe('auto_edit');
  });
});

describe('the per-day quota resets at midnight Pacific time', () => {
  test.each([
    ['2026-12-01T19:00:00Z', '2026-12-02T08:00:00.000Z'],
    ['2026-12-01T07:59:59Z', '2026-12-01T08:00:00.000Z'],
    ['2026-07-01T06:59:00Z', '2026-07-01T07:00:00.000Z'],
    // The days the clocks change: 23 and 25 hours long.
    ['2026-03-08T12:00:00Z', '2026-03-09T07:00:00.000Z'],
    ['2026-11-01T12:00:00Z', '2026-11-02T08:00:00.000Z'],
  ])('at %s: %s', (now, next) => {
    expect(new Date(nextPacificMidnight(new Date(now))).toISOString()).toBe(next);
  });
});
