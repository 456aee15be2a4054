import { expect } from 'vitest';
import { ReportError } from '../../../../electron/engine/gates/parsers/types.ts';

/** Runs a parse that must fail and returns the ReportError's reason, so tests can pin the wording. */
export function reasonOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ReportError);
    return (error as ReportError).reason;
  }
  throw new Error('expected a ReportError, but the parse succeeded');
}
