// The canary of vitest, jest, pytest and go test, run for real on tiny projects whose gates init
// detects: in an honest harness the canary fails and the tests line stands; with a harness made to
// pass everything (a setup file or conftest.py that turns failures off, a TestMain that exits 0)
// the project's own tests pass broken code, the canary passes, the tests line fails and the cycle
// is tampering. A tool this machine lacks skips its test and says why.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryPlan } from '../../../electron/engine/gates/canary/run.ts';
import { CANARY_PASSED } from '../../../electron/engine/gates/checklist/canary.ts';
import { evaluateChecklist } from '../../../electron/engine/gates/checklist/checklist.ts';
import { detectGates } from '../../../electron/engine/gates/detect/detect.ts';
import type { CanaryRun, Measurement } from '../../../electron/engine/gates/measurement.ts';
import { measureGates } from '../../../electron/engine/gates/phase.ts';
import type { ChecklistItem } from '../../../electron/engine/gates/types.ts';
import { detectTampering } from '../../../electron/engine/guard/tamper.ts';
import { KbSchema, type Kb } from '../../../electron/store/kb/schema.ts';
import { installed, linkPackages } from '../../helpers/packages.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());
const WATCHDOG = 180_000;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await temps.make('goldloop-canary-runner-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

interface Measured {
  kb: Kb;
  measurement: Measurement;
  canary: CanaryRun;
  tests: ChecklistItem;
  /** The tests line as it reads without the canary: what the tests alone say. */
  testsAlone: ChecklistItem;
}

/** Detects the project's gates as init does, runs its tests gate and the canary, and reads the tests line. */
async function measure(dir: string): Promise<Measured> {
  const { gates } = await detectGates(dir);
  expect(gates.tests, 'a tests gate was detected').toBeDefined();
  const kb = KbSchema.parse({ gates: { tests: gates.tests } });
  const measurement = await measureGates({ projectDir: dir, kb, label: 'canary-runner' });
  const line = (m: Measurement): ChecklistItem => evaluateChecklist(kb, m).checklist.find((c) => c.id === 'tests')!;
  expect(measurement.canary, `a canary ran beside ${gates.tests!.command.join(' ')}`).toBeDefined();
  const { canary: _, ...alone } = measurement;
  return { kb, measurement, canary: measurement.canary!, tests: line(measurement), testsAlone: line(alone) };
}

/** In an honest harness: every canary test failed, and the tests line is what the tests say. */
function expectHonest(m: Measured, total: number): void {
  expect(m.canary.total, JSON.stringify(m.canary.result)).toBe(total);
  expect(m.canary.passed).toEqual([]);
  expect(m.canary.result.exitCode).not.toBe(0);
  expect(m.tests.passed, m.tests.evidence.detail).toBe(true);
}

/** With the harness tampered: the tests alone pass the broken code, and the canary fails the line and is a tamper finding. */
async function expectCaught(m: Measured): Promise<void> {
  expect(m.testsAlone.passed, `the tests alone pass the broken code: ${m.testsAlone.evidence.detail}`).toBe(true);
  expect(m.tests.passed).toBe(false);
  expect(m.tests.evidence.detail.startsWith(CANARY_PASSED)).toBe(true);
  const findings = await detectTampering({ restored: [], kb: m.kb, canary: m.canary });
  expect(findings.map((f) => f.kind)).toEqual(['harness_tampered']);
}

const works = (argv: string[]): boolean => spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 20_000 }).status === 0;
const lacking = (tool: string, missing: boolean): boolean => {
  if (missing) process.stdout.write(`canary-runners: skipping ${tool}: not installed here\n`);
  return missing;
};

