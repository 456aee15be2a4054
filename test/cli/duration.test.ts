import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../electron/cli/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['0s', 0],
    ['2h', 7_200_000],
    ['5min', 300_000],
    ['1.5h', 5_400_000],
    ['1m30s', 90_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text, '--cycle')).toBe(ms);
  });

  it('tells 1ms from 1m', () => {
    expect(parseDuration('1ms', '--x')).toBe(1);
    expect(parseDuration('1m', '--x')).toBe(60_000);
  });

  it('allows spaces around and between the parts', () => {
    expect(parseDuration(' 1h 30m ', '--x')).toBe(5_400_000);
    expect(parseDuration('10 m', '--x')).toBe(600_000);
  });

  it('refuses a bare number, naming the flag and the value', () => {
    expect(() => parseDuration('10', '--break')).toThrow(
      '--break: "10" is not a duration; write it with a unit, e.g. 10m, 90s, 1h30m or 0s',
    );
  });

  it.each(['', '   ', 'abc', '10x', 'm10', '10m junk', 'junk 10m', '-5m', '1h30', '5 minutes', '1d'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(/^--timeout: ".*" is not a duration/);
  });
});
