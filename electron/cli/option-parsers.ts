/**
 * Commander argument parsers shared by several commands. A bad value throws commander's
 * InvalidArgumentError, so it is reported as a usage error naming the option.
 */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from './duration.ts';

/** A duration such as `10m` or `90s`, in milliseconds. */
export const durationOption =
  (flag: string) =>
  (value: string): number => {
    try {
      return parseDuration(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

/** A whole number of at least 1. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1`);
  return n;
};
