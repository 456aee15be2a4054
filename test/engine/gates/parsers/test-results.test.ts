// Per-test results from what each runner ships: jest's --json output and go test -json's events
// (both recorded from the real tools), and mocha's built-in xunit reporter (in its format).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGoTestJson } from '../../../../electron/engine/gates/parsers/go-test-json.ts';
import { parseJestJson } from '../../../../electron/engine/gates/parsers/jest-json.ts';
import { parseJUnit } from '../../../../electron/engine/gates/parsers/junit.ts';
import { ReportError, testLabel } from '../../../../electron/engine/gates/parsers/types.ts';
import { TestsGateSchema } from '../../../../electron/store/kb/schema.ts';

const fixture = (path: string): string => readFileSync(new URL(`../../../fixtures/reports/${path}`, import.meta.url), 'utf8');

describe("jest's --json results", () => {
  it('counts as jest does, with each test under its describe block and file, and a file that failed to run as an errored test', () => {
    const text = fixture('jest-json/calc.json');
    const own = JSON.parse(text) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numRuntimeErrorTestSuites: number;
    };
    const r = parseJestJson(text, 'jest-results.json');
    expect([r.passed, r.failed, r.skipped, r.errored]).toEqual([
      own.numPassedTests,
      own.numFailedTests,
      own.numPendingTests,
      own.numRuntimeErrorTestSuites,
    ]);
    expect(r.tests.find((t) => t.status === 'failed')).toEqual({
      name: 'REQ-002 is wrong on purpose',
      classname: 'add',
      file: '/project/test/calc.test.js',
      status: 'failed',
      durationMs: expect.any(Number) as number,
      message: 'expect(received).toBe(expected) // Object.is equality',
    });
    expect(r.tests.find((t) => t.name === 'top level')?.classname).toBeUndefined();
    expect(r.tests.find((t) => t.status === 'errored')).toMatchObject({
      name: '/project/test/broken.test.js (the test file failed to run)',
      message: '● Test suite failed to run',
    });
  });

  it('refuses what is not jest output, naming the file', () => {
    expect(() => parseJestJson('{"numTotalTests": 3}', 'r.json')).toThrow(ReportError);
    expect(() => parseJestJson('{"numTotalTests": 3}', 'r.json')).toThrow(/r\.json: unexpected shape at field 'testResults'/);
  });
});

describe('go test -json', () => {
  it('counts every test that ended, subtests included, with the line the failing test printed', () => {
    const r = parseGoTestJson(fixture('go-test-json/subtests.json'), 'go-test.json');
    expect([r.passed, r.failed, r.skipped, r.errored]).toEqual([2, 2, 1, 0]);
    expect(r.tests.filter((t) => t.status === 'failed').map((t) => [t.name, t.classname, t.message])).toEqual([
      ['TestSign/negative', 'example.com/calc', 'calc_test.go:19: Sign(-5) = -1, want 1'],
      ['TestSign', 'example.com/calc', undefined],
    ]);
  });

  it('a package that fails without a failing test (it did not build) is an errored test named after it', () => {
    const text = [
      '# example.com/calc [example.com/calc.test]',
      './calc_test.go:4:2: undefined: Nope',
      '{"Action":"output","Package":"example.com/calc","Output":"FAIL\\texample.com/calc [build failed]\\n"}',
      '{"Action":"fail","Package":"example.com/calc","Elapsed":0}',
      '{"Action":"output","Package":"example.com/ok","Test":"TestFine","Output":"=== RUN   TestFine\\n"}',
      '{"Action":"pass","Package":"example.com/ok","Test":"TestFine","Elapsed":0.01}',
      '{"Action":"pass","Package":"example.com/ok","Elapsed":0.02}',
    ].join('\n');
    const r = parseGoTestJson(text, 'go-test.json');
    expect([r.passed, r.errored]).toEqual([1, 1]);
    expect(r.tests[1]).toEqual({
      name: 'example.com/calc (the package failed without a failing test)',
      classname: 'example.com/calc',
      status: 'errored',
    });
  });

  it('output with no events at all is an error that says what to check', () => {
    expect(() => parseGoTestJson('go: cannot find main module\n', 'go-test.json')).toThrow(
      'go-test.json: no go test -json events in the output (did go test run with -json, and did the packages build?)',
    );
  });
});

describe("mocha's built-in xunit reporter", () => {
  it('reads as JUnit: each test with its suite and file, the failure and the skip', () => {
    const r = parseJUnit(fixture('mocha-xunit/calc.xml'), 'junit.xml');
    expect([r.passed, r.failed, r.skipped, r.errored]).toEqual([2, 1, 1, 0]);
    expect(r.tests[1]).toMatchObject({
      name: 'REQ-002 is wrong on purpose',
      classname: 'calc add',
      file: '/project/test/calc.test.js',
      status: 'failed',
      message: 'Expected values to be strictly equal:',
    });
  });
});

describe('gates.tests.test_report', () => {
  it('is refused beside junit_report, with the fix', () => {
    const both = TestsGateSchema.safeParse({
      command: ['jest'],
      junit_report: '{reports}/junit.xml',
      test_report: { format: 'jest-json', path: '{reports}/jest-results.json' },
    });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toContain('keep one');
    expect(
      TestsGateSchema.safeParse({ command: ['go', 'test', '-json'], test_report: { format: 'go-test-json', path: 'stdout' } }).success,
    ).toBe(true);
  });
});

describe('a failing test as the tests line names it', () => {
  it('gives its suite and file, from what each runner reports', () => {
    const label = (xml: string): string[] => parseJUnit(xml, 'junit.xml').tests.map(testLabel);
    // node:test: classname is always "test"; the describe block is the enclosing <testsuite>.
    expect(label('<testsuites><testsuite name="calc"><testcase name="bad" classname="test"/></testsuite></testsuites>')).toEqual([
      'calc > bad',
    ]);
    // vitest: the classname is the file.
    expect(
      label(
        '<testsuites><testsuite name="test/a.test.ts"><testcase name="sum > adds" classname="test/a.test.ts"/></testsuite></testsuites>',
      ),
    ).toEqual(['sum > adds (test/a.test.ts)']);
    // pytest: a dotted module as classname, the root suite "pytest" says nothing.
    expect(label('<testsuite name="pytest"><testcase classname="tests.test_calc" name="test_add"/></testsuite>')).toEqual([
      'tests.test_calc > test_add',
    ]);
    // mocha's xunit reporter: the same name in two suites of two files.
    expect(
      parseJUnit(fixture('mocha-xunit/calc.xml'), 'junit.xml')
        .tests.filter((t) => t.name === 'REQ-001 adds')
        .map(testLabel),
    ).toEqual(['calc add > REQ-001 adds (/project/test/calc.test.js)', 'calc sign > REQ-001 adds (/project/test/sign.test.js)']);
    expect(
      parseGoTestJson(fixture('go-test-json/subtests.json'), 'g.json')
        .tests.filter((t) => t.status === 'failed')
        .map(testLabel)[0],
    ).toBe('TestSign/negative (example.com/calc)');
  });
});
