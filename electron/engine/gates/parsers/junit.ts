import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ReportError, testReport, type TestCase, type TestReport, type TestStatus } from './types.ts';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

const attr = (node: Node, name: string): string | undefined => {
  const value = node[`@_${name}`];
  return value === undefined ? undefined : String(value);
};

const firstLine = (value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  const node = Array.isArray(value) ? value[0] : value;
  const text =
    typeof node === 'object' && node !== null
      ? (attr(node as Node, 'message') ?? String((node as Node)['#text'] ?? ''))
      : String(node ?? '');
  return text.trim().split('\n')[0] || undefined;
};

/** The error pytest's collection raised: the last `E   ` line of its traceback, else the message's first line. */
function collectionMessage(error: unknown): string | undefined {
  const node = (Array.isArray(error) ? error[0] : error) as Node | string | undefined;
  const text = typeof node === 'object' && node !== null ? String(node['#text'] ?? '') : String(node ?? '');
  const raised = text
    .split('\n')
    .filter((l) => /^E\s/.test(l))
    .at(-1);
  return raised?.replace(/^E\s+/, '').trim() || firstLine(error);
}

/**
 * pytest reports a test file it could not import as an errored testcase with an empty classname,
 * the file's module as its name and "collection failure" as its message.
 */
function pytestCollectionError(node: Node): TestCase | undefined {
  if (!node.error || attr(node, 'classname') !== '' || firstLine(node.error) !== 'collection failure') return undefined;
  const name = attr(node, 'name') ?? '';
  const file = /^[\w.]+$/.test(name) ? `${name.replaceAll('.', '/')}.py` : name;
  const message = collectionMessage(node.error);
  return { name, file, status: 'errored', collectionError: true, ...(message ? { message } : {}) };
}

function caseOf(node: Node, suiteFile: string | undefined): TestCase {
  const uncollected = pytestCollectionError(node);
  if (uncollected) return uncollected;
  const status: TestStatus = node.error ? 'errored' : node.failure ? 'failed' : node.skipped ? 'skipped' : 'passed';
  const seconds = Number(attr(node, 'time'));
  const test: TestCase = { name: attr(node, 'name') ?? '', status };
  const classname = attr(node, 'classname');
  if (classname) test.classname = classname;
  const file = attr(node, 'file') ?? suiteFile;
  if (file) test.file = file;
  if (Number.isFinite(seconds)) test.durationMs = Math.round(seconds * 1000);
  const assertions = attr(node, 'assertions');
  if (assertions !== undefined && /^\d+$/.test(assertions.trim())) test.assertions = Number(assertions);
  if (status === 'failed' || status === 'errored') {
    const message = firstLine(node.error ?? node.failure);
    if (message) test.message = message;
  }
  return test;
}

function collect(node: Node, suiteFile: string | undefined, out: TestCase[], suiteName?: string): void {
  for (const testcase of (node.testcase as Node[] | undefined) ?? []) {
    const test = caseOf(testcase, suiteFile);
    if (suiteName) test.suite = suiteName;
    out.push(test);
  }
  for (const suite of (node.testsuite as Node[] | undefined) ?? [])
    collect(suite, attr(suite, 'file') ?? suiteFile, out, attr(suite, 'name'));
}

/**
 * Parses a JUnit XML report (the dialects of node:test, vitest, jest-junit, pytest, Surefire and
 * go-junit-report): a `<testsuites>` or `<testsuite>` root, suites nested to any depth.
 */
export function parseJUnit(text: string, file: string): TestReport {
  if (!text.trim()) throw new ReportError(file, 'the report is empty (did the test command write it?)');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ReportError(file, `not valid XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Node;
  // An empty element parses as '' — still the root, with no tests in it.
  const root = 'testsuites' in doc ? doc.testsuites : 'testsuite' in doc ? { testsuite: doc.testsuite } : undefined;
  if (root === undefined) throw new ReportError(file, 'missing <testsuites> or <testsuite> root element: not a JUnit XML report');
  const tests: TestCase[] = [];
  collect(typeof root === 'object' && root !== null ? (root as Node) : {}, undefined, tests);
  return testReport('junit', tests);
}

/**
 * One report from several, as Maven Surefire and Gradle write one file per test class: the
 * counts summed and the tests listed in the order of `reports`.
 */
export function mergeJUnit(reports: TestReport[]): TestReport {
  const merged: TestReport = { format: 'junit', passed: 0, failed: 0, errored: 0, skipped: 0, tests: [] };
  for (const r of reports) {
    merged.passed += r.passed;
    merged.failed += r.failed;
    merged.errored += r.errored;
    merged.skipped += r.skipped;
    merged.tests.push(...r.tests);
  }
  return merged;
}
