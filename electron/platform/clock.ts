/**
 * Time as the loop sees it. Injected, so a test can drive a simulated day of schedule in
 * milliseconds while the code under test stays the code that runs for real.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The local calendar day of an instant, `YYYY-MM-DD`. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** The local time of day of an instant, `14:05:03`. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The next local midnight after `ms` (DST-safe: the calendar decides, not 24 h). */
export function nextLocalMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/** Longest single timer: re-checking the wall clock each minute keeps breaks right across suspend/resume. */
const SLICE_MS = 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    const until = Date.now() + ms;
    while (!signal?.aborted) {
      const left = until - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, SLICE_MS));
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  },
};

/** A clock that only moves when told to; `sleep` advances it at once. For simulations and tests. */
export class SimulatedClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += Math.max(0, ms);
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.advance(ms);
    // Yield so other work (an abort from a test) can interleave, as with a real timer.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