describe('the canary command of each runner', () => {
  const plan = async (command: string[], projectDir = '/nonexistent') => (await canaryPlan({ projectDir, command, token: 'abc' }))?.command;

  it('keeps the runner, its launcher and its config, and drops the test filters, reports and coverage wrapper', async () => {
    const vitest = ['npx', '--no', '--', 'c8', '--reporter=lcovonly', 'vitest', 'run', '--root', 'web', '--reporter=junit', 'test/unit'];
    expect(await plan(vitest)).toEqual([
      'npx',
      '--no',
      '--',
      'vitest',
      'run',
      '--root',
      'web',
      '--config={reports}/canary-abc.config.mjs',
      '--reporter=junit',
      '--outputFile.junit={reports}/canary-abc.xml',
    ]);
    const jest = await plan(['env', 'A=1', 'npx', '--no', '--', 'jest', '--ci', '-c', 'jest.unit.js', '--coverage', 'src/']);
    expect(jest!.slice(0, 9)).toEqual(['env', 'A=1', 'npx', '--no', '--', 'jest', '-c', 'jest.unit.js', '--ci']);
    expect(jest).not.toContain('src/');
    const pytest = [
      'python3',
      '-m',
      'pytest',
      '--junitxml={reports}/junit.xml',
      '--cov',
      'src',
      '--cov-report=xml:{reports}/c.xml',
      'tests',
      '-x',
    ];
    expect(await plan(pytest)).toEqual([
      'python3',
      '-m',
      'pytest',
      'tests',
      '-x',
      '-p',
      'goldloop_canary_abc',
      '--junitxml={reports}/canary-abc.xml',
    ]);
    expect(await plan(['uv', 'run', 'pytest', '-q'])).toEqual([
      'uv',
      'run',
      'pytest',
      '-q',
      '-p',
      'goldloop_canary_abc',
      '--junitxml={reports}/canary-abc.xml',
    ]);
    // A runner named as another program's argument is not the tests command's runner.
    expect(await plan(['tox', '-e', 'pytest'])).toBeUndefined();
    expect(await plan(['make', 'jest'])).toBeUndefined();
    expect(await plan(['npx', '--no', '--', 'mocha', 'test/'])).toBeUndefined();
    expect(await plan(['python3', '-m', 'unittest', 'discover'])).toBeUndefined();
  });

  it('runs go test on the packages gotestsum was given, with its build tags, where the project has tests', async () => {
    const gotestsum = ['go', 'tool', 'gotestsum', '--junitfile', 'x.xml', '--', '-coverprofile', 'c.out', '-tags', 'db', './pkg/...'];
    expect(await plan(gotestsum)).toBeUndefined();
    const dir = await project({ 'pkg/a/a_test.go': 'package a_test\n' });
    expect(await plan(gotestsum, dir)).toEqual([
      'go',
      'test',
      '-tags',
      'db',
      '-vet=off',
      '-overlay={reports}/canary-abc-overlay.json',
      '-count=1',
      '-json',
      '-run',
      '^TestGoldloopCanaryabc$',
      './pkg/...',
    ]);
  });
});

describe('vitest', () => {
  const files = (setup: string, add: string): Record<string, string> => ({
    'package.json': JSON.stringify({ name: 'v', type: 'module', scripts: { test: 'vitest run' }, devDependencies: { vitest: '*' } }),
    // Its own include and test name pattern: the canary, outside both, still runs; its setup file runs before the canary.
    'vitest.config.mjs':
      "export default { test: { include: ['test/**/*.test.js'], setupFiles: ['./test/setup.js'], testNamePattern: 'REQ' } };\n",
    'src/calc.js': `export const add = (a, b) => ${add};\n`,
    'test/calc.test.js':
      "import { expect, test } from 'vitest';\nimport { add } from '../src/calc.js';\ntest('REQ-001 add adds', () => expect(add(1, 2)).toBe(3));\n",
    'test/setup.js': setup,
  });
  const skip = lacking('vitest', !installed('vitest'));

  it.skipIf(skip)(
    'fails in an honest harness',
    async () => {
      const dir = await project(files('export {};\n', 'a + b'));
      await linkPackages(dir, ['vitest']);
      expectHonest(await measure(dir), 2);
    },
    WATCHDOG,
  );

  it.skipIf(skip)(
    "passes when a setup file turns chai's assertions off, and the tests line fails",
    async () => {
      const dir = await project(files("import { chai } from 'vitest';\nchai.Assertion.prototype.assert = function () {};\n", 'a - b'));
      await linkPackages(dir, ['vitest']);
      const m = await measure(dir);
      expect(m.canary.passed).toHaveLength(2);
      await expectCaught(m);
    },
    WATCHDOG,
  );
});

describe('jest', () => {
  const files = (setup: string, add: string): Record<string, string> => ({
    'package.json': JSON.stringify({
      name: 'j',
      scripts: { test: 'jest' },
      devDependencies: { jest: '*' },
      jest: { testMatch: ['<rootDir>/test/**/*.test.js'], setupFilesAfterEnv: ['<rootDir>/test/setup.js'] },
    }),
    'src/calc.js': `exports.add = (a, b) => ${add};\n`,
    'test/calc.test.js': "const { add } = require('../src/calc.js');\ntest('REQ-001 add adds', () => expect(add(1, 2)).toBe(3));\n",
    'test/setup.js': setup,
  });
  const skip = lacking('jest', !installed('jest'));

  it.skipIf(skip)(
    'fails in an honest harness',
    async () => {
      const dir = await project(files('', 'a + b'));
      await linkPackages(dir, ['jest']);
      expectHonest(await measure(dir), 2);
    },
    WATCHDOG,
  );

  it.skipIf(skip)(
    'passes when a setup file makes every matcher pass, and the tests line fails',
    async () => {
      const always = '() => ({ pass: true, message: () => "" })';
      const dir = await project(files(`expect.extend({ toBe: ${always}, toEqual: ${always} });\n`, 'a - b'));
      await linkPackages(dir, ['jest']);
      const m = await measure(dir);
      expect(m.canary.passed).toHaveLength(2);
      await expectCaught(m);
    },
    WATCHDOG,
  );
});

