/**
 * Usage/rate-limit detection shared by the agent adapters, in layers:
 *   (a) structured events the adapter recognised (a rate-limit event, an error whose type or
 *       message says usage limit / rate limit / 429 / quota),
 *   (b) the exit code, when a CLI uses a dedicated one,
 *   (c) the last plain output lines (stderr and non-JSON stdout), skipping text the agent merely
 *       echoed (tool output, file contents),
 *   (d) a run Goldloop killed itself (timeout, watchdog, pause) is never a limit, but for one the
 *       no-output watchdog ended while it waited on a limit it had reported (OpenCode retries a
 *       long retry-after silently).
 * A limit is not an error for the loop: it waits until `resetAt`, so getting it right matters
 * more than catching every wording.
 */
import type { AgentEvent, AgentExit } from './types.ts';

type LimitEvent = Extract<AgentEvent, { type: 'limit' }>;

/** Phrases CLIs and provider APIs use when a usage or rate limit stops a run. */
const LIMIT_WORDS =
  /usage limit|rate[ _-]?limit|rate limited|quota|\b429\b|too many requests|resource[ _]exhausted|hit your (?:[\w-]+ )*limit|out of (?:usage )?credits|exhausted your (?:daily )?(?:capacity|quota)/i;

/** True when the text reads like a usage or rate limit notice. */
export function looksLikeLimit(text: string): boolean {
  return LIMIT_WORDS.test(text);
}

/**
 * Parses one output line as a JSON object. Lines that are not objects are the "plain" lines of
 * layer (c); keeping that decision here keeps it identical across adapters.
 */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface LimitDetectorOptions {
  /** Exit codes that by themselves mean "limit reached" for this CLI. */
  limitExitCodes?: number[];
  /**
   * Scan plain lines only when the process failed. True for CLIs that exit non-zero on a limit;
   * false for those (Aider) that print the notice and still exit 0.
   */
  plainLinesNeedFailure?: boolean;
  /** How many trailing plain lines to keep; the notice is printed last, so 20 is plenty. */
  tailSize?: number;
  /** Clock and zone for reset times printed as a wall-clock time. */
  now?: () => Date;
  timeZone?: string;
}

/**
 * Collects limit evidence during one run and decides, at exit, whether the run ended on a limit.
 * One per parser; adapters feed it as they parse.
 */
export class LimitDetector {
  private structuredLimit: { message: string; resetAt?: number } | undefined;
  private exactResetAt: number | undefined;
  private readonly tail: string[] = [];
  private readonly options: Required<Omit<LimitDetectorOptions, 'timeZone'>> & { timeZone?: string };

  constructor(options: LimitDetectorOptions = {}) {
    this.options = {
      limitExitCodes: options.limitExitCodes ?? [],
      plainLinesNeedFailure: options.plainLinesNeedFailure ?? true,
      tailSize: options.tailSize ?? 20,
      now: options.now ?? (() => new Date()),
      timeZone: options.timeZone,
    };
  }

  /**
   * Layer (a): the CLI said, in a structured event, that a limit stopped it. `ifNoReset`: only
   * a fallback time, used when the limit's own evidence names none.
   */
  structured(message: string, resetAt?: number, { ifNoReset = false } = {}): void {
    if (ifNoReset && this.structuredLimit) {
      this.structuredLimit.resetAt ??= resetAt;
      return;
    }
    // A CLI often reports one limit several ways (an event with an exact epoch, then a message
    // with a rounded wall-clock time): an exact time from a structured field wins.
    const exact = resetAt ?? this.exactResetAt;
    this.exactResetAt = exact;
    this.structuredLimit = { message, resetAt: exact ?? parseResetTime(message, this.options.now(), this.options.timeZone) };
  }

  /**
   * The run went on to succeed after a transient limit notice (a retried 429): earlier evidence
   * no longer describes how the run ended.
   */
  recovered(): void {
    this.structuredLimit = undefined;
    this.exactResetAt = undefined;
    this.tail.length = 0;
  }

  /**
   * Layer (c) input: one plain line. `echoed` marks text the agent only repeated (a code block,
   * a command's output), which must never count as the CLI's own notice.
   */
  plain(line: string, echoed = false): void {
    if (echoed || line.trim() === '') return;
    this.tail.push(line);
    if (this.tail.length > this.options.tailSize) this.tail.shift();
  }

  /**
   * Decides at exit; returns a `limit` event or nothing. A CLI the no-output watchdog ended while
   * its last word was a limit it had not recovered from was silently waiting on that limit.
   */
  finish(exit: AgentExit): LimitEvent[] {
    if (exit.killedBy === 'idle' && this.structuredLimit) return [{ type: 'limit', ...withoutUndefined(this.structuredLimit) }];
    if (exit.killedByGoldloop) return [];
    if (this.structuredLimit) return [{ type: 'limit', ...withoutUndefined(this.structuredLimit) }];
    const fromTail = this.limitFromTail();
    if (exit.code !== null && this.options.limitExitCodes.includes(exit.code)) {
      return [fromTail ?? { type: 'limit', message: `exited with code ${exit.code}, which this CLI uses for a usage limit` }];
    }
    if (this.options.plainLinesNeedFailure && exit.code === 0) return [];
    return fromTail ? [fromTail] : [];
  }

