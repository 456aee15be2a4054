import { describe, expect, test } from 'vitest';
import { LimitDetector, looksLikeLimit, parseJsonObject } from '../../../electron/engine/agents/limits.ts';

const now = (): Date => new Date('2026-01-15T10:00:00Z');
const failed = { code: 1, killedByGoldloop: false };

describe('looksLikeLimit', () => {
  test.each([
    "You've hit your usage limit. Try again at 3:30 PM.",
    "You've hit your limit · resets 3pm (Europe/Berlin)",
    'Error: 429 Too Many Requests',
    'The API provider has rate limited you.',
    'RESOURCE_EXHAUSTED: Quota exceeded for quota metric',
    'You have exhausted your capacity on this model.',
  ])('recognises %s', (text) => {
    expect(looksLikeLimit(text)).toBe(true);
  });
  test.each(['TypeError: cannot read x', 'Wrote src/limit.ts', 'limited edition'])('ignores %s', (text) => {
    expect(looksLikeLimit(text)).toBe(false);
  });
});

describe('parseJsonObject', () => {
  test('objects only; everything else is a plain line', () => {
    expect(parseJsonObject('{"type":"x"}')).toEqual({ type: 'x' });
    expect(parseJsonObject('[1,2]')).toBeUndefined();
    expect(parseJsonObject('{"broken"')).toBeUndefined();
    expect(parseJsonObject('plain text')).toBeUndefined();
  });
});

describe('LimitDetector layers', () => {
  test('(a) a structured limit is reported with its reset time', () => {
    const d = new LimitDetector({ now });
    d.structured('rate limit reached', 1767225600_000);
    expect(d.finish(failed)).toEqual([{ type: 'limit', message: 'rate limit reached', resetAt: 1767225600_000 }]);
  });

  test('(a) the reset time is read from the structured message when no field gives it', () => {
    const d = new LimitDetector({ now, timeZone: 'UTC' });
    d.structured("You've hit your limit · resets 3pm");
    expect(d.finish(failed)[0]?.resetAt).toBe(Date.parse('2026-01-15T15:00:00Z'));
  });

  test('(a) an exact reset time from an event is kept when a later message only rounds it', () => {
    const d = new LimitDetector({ now, timeZone: 'UTC' });
    d.structured('five hour limit', 1767225600_000);
    d.structured("You've hit your limit · resets 1am");
    expect(d.finish(failed)[0]).toEqual({ type: 'limit', message: "You've hit your limit · resets 1am", resetAt: 1767225600_000 });
  });

  test('(a) a limit that the run recovered from is forgotten', () => {
    const d = new LimitDetector({ now });
    d.structured('429 Too Many Requests');
    d.recovered();
    expect(d.finish(failed)).toEqual([]);
  });

  test('(b) a dedicated exit code alone is a limit', () => {
    const d = new LimitDetector({ now, limitExitCodes: [173] });
    expect(d.finish({ code: 173, killedByGoldloop: false })).toHaveLength(1);
  });

  test('(b) an ordinary failure without evidence is not a limit', () => {
    const d = new LimitDetector({ now, limitExitCodes: [173] });
    d.plain('Error: ENOENT: no such file');
    expect(d.finish(failed)).toEqual([]);
  });

  test('(c) a limit notice in the last plain lines of a failed run', () => {
    const d = new LimitDetector({ now });
    d.plain('Starting...');
    d.plain('Error: 429 Too Many Requests.');
    d.plain('Please try again in 30s.');
    expect(d.finish(failed)).toEqual([{ type: 'limit', message: 'Error: 429 Too Many Requests.', resetAt: now().getTime() + 30_000 }]);
  });

  test('(c) plain lines of a successful run are not read by default', () => {
    const d = new LimitDetector({ now });
    d.plain('rate limit reached');
    expect(d.finish({ code: 0, killedByGoldloop: false })).toEqual([]);
  });

  test('(c) CLIs that exit 0 on a limit can opt in', () => {
    const d = new LimitDetector({ now, plainLinesNeedFailure: false });
    d.plain('The API provider has rate limited you.');
    expect(d.finish({ code: 0, killedByGoldloop: false })).toHaveLength(1);
  });

  test('(c) echoed text (tool output, file contents) is ignored', () => {
    const d = new LimitDetector({ now });
    d.plain('// throws when the usage limit is reached (HTTP 429)', true);
    expect(d.finish(failed)).toEqual([]);
  });

  test('(c) only the last lines count', () => {
    const d = new LimitDetector({ now, tailSize: 20 });
    d.plain('quota exceeded');
    for (let i = 0; i < 25; i += 1) d.plain(`line ${i}`);
    expect(d.finish(failed)).toEqual([]);
  });

  test('(d) a run Goldloop killed is never a limit, whatever the evidence', () => {
    const d = new LimitDetector({ now, limitExitCodes: [173] });
    d.structured('usage limit reached', 1767225600_000);
    d.plain('429 Too Many Requests');
    expect(d.finish({ code: null, killedByGoldloop: true })).toEqual([]);
    expect(d.finish({ code: 173, killedByGoldloop: true })).toEqual([]);
  });
});
