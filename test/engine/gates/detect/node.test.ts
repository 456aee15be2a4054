// What `goldloop init` proposes for a Node project: its test script's runner, npm audit, the build script.
import { describe, expect, it } from 'vitest';
import { detect, JUNIT, LCOV, note, tools } from './detection.ts';
import { TEST_FILE_GLOBS } from '../../../../electron/engine/gates/coverage-scope.ts';

describe('Node: vitest', () => {
  it('runs vitest once for JUnit and v8 lcov coverage into {reports} when @vitest/coverage-v8 is installed', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'vitest' }, devDependencies: { vitest: '^4', '@vitest/coverage-v8': '^4' } },
    });
    expect(d.gates.tests).toEqual({
      command: [
        'npx',
        '--no',
        '--',
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=junit',
        `--outputFile.junit=${JUNIT}`,
        '--coverage.enabled=true',
        '--coverage.reporter=lcovonly',
        '--coverage.reportsDirectory={reports}/coverage',
        '--coverage.reportOnFailure=true',
      ],
      junit_report: JUNIT,
      coverage_report: LCOV,
    });
    expect(note(d, 'tests:')).toContain('vitest with v8 coverage: JUnit and lcov from one run (scripts.test "vitest")');
  });

  it('measures no coverage without a provider, and says which package to add', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'vitest run' }, devDependencies: { vitest: '^4' } } });
    expect(d.gates.tests?.coverage_report).toBeUndefined();
    expect(d.gates.tests?.junit_report).toBe(JUNIT);
    expect(d.gates.tests?.command.some((a) => a.startsWith('--coverage'))).toBe(false);
    expect(note(d, 'coverage:')).toContain('@vitest/coverage-v8');
  });

  it('selects the istanbul provider when it is the only one installed', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'vitest run' }, devDependencies: { vitest: '^4', '@vitest/coverage-istanbul': '^4' } },
    });
    expect(d.gates.tests?.command).toContain('--coverage.provider=istanbul');
    expect(note(d, 'tests:')).toContain('vitest with istanbul coverage');
  });

  it("keeps the script's own arguments and replaces only its reporters, watch mode and coverage output", async () => {
    const d = await detect({
      'package.json': {
        scripts: { test: 'vitest --run --config vitest.unit.ts --reporter verbose --coverage --coverage.thresholds.lines=90 src/' },
        devDependencies: { vitest: '^4', '@vitest/coverage-v8': '^4' },
      },
    });
    const argv = d.gates.tests!.command;
    expect(argv.slice(0, 8)).toEqual([
      'npx',
      '--no',
      '--',
      'vitest',
      'run',
      '--config',
      'vitest.unit.ts',
      '--coverage.thresholds.lines=90',
    ]);
    expect(argv).toContain('src/');
    expect(argv).not.toContain('verbose');
    expect(argv).not.toContain('--run');
    expect(argv).not.toContain('--coverage');
  });

  it('uses vitest from devDependencies when there is no test script', async () => {
    const d = await detect({ 'package.json': { devDependencies: { vitest: '^4' } } });
    expect(d.gates.tests?.command.slice(0, 5)).toEqual(['npx', '--no', '--', 'vitest', 'run']);
    expect(note(d, 'tests:')).toContain('package.json devDependencies, no test script');
  });
});

