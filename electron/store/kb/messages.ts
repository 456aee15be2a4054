/**
 * How a failed check of the KB schema's pieces reads, wherever it fails — a settings change, a
 * request's arguments: what to give instead, in the same words whichever field it is.
 */
import type { z } from 'zod';

const article = (type: string): string =>
  type === 'array' || type === 'object' || type === 'int' ? `an ${type === 'int' ? 'integer' : type}` : `a ${type}`;

/**
 * What to give instead, for a check that carries no message of its own (the KB schema's pieces):
 * every error a request gets says how to fix it, in the same words whichever field it is.
 */
export function fixFor(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'give a whole number';
      if (issue.expected === 'boolean') return 'give true or false';
      return `give ${article(issue.expected)}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return `give at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min === 1 ? 'give a non-empty value' : `give at least ${min} characters`;
      return issue.inclusive ? `use a number of at least ${min}` : `use a number above ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return `give at most ${max} items`;
      if (issue.origin === 'string') return `give at most ${max} characters`;
      return issue.inclusive ? `use a number of at most ${max}` : `use a number below ${max}`;
    }
    case 'invalid_value':
      return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
}
