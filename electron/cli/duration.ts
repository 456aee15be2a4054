const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Parses `10m`, `90s`, `1h30m`, `250ms`, `0s` into milliseconds; a bare number is refused (which unit?). */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(ms|min|s|m|h)/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (!parts.length || joined.replace(/\s/g, '') !== trimmed.replace(/\s/g, '')) {
    throw new Error(`${flag}: "${text}" is not a duration; write it with a unit, e.g. 10m, 90s, 1h30m or 0s`);
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0));
}
