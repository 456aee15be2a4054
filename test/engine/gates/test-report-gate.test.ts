// The tests gate with per-test results in a runner's own format (test_report) and with a
// report_command that writes the coverage report after the tests, run for real through the gates.
import { afterAll, describe, expect, it } from 'vitest';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import type { ChecklistItem, GateId, GateRun } from '../../../electron/engine/gates/types.ts';
import { KbSchema, type KbInput } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

async function measure(tests: NonNullable<KbInput['gates']>['tests']): Promise<GateRun> {
  const dir = await temps.make('goldloop-test-report-');
  return runGates({ projectDir: dir, kb: KbSchema.parse({ gates: { tests } }), label: 'test-report' });
}
const line = (run: GateRun, id: GateId): ChecklistItem => run.checklist.find((c) => c.id === id)!;
/** A node program as a gate command: `node -e <code> <args>`. */
const node = (code: string, ...args: string[]): string[] => [process.execPath, '-e', code, ...args];

const LCOV = 'SF:src/a.js\nDA:1,1\nDA:2,0\nDA:3,1\nDA:4,1\nLF:4\nLH:3\nend_of_record\n';

describe('gates.tests.test_report', () => {
  it("reads go test -json's events from the command's output", async () => {
    const events = [
      { Action: 'run', Package: 'example.com/x', Test: 'TestA' },
      { Action: 'pass', Package: 'example.com/x', Test: 'TestA', Elapsed: 0 },
      { Action: 'output', Package: 'example.com/x', Test: 'TestB/case', Output: '    x_test.go:9: want 1\n' },
      { Action: 'fail', Package: 'example.com/x', Test: 'TestB/case', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/x', Elapsed: 0 },
    ];
    const print = `for (const e of ${JSON.stringify(events)}) console.log(JSON.stringify(e)); process.exit(1)`;
    const run = await measure({ command: node(print), test_report: { format: 'go-test-json', path: 'stdout' } });
    expect(line(run, 'tests')).toMatchObject({ passed: false, value: '1/2 passing' });
    expect(line(run, 'tests').evidence.detail).toContain('TestB/case');
    expect(line(run, 'tests').evidence.report).toMatch(/go-test\.json$/);
  });

  it("reads jest's --json results file", async () => {
    const results = {
      testResults: [{ name: '/p/a.test.js', assertionResults: [{ ancestorTitles: ['a'], title: 'REQ-001 works', status: 'passed' }] }],
    };
    const write = `require('fs').writeFileSync(process.argv[1], ${JSON.stringify(JSON.stringify(results))})`;
    const run = await measure({
      command: node(write, '{reports}/jest-results.json'),
      test_report: { format: 'jest-json', path: '{reports}/jest-results.json' },
    });
    expect(line(run, 'tests')).toMatchObject({ passed: true, value: '1/1 passing' });
  });
});

describe('the tests line without per-test results', () => {
  it("says why the command failed in its output's telling lines, trimmed, one a line", async () => {
    const print =
      "console.log('   step 1 of 2: lint ok   '); console.error('  step 2 failed  '); console.error(''); console.error('  see the log  '); process.exit(3)";
    const run = await measure({ command: node(print) });
    expect(line(run, 'tests')).toMatchObject({ passed: false, value: 'exit 3' });
    expect(line(run, 'tests').evidence.detail).toMatch(/^step 2 failed\nsee the log\nstep 1 of 2: lint ok\n— for per-test results: /);
  });
});

describe('gates.tests.report_command', () => {
  it('runs after a failing test command and writes the coverage read from the same {reports}', async () => {
    const data = `require('fs').writeFileSync(process.argv[1], ${JSON.stringify(LCOV)}); process.exit(1)`;
    const run = await measure({
      command: node(data, '{reports}/raw.data'),
      report_command: node("require('fs').copyFileSync(process.argv[1], process.argv[2])", '{reports}/raw.data', '{reports}/lcov.info'),
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
    });
    expect(line(run, 'coverage')).toMatchObject({ value: 75 });
  });

  it('names the report command, its exit code and its error when it wrote nothing', async () => {
    const run = await measure({
      command: node('process.exit(0)'),
      report_command: node("console.error('No data to report.'); process.exit(1)"),
      coverage_report: { format: 'cobertura', path: '{reports}/coverage.xml' },
    });
    const detail = line(run, 'coverage').evidence.detail;
    expect(detail).toContain('{reports}/coverage.xml: not found: the command did not write it; gates.tests.report_command (');
    expect(detail).toContain(') failed; the command exited with code 1: No data to report.');
  });
});