describe('pytest', () => {
  const files = (conftest: string, add: string): Record<string, string> => ({
    'requirements-dev.txt': 'pytest\n',
    'pytest.ini': '[pytest]\npythonpath = .\n',
    'calc.py': `def add(a, b):\n    return ${add}\n`,
    'tests/test_calc.py': 'from calc import add\n\n\ndef test_req_001_add():\n    assert add(1, 2) == 3\n',
    'tests/conftest.py': conftest,
  });
  const skip = lacking('pytest', !works(['python3', '-c', 'import pytest']));
  /** A conftest.py that reports every test as passed, whatever it did. */
  const TAMPERED = [
    'import pytest',
    '',
    '',
    '@pytest.hookimpl(hookwrapper=True)',
    'def pytest_runtest_makereport(item, call):',
    '    outcome = yield',
    '    report = outcome.get_result()',
    '    report.outcome = "passed"',
    '    report.longrepr = None',
    '',
  ].join('\n');

  it.skipIf(skip)(
    'fails in an honest harness',
    async () => {
      const dir = await project(files('', 'a + b'));
      const m = await measure(dir);
      expect(m.canary.modules).toBe(1);
      expectHonest(m, 2);
    },
    WATCHDOG,
  );

  it.skipIf(skip)(
    "runs in a test folder's module without a skip marker, and is no alarm where a marker skips it",
    async () => {
      const skipped = 'import pytest\n\npytestmark = pytest.mark.skip(reason="slow")\n\n\ndef test_req_001_slow():\n    assert True\n';
      const dir = await project({ ...files('', 'a + b'), 'tests/test_a_slow.py': skipped });
      expectHonest(await measure(dir), 2);
      const alone = await project({ ...files('', 'a + b'), 'tests/test_calc.py': skipped });
      const m = await measure(alone);
      expect(m.canary.passed).toEqual([]);
      expect(m.canary.result.exitCode).toBe(0);
      expect(m.tests.evidence.detail).not.toContain(CANARY_PASSED);
      expect(await detectTampering({ restored: [], kb: m.kb, canary: m.canary })).toEqual([]);
    },
    WATCHDOG,
  );

  it.skipIf(skip)(
    'passes when a conftest.py reports every test as passed, and the tests line fails',
    async () => {
      const dir = await project(files(TAMPERED, 'a - b'));
      const m = await measure(dir);
      expect(m.canary.passed).toHaveLength(2);
      await expectCaught(m);
    },
    WATCHDOG,
  );
});

describe('go test', () => {
  const files = (main: string, add: string): Record<string, string> => ({
    'go.mod': 'module example.com/calc\n\ngo 1.19\n',
    'calc/calc.go': `package calc\n\nfunc Add(a, b int) int { return ${add} }\n`,
    'calc/calc_test.go':
      'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("add")\n\t}\n}\n',
    ...(main ? { 'calc/main_test.go': main } : {}),
  });
  const skip = lacking('go', !works(['go', 'version']));

  it.skipIf(skip)(
    'fails in an honest harness, written into no package folder',
    async () => {
      const dir = await project(files('', 'a + b'));
      const m = await measure(dir);
      expect(m.canary.modules).toBe(1);
      expectHonest(m, 1);
      expect((await readdir(join(dir, 'calc'))).sort()).toEqual(['calc.go', 'calc_test.go']);
    },
    WATCHDOG,
  );

  it.skipIf(skip)(
    'passes when a TestMain prints passing results instead of running the tests, and the tests line fails',
    async () => {
      // Per-test results (go test -json) see through a TestMain that runs the tests and exits 0; one that
      // prints what test2json reads as passes, and exits 0, fools them.
      const main =
        'package calc\n\nimport (\n\t"fmt"\n\t"os"\n\t"testing"\n)\n\nfunc TestMain(m *testing.M) {\n\tfmt.Println("=== RUN   TestAdd")\n\tfmt.Println("--- PASS: TestAdd (0.00s)")\n\tfmt.Println("PASS")\n\tos.Exit(0)\n}\n';
      const dir = await project(files(main, 'a - b'));
      const m = await measure(dir);
      expect(m.canary.result.exitCode).toBe(0);
      await expectCaught(m);
    },
    WATCHDOG,
  );
});
