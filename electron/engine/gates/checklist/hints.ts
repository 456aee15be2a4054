/**
 * Hints that work when followed word for word: for the runner a test command runs, the flags that
 * make it write its reports under `{reports}` and the KB fields that name them. Setting a report
 * path alone never makes a command write there.
 */
import { basename } from 'node:path';
import { PYTHON_TEST_GLOBS } from '../detect/python-pytest.ts';
import { srcImportFixes } from '../detect/python-layout.ts';
import type { HintFacts } from '../hint-facts.ts';

interface RunnerHint {
  /** Recognises the runner in the command's arguments. */
  runs: (argv: string[]) => boolean;
  results: string;
  coverage: string | ((facts: HintFacts) => string);
}

const LCOV_FIELD = 'coverage_report { "format": "lcov", "path": "{reports}/coverage/lcov.info" }';

/** mocha measures no coverage itself: the project's nyc, else c8, runs it. */
function mochaCoverage(facts: HintFacts): string {
  return facts.nodeCoverage === 'nyc'
    ? `put nyc --reporter=lcovonly --report-dir={reports}/coverage --temp-dir={reports}/nyc-tmp before mocha in gates.tests.command (nyc is in package.json) and set ${LCOV_FIELD}`
    : `put c8 --reporter=lcovonly --reports-dir={reports}/coverage --temp-directory={reports}/c8-tmp before mocha in gates.tests.command (${facts.nodeCoverage === 'c8' ? 'c8 is in package.json' : 'with c8 installed: npm install --save-dev c8'}) and set ${LCOV_FIELD}`;
}

/** vitest measures coverage through its provider package: v8 unless the project has istanbul's. */
function vitestCoverage(facts: HintFacts): string {
  const istanbul = facts.vitestProvider === 'istanbul';
  return `add --coverage.enabled=true${istanbul ? ' --coverage.provider=istanbul' : ''} --coverage.reporter=lcovonly --coverage.reportsDirectory={reports}/coverage --coverage.reportOnFailure=true to gates.tests.command (with @vitest/coverage-${istanbul ? 'istanbul' : 'v8'} installed) and set ${LCOV_FIELD}`;
}

/** pytest-cov measures the project's packages; without one known, the folder with its test files not counted. */
function pytestCoverage(facts: HintFacts): string {
  const packages = facts.pythonPackages ?? [];
  const cov = packages.length ? packages.map((p) => `--cov=${p}`).join(' ') : '--cov=.';
  const exclude = packages.length ? '' : `, "exclude": ${JSON.stringify(PYTHON_TEST_GLOBS).replaceAll(',', ', ')}`;
  return `add ${cov} --cov-report=xml:{reports}/coverage.xml to gates.tests.command (with pytest-cov installed) and set coverage_report { "format": "cobertura", "path": "{reports}/coverage.xml"${exclude} }`;
}

const RUNNER_HINTS: RunnerHint[] = [
  {
    runs: (a) => a.includes('vitest'),
    results:
      'add --reporter=default --reporter=junit --outputFile.junit={reports}/junit.xml to gates.tests.command and set junit_report "{reports}/junit.xml"',
    coverage: vitestCoverage,
  },
  {
    runs: (a) => a.includes('jest'),
    results:
      'add --json --outputFile={reports}/jest-results.json to gates.tests.command and set test_report { "format": "jest-json", "path": "{reports}/jest-results.json" }',
    coverage:
      'add --coverage --coverageReporters=lcovonly --coverageDirectory={reports}/coverage to gates.tests.command and set ' + LCOV_FIELD,
  },
  {
    runs: (a) => a.includes('--test') && a.some((x) => basename(x).startsWith('node')),
    results:
      'add --test-reporter=junit --test-reporter-destination={reports}/junit.xml --test-reporter=spec --test-reporter-destination=stdout after --test and set junit_report "{reports}/junit.xml"',
    coverage:
      'add --experimental-test-coverage --test-reporter=lcov --test-reporter-destination={reports}/lcov.info after --test and set coverage_report { "format": "lcov", "path": "{reports}/lcov.info", "exclude": ["test/**"] }',
  },
  {
    runs: (a) => a.some((x) => basename(x) === 'mocha' || basename(x) === '_mocha'),
    results:
      'add --reporter xunit --reporter-option output={reports}/junit.xml to gates.tests.command and set junit_report "{reports}/junit.xml"',
    coverage: mochaCoverage,
  },
  {
    runs: (a) => a.includes('pytest'),
    results: 'add --junitxml={reports}/junit.xml to gates.tests.command and set junit_report "{reports}/junit.xml"',
    coverage: pytestCoverage,
  },
  {
    runs: (a) => basename(a[0] ?? '') === 'go' && a[1] === 'test',
    results: 'add -json to gates.tests.command (go test -json ...) and set test_report { "format": "go-test-json", "path": "stdout" }',
    coverage:
      'add -coverprofile={reports}/cover.out to gates.tests.command and set coverage_report { "format": "gocover", "path": "{reports}/cover.out" }',
  },
];

const REDETECT = "or run goldloop init --redetect (without --test-command), which proposes the project's runner with its report flags";

/** How to get per-test results from this command, word for word. */
export function resultsHint(command: readonly string[]): string {
  const hint = RUNNER_HINTS.find((h) => h.runs([...command]));
  return hint
    ? `${hint.results}, ${REDETECT}`
    : `make the command write a JUnit XML file under {reports} (its runner's JUnit reporter) and set junit_report to that path, ${REDETECT}`;
}

/** How to get coverage from this command, word for word; `facts` (the project's packages and coverage tool) fill in what the command does not say. */
export function coverageHint(command: readonly string[], facts: HintFacts = {}): string {
  const hint = RUNNER_HINTS.find((h) => h.runs([...command]));
  return hint
    ? `${typeof hint.coverage === 'string' ? hint.coverage : hint.coverage(facts)}, ${REDETECT}`
    : `make the command write an lcov, Cobertura, coverage.py JSON, Go or JaCoCo report under {reports} and set coverage_report { "format", "path" } to it, ${REDETECT}`;
}

/**
 * The fix for test files that could not be collected because a module is missing, word for word:
 * a src-layout package of the project's own put on the path, or the dependencies installed.
 */
export function collectionFix(message: string | undefined, command: readonly string[], facts: HintFacts = {}): string | undefined {
  const missing = /No module named '([\w.]+)'/.exec(message ?? '')?.[1]?.split('.')[0];
  if (!missing) return undefined;
  const python = command[0] && /^python/.test(basename(command[0])) ? command[0] : 'python3';
  if (facts.pythonSrc && facts.pythonPackages?.includes(missing))
    return `${missing} is under src/, and neither installed for ${python} nor on pytest's path: ${srcImportFixes(python, facts.pytestConfig)}`;
  return `${missing} is not installed for ${python}, which runs the tests: install the project's dependencies with it (\`${python} -m pip install -r requirements.txt\`, or \`${python} -m pip install -e .\` for a package)`;
}
