/**
 * jest's own results, `jest --json --outputFile=<file>`: one entry per test file, each with its
 * tests (`assertionResults`). A test file that failed to run (a syntax error, a missing module)
 * has no tests and a message: it counts as one errored test named after the file, as jest counts
 * it as a failed suite.
 */
import { z } from 'zod';
import { readJson, validate } from './input.ts';
import { testReport, type TestCase, type TestReport, type TestStatus } from './types.ts';

const EXPECTED = "jest's --json results (an object with 'testResults')";

const assertion = z.looseObject({
  ancestorTitles: z.array(z.string()).default([]),
  title: z.string(),
  status: z.string(),
  duration: z.number().nullish(),
  failureMessages: z.array(z.string()).nullish(),
});
const schema = z.looseObject({
  testResults: z.array(
    z.looseObject({
      name: z.string(),
      status: z.string().optional(),
      message: z.string().optional(),
      assertionResults: z.array(assertion).default([]),
    }),
  ),
});

const STATUS: Record<string, TestStatus> = {
  passed: 'passed',
  failed: 'failed',
  pending: 'skipped',
  todo: 'skipped',
  skipped: 'skipped',
  disabled: 'skipped',
};

/** A terminal colour sequence (ESC [ ... m). */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The first line of a jest message, without its terminal colours (where FORCE_COLOR won) and the `Error: ` jest puts first. */
const firstLineOf = (text: string | undefined): string | undefined =>
  text
    ?.replace(COLOUR, '')
    .trim()
    .split('\n')[0]
    ?.replace(/^Error: /, '')
    .trim() || undefined;

export function parseJestJson(text: string, file: string): TestReport {
  const data = validate(schema, readJson(text, file, EXPECTED), file, EXPECTED);
  const tests: TestCase[] = [];
  for (const suite of data.testResults) {
    const where = suite.name;
    if (suite.assertionResults.length === 0 && suite.status === 'failed') {
      const message = firstLineOf(suite.message);
      tests.push({ name: `${where} (the test file failed to run)`, file: where, status: 'errored', ...(message ? { message } : {}) });
      continue;
    }
    for (const a of suite.assertionResults) {
      const status = STATUS[a.status] ?? 'skipped';
      const test: TestCase = { name: a.title, file: where, status };
      if (a.ancestorTitles.length) test.classname = a.ancestorTitles.join(' > ');
      if (typeof a.duration === 'number') test.durationMs = Math.round(a.duration);
      const message = status === 'failed' ? firstLineOf(a.failureMessages?.[0]) : undefined;
      if (message) test.message = message;
      tests.push(test);
    }
  }
  return testReport('jest-json', tests);
}