describe('Node: test scripts', () => {
  it('follows npm run to the script that runs the tests, with the extra arguments', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'npm run test:unit -- --bail 1', 'test:unit': 'vitest run' }, devDependencies: { vitest: '^4' } },
    });
    expect(d.gates.tests?.command.slice(3, 7)).toEqual(['vitest', 'run', '--bail', '1']);
    expect(note(d, 'tests:')).toContain('scripts.test:unit "vitest run"');
  });

  it.each([
    ['pnpm vitest run --bail 1', 'vitest', ['vitest', 'run', '--bail', '1']],
    ['yarn vitest run', 'vitest', ['vitest', 'run']],
    ['npx vitest run', 'vitest', ['vitest', 'run']],
    ['bun x vitest run', 'vitest', ['vitest', 'run']],
    ['pnpm dlx vitest run', 'vitest', ['vitest', 'run']],
    ['yarn jest --ci', 'jest', ['jest', '--ci']],
    ['pnpm mocha test/', 'mocha', ['mocha', 'test/']],
    ['yarn node --test test/', 'node', ['node', '--test']],
  ])('recognises the runner that "%s" runs through a package manager', async (script, runner, start) => {
    const d = await detect({ 'package.json': { scripts: { test: script }, devDependencies: { [runner]: '*' } } });
    const command = d.gates.tests!.command;
    const at = command.indexOf(runner);
    expect(command.slice(at, at + start.length), command.join(' ')).toEqual(start);
    expect(command).not.toEqual(['npm', 'test']);
    expect(note(d, 'tests:')).toContain(`(scripts.test "${script}")`);
    expect(note(d, 'tests:')).not.toContain('pass or fail by the exit code: Goldloop found no command');
  });

  it('follows `yarn name` to the script of that name before taking it for a command', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'yarn vitest', vitest: 'vitest run --config unit.ts' }, devDependencies: { vitest: '*' } },
    });
    expect(d.gates.tests?.command.slice(3, 7)).toEqual(['vitest', 'run', '--config', 'unit.ts']);
  });

  it('runs the runner of a compound script and names what it leaves out', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'tsc -p . && cross-env NODE_ENV=test vitest run' }, devDependencies: { vitest: '^4' } },
    });
    expect(d.gates.tests?.command.slice(3, 5)).toEqual(['vitest', 'run']);
    const tests = note(d, 'tests:');
    expect(tests).toContain('tsc -p .');
    expect(tests).toContain('NODE_ENV=test');
  });

  it('falls back to npm test, by exit code, for a runner it cannot add reports to', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'ava --verbose' }, devDependencies: { ava: '^6' } } });
    expect(d.gates.tests).toEqual({ command: ['npm', 'test'] });
    expect(note(d, 'tests:')).toContain('pass or fail by the exit code');
    expect(note(d, 'tests:')).toContain('in the test script "ava --verbose"; if it runs one another way, set gates.tests.command');
  });

  it("proposes no tests gate for npm init's placeholder script", async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'echo "Error: no test specified" && exit 1' } } });
    expect(d.gates.tests).toBeUndefined();
    expect(note(d, 'tests:')).toContain('no test setup found');
  });

  it('reports an unreadable package.json instead of failing', async () => {
    const d = await detect({ 'package.json': '{ "scripts": ' });
    expect(d.gates.tests).toBeUndefined();
    expect(d.notes[0]).toMatch(/^package\.json is not valid JSON/);
  });
});

/** What the jest commands below start with: the runner, the script's `src`, and lcov into {reports}. */
const JEST_SRC_WITH_COVERAGE = [
  'npx',
  '--no',
  '--',
  'jest',
  'src',
  '--ci',
  '--coverage',
  '--coverageReporters=lcovonly',
  '--coverageReporters=text-summary',
  '--coverageDirectory={reports}/coverage',
];

