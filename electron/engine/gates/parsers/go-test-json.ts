/**
 * `go test -json`'s output: one test2json event a line (`{"Action":"pass","Package":...,"Test":...}`).
 * Every test that ended counts, subtests (`TestX/case`) included, as gotestsum counts them. A
 * package that failed without a failing test (it did not build, TestMain or init failed) counts
 * as one errored test named after the package. Lines that are not JSON (go's build errors on
 * older versions) are passed over.
 */
import { ReportError, testReport, type TestCase, type TestReport, type TestStatus } from './types.ts';

interface Event {
  Action?: string;
  Package?: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
}

const ENDS: Record<string, TestStatus> = { pass: 'passed', fail: 'failed', skip: 'skipped' };

function events(text: string): Event[] {
  const out: Event[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const event = JSON.parse(line) as unknown;
      if (typeof event === 'object' && event !== null && 'Action' in event) out.push(event as Event);
    } catch {
      // A torn or foreign line: the events around it still count.
    }
  }
  return out;
}

export function parseGoTestJson(text: string, file: string): TestReport {
  const all = events(text);
  if (all.length === 0)
    throw new ReportError(file, 'no go test -json events in the output (did go test run with -json, and did the packages build?)');
  const tests: TestCase[] = [];
  /** The output lines of each running test, for the failure message. */
  const output = new Map<string, string[]>();
  const failedPackages = new Map<string, string[]>();
  for (const e of all) {
    const key = `${e.Package ?? ''} ${e.Test ?? ''}`;
    if (e.Action === 'output' && e.Output !== undefined) {
      const lines = output.get(key) ?? [];
      if (lines.length < 50) lines.push(e.Output.trim());
      output.set(key, lines);
      continue;
    }
    const status = ENDS[e.Action ?? ''];
    if (!status) continue;
    if (e.Test === undefined) {
      if (status === 'failed' && e.Package) failedPackages.set(e.Package, output.get(key) ?? []);
      continue;
    }
    const test: TestCase = { name: e.Test, status };
    if (e.Package) test.classname = e.Package;
    if (typeof e.Elapsed === 'number') test.durationMs = Math.round(e.Elapsed * 1000);
    if (status === 'failed') {
      // The first line the test printed that is not go's own "=== RUN"/"--- FAIL" bookkeeping.
      const message = (output.get(key) ?? []).find((l) => l && !/^(=== |--- )/.test(l));
      if (message) test.message = message;
    }
    tests.push(test);
  }
  for (const [pkg, lines] of failedPackages) {
    if (tests.some((t) => t.classname === pkg && t.status === 'failed')) continue;
    const message = lines.find((l) => l && !/^(FAIL|ok)\b/.test(l));
    tests.push({
      name: `${pkg} (the package failed without a failing test)`,
      classname: pkg,
      status: 'errored',
      ...(message ? { message } : {}),
    });
  }
  return testReport('go-test-json', tests);
}
