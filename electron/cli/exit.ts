/**
 * How `goldloop` ends: the exit codes its help documents, the one a finished loop maps to, and the
 * error a command throws for a bad flag, which main() turns into the usage code.
 */
import type { LoopState } from '../engine/loop/types.ts';

/** Exit codes, documented in `goldloop --help`. */
export const EXIT = { gold: 0, error: 1, usage: 2, paused: 3, notGold: 4, interrupted: 130 } as const;

/** A flag or its combination is wrong: main() prints the message and exits with EXIT.usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The exit code of a loop that ended in this state (run, demo). */
export function exitFor(state: LoopState): number {
  switch (state.state) {
    case 'complete':
      return EXIT.gold;
    case 'paused':
      return EXIT.paused;
    case 'stopped':
      return EXIT.interrupted;
    default:
      return EXIT.error;
  }
}