describe('Node: jest', () => {
  it('writes lcov with --coverageDirectory and JUnit through jest-junit, whose path only an environment variable sets', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'jest --watch src' }, devDependencies: { jest: '^29', 'jest-junit': '^16' } },
    });
    expect(d.gates.tests).toEqual({
      command: [
        'env',
        'JEST_JUNIT_OUTPUT_DIR={reports}',
        'JEST_JUNIT_OUTPUT_NAME=junit.xml',
        ...JEST_SRC_WITH_COVERAGE,
        '--reporters=default',
        '--reporters=jest-junit',
      ],
      junit_report: JUNIT,
      coverage_report: LCOV,
    });
  });

  it("reads per-test results from jest's own --json output without jest-junit", async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'jest --json --outputFile=out.json src' }, devDependencies: { jest: '^29' } },
    });
    expect(d.gates.tests).toEqual({
      command: [...JEST_SRC_WITH_COVERAGE, '--json', '--outputFile={reports}/jest-results.json'],
      test_report: { format: 'jest-json', path: '{reports}/jest-results.json' },
      coverage_report: LCOV,
    });
    expect(note(d, 'tests:')).toContain("jest with coverage, per-test results from jest's --json: per-test results and lcov from one run");
  });

  it('does not use POSIX env on Windows', async () => {
    const d = await detect(
      { 'package.json': { scripts: { test: 'jest' }, devDependencies: { jest: '^29', 'jest-junit': '^16' } } },
      { platform: 'win32' },
    );
    expect(d.gates.tests?.command[0]).toBe('npx');
    expect(d.gates.tests?.junit_report).toBeUndefined();
    expect(d.gates.tests?.test_report).toEqual({ format: 'jest-json', path: '{reports}/jest-results.json' });
  });
});

