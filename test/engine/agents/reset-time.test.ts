import { describe, expect, test } from 'vitest';
import { parseResetTime } from '../../../electron/engine/agents/limits.ts';

const now = new Date('2026-01-15T10:00:00Z');
const at = (iso: string): number => Date.parse(iso);

describe('parseResetTime: epochs', () => {
  test('epoch seconds after "resets at"', () => {
    expect(parseResetTime('resets at 1767225600', now)).toBe(1767225600_000);
  });
  test('epoch milliseconds', () => {
    expect(parseResetTime('limit resets 1767225600123', now)).toBe(1767225600123);
  });
  test('the old Claude "usage limit reached|<epoch>" form', () => {
    expect(parseResetTime('Claude AI usage limit reached|1767225600', now)).toBe(1767225600_000);
  });
  test('a ten-digit number that cannot be a date is not an epoch', () => {
    expect(parseResetTime('used 0000012345 tokens', now)).toBeUndefined();
  });
});

describe('parseResetTime: ISO timestamps', () => {
  test('with Z', () => {
    expect(parseResetTime('quota resets 2026-01-15T12:30:00Z', now)).toBe(at('2026-01-15T12:30:00Z'));
  });
  test('with an offset', () => {
    expect(parseResetTime('retry after 2026-01-15T12:30:00+01:00', now)).toBe(at('2026-01-15T11:30:00Z'));
  });
  test('without an offset: wall clock of the given zone', () => {
    expect(parseResetTime('resets 2026-01-15T12:30:00', now, 'Europe/Berlin')).toBe(at('2026-01-15T11:30:00Z'));
  });
});

describe('parseResetTime: durations', () => {
  test('"try again in 2h 13m"', () => {
    expect(parseResetTime('try again in 2h 13m', now)).toBe(now.getTime() + (2 * 60 + 13) * 60_000);
  });
  test('"in 45 minutes"', () => {
    expect(parseResetTime('Please try again in 45 minutes.', now)).toBe(now.getTime() + 45 * 60_000);
  });
  test('"in 30s"', () => {
    expect(parseResetTime('Please try again in 30s.', now)).toBe(now.getTime() + 30_000);
  });
  test('Gemini\'s "reset after 5h21m10s"', () => {
    expect(parseResetTime('Your quota will reset after 5h21m10s.', now)).toBe(now.getTime() + (5 * 3600 + 21 * 60 + 10) * 1000);
  });
  test('"in 2 hours and 5 minutes"', () => {
    expect(parseResetTime('available again in 2 hours and 5 minutes', now)).toBe(now.getTime() + 125 * 60_000);
  });
  test('"in 1 day"', () => {
    expect(parseResetTime('resets in 1 day', now)).toBe(now.getTime() + 86_400_000);
  });
});

describe('parseResetTime: wall-clock times', () => {
  test('"resets 3pm" in the given zone, later today', () => {
    expect(parseResetTime("You've hit your limit · resets 3pm", now, 'UTC')).toBe(at('2026-01-15T15:00:00Z'));
  });
  test('"resets at 3:30 PM (Europe/Berlin)": the printed zone', () => {
    expect(parseResetTime('resets at 3:30 PM (Europe/Berlin)', now, 'America/New_York')).toBe(at('2026-01-15T14:30:00Z'));
  });
  test('"reset at 15:00" (24-hour) in the given zone', () => {
    expect(parseResetTime('limit will reset at 15:00', now, 'America/New_York')).toBe(at('2026-01-15T20:00:00Z'));
  });
  test('a time already past today is tomorrow', () => {
    expect(parseResetTime('resets 9am (UTC)', now)).toBe(at('2026-01-16T09:00:00Z'));
  });
  test('12am is midnight and 12pm is noon', () => {
    expect(parseResetTime('resets 12am (UTC)', now)).toBe(at('2026-01-16T00:00:00Z'));
    expect(parseResetTime('resets 12pm (UTC)', now)).toBe(at('2026-01-15T12:00:00Z'));
  });
  test('across a daylight-saving change: 3am on the day Berlin springs forward', () => {
    const saturday = new Date('2026-03-28T12:00:00Z');
    expect(parseResetTime('resets 3am (Europe/Berlin)', saturday)).toBe(at('2026-03-29T01:00:00Z'));
  });
  test('Claude\'s "resets Jan 20, 3pm (America/Los_Angeles)"', () => {
    expect(parseResetTime('resets Jan 20, 3pm (America/Los_Angeles)', now)).toBe(at('2026-01-20T23:00:00Z'));
  });
  test('Codex\'s "try again at Jan 16, 2026 3:30 PM"', () => {
    expect(parseResetTime('or try again at Jan 16, 2026 3:30 PM.', now, 'UTC')).toBe(at('2026-01-16T15:30:00Z'));
  });
  test('a month-day in early January printed in late December is next year', () => {
    expect(parseResetTime('resets Jan 2, 9am (UTC)', new Date('2026-12-30T10:00:00Z'))).toBe(at('2027-01-02T09:00:00Z'));
  });
  test('no zone given or printed: the local zone', () => {
    const local = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(parseResetTime('resets 3pm', now)).toBe(parseResetTime('resets 3pm', now, local));
  });
  test('an unknown printed zone falls back to the given one', () => {
    expect(parseResetTime('resets 3pm (Mars/Olympus)', now, 'UTC')).toBe(at('2026-01-15T15:00:00Z'));
  });
});

describe('parseResetTime: nothing to find', () => {
  test('no time in the text', () => {
    expect(parseResetTime('The API provider has rate limited you. Try again later.', now)).toBeUndefined();
  });
  test('a bare number is not a time', () => {
    expect(parseResetTime('resets 3', now, 'UTC')).toBeUndefined();
  });
});
