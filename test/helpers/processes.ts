/** Helpers for tests that watch real processes. */
import { readFileSync } from 'node:fs';

/** Runs and is not a zombie waiting to be reaped (Linux: from /proc; elsewhere: signal 0). */
export function alive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `test` every 100 ms until it holds; throws naming `what` after `ms`. */
export async function until(test: () => boolean, what: string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