describe('Node: node:test, c8, nyc, mocha', () => {
  it('adds junit and lcov reporters right after --test, before the test files', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'node --import tsx --test --test-reporter=dot test/' } } });
    expect(d.gates.tests).toEqual({
      command: [
        'node',
        '--import',
        'tsx',
        '--test',
        '--experimental-test-coverage',
        '--test-reporter=junit',
        `--test-reporter-destination=${JUNIT}`,
        '--test-reporter=lcov',
        '--test-reporter-destination={reports}/lcov.info',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        'test/',
      ],
      junit_report: JUNIT,
      // node:test's own coverage counts the test files: they are excluded.
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info', exclude: TEST_FILE_GLOBS },
    });
  });

  it('falls back to the exit code on a node older than 20.11 (no junit or lcov reporter)', async () => {
    const probe = tools({ 'node --version': 'v18.19.0' });
    const d = await detect({ 'package.json': { scripts: { test: 'node --test' } } }, { probe });
    expect(d.gates.tests).toEqual({ command: ['node', '--test'] });
    expect(probe.calls).toEqual([['node', '--version']]);
  });

  it('lets c8 measure coverage into {reports}, keeping its thresholds and dropping its own report settings', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'c8 --check-coverage --lines 90 -r html node --test test/' }, devDependencies: { c8: '^10' } },
    });
    expect(d.gates.tests?.command).toEqual([
      'npx',
      '--no',
      '--',
      'c8',
      '--check-coverage',
      '--lines',
      '90',
      '--reporter=lcovonly',
      '--reporter=text-summary',
      '--reports-dir={reports}/coverage',
      '--temp-directory={reports}/c8-tmp',
      'node',
      '--test',
      '--test-reporter=junit',
      `--test-reporter-destination=${JUNIT}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      'test/',
    ]);
    expect(d.gates.tests?.coverage_report).toEqual(LCOV);
    expect(note(d, 'tests:')).toContain('node:test under c8 coverage');
  });

  it("keeps nyc's temporary files and report under {reports}, and mocha JUnit through mocha-junit-reporter", async () => {
    const d = await detect({
      'package.json': {
        scripts: { test: 'nyc --reporter=html mocha --recursive' },
        devDependencies: { nyc: '^17', mocha: '^10', 'mocha-junit-reporter': '^2' },
      },
    });
    expect(d.gates.tests?.command).toEqual([
      'npx',
      '--no',
      '--',
      'nyc',
      '--reporter=lcovonly',
      '--reporter=text-summary',
      '--report-dir={reports}/coverage',
      '--temp-dir={reports}/nyc-tmp',
      'mocha',
      '--recursive',
      '--reporter',
      'mocha-junit-reporter',
      '--reporter-options',
      `mochaFile=${JUNIT}`,
    ]);
    expect(d.gates.tests?.junit_report).toBe(JUNIT);
  });

  it("uses mocha's built-in xunit reporter without mocha-junit-reporter, and says coverage needs a wrapper", async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'mocha -R spec test/' }, devDependencies: { mocha: '^10' } } });
    expect(d.gates.tests).toEqual({
      command: ['npx', '--no', '--', 'mocha', 'test/', '--reporter', 'xunit', '--reporter-option', `output=${JUNIT}`],
      junit_report: JUNIT,
    });
    expect(note(d, 'tests:')).toContain('mocha with its built-in xunit reporter: JUnit from one run');
    expect(note(d, 'coverage:')).toContain('wrap it in c8 (`c8 <test command>` in scripts.test, c8 in devDependencies)');
  });

  it('wraps mocha in the nyc the project already has (not c8), when the test script does not', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'mocha', coverage: 'nyc npm test' }, devDependencies: { mocha: '^10', nyc: '^17' } },
    });
    expect(d.gates.tests).toEqual({
      command: [
        'npx',
        '--no',
        '--',
        'nyc',
        '--reporter=lcovonly',
        '--reporter=text-summary',
        '--report-dir={reports}/coverage',
        '--temp-dir={reports}/nyc-tmp',
        'mocha',
        '--reporter',
        'xunit',
        '--reporter-option',
        `output=${JUNIT}`,
      ],
      junit_report: JUNIT,
      coverage_report: LCOV,
    });
    expect(note(d, 'coverage:')).toContain("nyc (in package.json, not in scripts.test) measures mocha's run");
    expect(note(d, 'coverage:')).not.toContain('c8');
  });

  it('with both nyc and c8 installed, wraps mocha in the one a script names', async () => {
    const deps = { mocha: '^10', nyc: '^17', c8: '^10' };
    const c8 = await detect({ 'package.json': { scripts: { test: 'mocha', cover: 'c8 -r html npm test' }, devDependencies: deps } });
    expect(c8.gates.tests?.command.slice(3, 5)).toEqual(['c8', '--reporter=lcovonly']);
    const nyc = await detect({ 'package.json': { scripts: { test: 'mocha' }, devDependencies: deps } });
    expect(nyc.gates.tests?.command[3]).toBe('nyc');
  });
});

describe('Node: security and build', () => {
  it('does not advise npm install for a lock file that .npmrc turns off', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'node --test' } }, '.npmrc': 'fund=false\npackage-lock=false\n' });
    expect(d.gates.security).toBeUndefined();
    expect(note(d, 'security:')).toContain('.npmrc turns it off (package-lock=false); to have one, remove that line');
    expect(note(d, 'security:')).not.toContain('run npm install to write one');
  });

  it('says when the lock file npm audit reads is left out of git', async () => {
    const d = await detect({
      'package.json': { scripts: { test: 'node --test' } },
      'package-lock.json': '{}',
      '.gitignore': 'node_modules/\npackage-lock.json\n',
    });
    expect(d.gates.security?.command).toEqual(['npm', 'audit', '--json']);
    expect(note(d, 'security:')).toContain('.gitignore leaves package-lock.json out of git');
  });

  it('proposes npm audit with a package-lock.json and npm run build with a build script', async () => {
    const d = await detect({ 'package.json': { scripts: { build: 'tsc' } }, 'package-lock.json': '{}' });
    expect(d.gates.security).toEqual({ command: ['npm', 'audit', '--json'], report: { format: 'npm-audit', path: 'stdout' } });
    expect(d.gates.build).toEqual({ command: ['npm', 'run', 'build'] });
  });

  it('proposes no npm audit for a yarn project, and says why', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'vitest' } }, 'yarn.lock': '' });
    expect(d.gates.security).toBeUndefined();
    expect(note(d, 'security:')).toContain('package-lock.json');
  });
});
