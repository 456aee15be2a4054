import { describe, expect, test } from 'vitest';
import { aiderAdapter } from '../../../electron/engine/agents/aider.ts';
import { ofType, replay, streamLines } from './replay.ts';

const cli = 'aider';

describe('Aider parser on recorded output', () => {
  test('a successful run: applied edits and the usage report', () => {
    const events = replay(aiderAdapter, streamLines(cli, 'success-tools.txt'));
    expect(ofType(events, 'file_change')).toEqual([
      { type: 'file_change', path: 'src/cart.ts', kind: 'modify' },
      { type: 'file_change', path: 'test/cart.test.ts', kind: 'modify' },
    ]);
    expect(ofType(events, 'usage')).toEqual([
      { type: 'usage', inputTokens: 4200, outputTokens: 312, cacheReadTokens: 2000, cacheWriteTokens: 1100, costUsd: 0.02 },
    ]);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: true }]);
  });

  test('limit words inside a SEARCH/REPLACE block the model wrote are not a limit', () => {
    const events = replay(aiderAdapter, streamLines(cli, 'success-tools.txt'), { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('a rate limit aider gave up on is a limit even though aider exits 0', () => {
    const events = replay(aiderAdapter, streamLines(cli, 'usage-limit.txt'));
    expect(ofType(events, 'limit')).toEqual([
      { type: 'limit', message: 'The API provider has rate limited you. Try again later or check your quotas.' },
    ]);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: false }]);
  });

  test('a rate limit aider retried past is forgotten once the model answers', () => {
    const lines = [
      ...streamLines(cli, 'usage-limit.txt'),
      'Retrying in 0.5 seconds...',
      'Tokens: 1.2k sent, 80 received. Cost: $0.0040 message, $0.0040 session.',
    ];
    const events = replay(aiderAdapter, lines);
    expect(ofType(events, 'limit')).toEqual([]);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: true }]);
  });

  test('an authentication failure is an error', () => {
    const events = replay(aiderAdapter, streamLines(cli, 'error.txt'));
    expect(ofType(events, 'error')[0]?.message).toMatch(/^litellm\.AuthenticationError/);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: false }]);
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('odd lines (ANSI, broken reports, an unterminated fence) stay raw and never throw', () => {
    const lines = streamLines(cli, 'malformed.txt');
    const events = replay(aiderAdapter, lines, { code: 1, killedByGoldloop: false });
    expect(ofType(events, 'raw')).toHaveLength(lines.length);
    expect(ofType(events, 'limit')).toEqual([]);
  });

  test('killed by Goldloop: no limit, failed result', () => {
    const events = replay(aiderAdapter, streamLines(cli, 'usage-limit.txt'), { code: null, killedByGoldloop: true });
    expect(ofType(events, 'limit')).toEqual([]);
    expect(ofType(events, 'result')).toEqual([{ type: 'result', ok: false }]);
  });
});

describe('Aider command', () => {
  const base = { prompt: 'Fix the cart.', promptFile: '/tmp/goldloop/prompt.md', cwd: '/home/dev/shop' };

  test('message file, always yes, no commits, plain output; no stdin', () => {
    const cmd = aiderAdapter.buildCommand({ ...base, model: 'sonnet', extraArgs: ['--map-tokens', '2048'] });
    expect(cmd.stdin).toBeUndefined();
    expect(cmd.argv.slice(0, 3)).toEqual(['--message-file', '/tmp/goldloop/prompt.md', '--yes-always']);
    expect(cmd.argv).toContain('--no-auto-commits');
    expect(cmd.argv.slice(-4)).toEqual(['--model', 'sonnet', '--map-tokens', '2048']);
  });

  test('never restores "the last" chat, even when asked to resume', () => {
    const cmd = aiderAdapter.buildCommand({ ...base, resumeSessionId: 'anything' });
    expect(cmd.argv).not.toContain('--restore-chat-history');
  });

  test('refuses permission modes aider does not have', () => {
    expect(() => aiderAdapter.buildCommand({ ...base, permissionMode: 'plan' })).toThrow(/yes-always/);
  });
});