  private limitFromTail(): LimitEvent | undefined {
    for (let i = this.tail.length - 1; i >= 0; i -= 1) {
      const line = this.tail[i] ?? '';
      if (!looksLikeLimit(line)) continue;
      // The reset time is often on the notice line itself, else on the line or two after it.
      const context = this.tail.slice(i, i + 3).join('\n');
      const resetAt = parseResetTime(context, this.options.now(), this.options.timeZone);
      return { type: 'limit', ...withoutUndefined({ message: line.trim(), resetAt }) };
    }
    return undefined;
  }
}

function withoutUndefined(limit: { message: string; resetAt?: number }): { message: string; resetAt?: number } {
  return limit.resetAt === undefined ? { message: limit.message } : limit;
}

// ---------------------------------------------------------------------------------------------
// Reset times

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Finds when a limit resets in a CLI's message and returns it as epoch milliseconds, or
 * undefined when the text names no time. Understands, in this order:
 * ISO timestamps; epochs in seconds or milliseconds ("resets at 1767225600",
 * "limit reached|1767225600"); durations ("try again in 2h 13m", "in 45 minutes", "in 30s",
 * "reset after 5h21m10s"); wall-clock times ("resets 3pm", "resets at 3:30 PM (Europe/Berlin)",
 * "reset at 15:00", "resets Jan 5, 3pm", "try again at Jan 5, 2026 3:30 PM"), taken as the next
 * occurrence after `now` in the printed IANA zone, else `timeZone`, else the local zone.
 */
export function parseResetTime(text: string, now: Date, timeZone?: string): number | undefined {
  return fromIso(text, timeZone) ?? fromEpoch(text) ?? fromDuration(text, now) ?? fromClock(text, now, timeZone);
}

function fromIso(text: string, timeZone?: string): number | undefined {
  const match = /\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/.exec(text);
  if (!match) return undefined;
  const [whole, y, mo, d, h, mi, s, offset] = match;
  if (offset) {
    const parsed = Date.parse(whole.replace(' ', 'T'));
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  // No offset printed: the wall clock of the CLI's zone.
  return zonedTimeToEpoch({ year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: s ? +s : 0 }, resolveZone(timeZone));
}

function fromEpoch(text: string): number | undefined {
  const match = /(?:^|[^\d.:-])(\d{13}|\d{10})(?![\d.:])/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const ms = match[1]!.length === 13 ? value : value * 1000;
  // Only plausible dates (2001..2286) so a stray 10-digit count is not read as a time.
  return ms >= 978_307_200_000 && ms < 10_000_000_000_000 ? ms : undefined;
}

function fromDuration(text: string, now: Date): number | undefined {
  const part = String.raw`\d+(?:\.\d+)?\s*(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)(?![a-z])`;
  const match = new RegExp(String.raw`\b(?:in|after)\s+((?:${part}[\s,]*(?:and\s+)?)+)`, 'i').exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const piece of match[1]!.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    total += Number(piece[1]) * (UNIT_MS[unitKey(piece[2]!)] ?? 0);
  }
  return total > 0 ? now.getTime() + Math.round(total) : undefined;
}

function unitKey(unit: string): string {
  const u = unit.toLowerCase();
  if (u === 'ms' || u.startsWith('milli')) return 'ms';
  return u[0]!;
}

function fromClock(text: string, now: Date, timeZone?: string): number | undefined {
  const date = String.raw`(?:(${MONTHS.join('|')})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s*(?:(\d{4}),?\s*)?(?:at\s+)?)?`;
  const time = String.raw`(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?`;
  const zone = String.raw`(?:\s*\(([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*)\))?`;
  const re = new RegExp(String.raw`\b(?:resets?|try again|available again|until)\s+(?:at\s+|on\s+)?${date}${time}${zone}`, 'i');
  const match = re.exec(text);
  if (!match) return undefined;
  const [, monthName, dayText, yearText, hourText, minuteText, meridiem, zoneText] = match;
  // A bare number ("resets 3") is not a time: require am/pm or hh:mm.
  if (!meridiem && minuteText === undefined) return undefined;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = meridiem.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  const tz = resolveZone(zoneText ?? timeZone);
  const today = zonedParts(now.getTime(), tz);

  if (monthName) {
    const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
    const day = Number(dayText);
    let year = yearText ? Number(yearText) : today.year;
    let at = zonedTimeToEpoch({ year, month, day, hour, minute, second: 0 }, tz);
    // "Jan 5" printed in late December means next January.
    if (!yearText && at < now.getTime() - 86_400_000) {
      year += 1;
      at = zonedTimeToEpoch({ year, month, day, hour, minute, second: 0 }, tz);
    }
    return at;
  }

  let at = zonedTimeToEpoch({ ...today, hour, minute, second: 0 }, tz);
  if (at <= now.getTime()) {
    const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
    at = zonedTimeToEpoch(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour, minute, second: 0 },
      tz,
    );
  }
  return at;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** A valid IANA zone: the given one when Intl knows it, else the process's local zone. */
function resolveZone(zone: string | undefined): string {
  if (zone) {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      // Unknown zone name printed by a CLI: fall back to local rather than fail.
    }
  }
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function zonedParts(epochMs: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(epochMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Epoch ms of a wall-clock time in an IANA zone; DST is settled by re-checking the offset. */
function zonedTimeToEpoch(wall: WallClock, timeZone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const first = guess - zoneOffsetMs(guess, timeZone);
  const second = guess - zoneOffsetMs(first, timeZone);
  return second;
}
