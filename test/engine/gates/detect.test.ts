import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectGates, probeTool, type Detection, type DetectOptions, type Probe } from '../../../electron/engine/gates/detect/detect.ts';
import { initProject } from '../../../electron/engine/project/init.ts';
import { GatesSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** This machine's tools stay out of the unit tests: a probe that finds none, or exactly the ones named. */
const tools = (found: Record<string, string> = {}): Probe & { calls: string[][] } => {
  const calls: string[][] = [];
  const probe = async (argv: string[]): Promise<string | undefined> => {
    calls.push(argv);
    return found[argv.join(' ')];
  };
  return Object.assign(probe, { calls });
};

async function project(files: Record<string, string | object>): Promise<string> {
  const dir = await temps.make('goldloop-detect-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Detects, and checks that what was proposed is a valid `gates` section of a KB. */
async function detect(files: Record<string, string | object>, options: DetectOptions = {}): Promise<Detection> {
  const detection = await detectGates(await project({ 'README.md': '# x\n', ...files }), { probe: tools(), platform: 'linux', ...options });
  expect(() => GatesSchema.parse(detection.gates)).not.toThrow();
  return detection;
}

const note = (d: Detection, prefix: string): string => d.notes.filter((n) => n.startsWith(prefix)).join('\n');
const JUNIT = '{reports}/junit.xml';
const LCOV = { format: 'lcov', path: '{reports}/coverage/lcov.info' };

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
        '--reporters=default',
        '--reporters=jest-junit',
      ],
      junit_report: JUNIT,
      coverage_report: LCOV,
    });
  });

  it('counts tests by the exit code without jest-junit, and says so', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'jest' }, devDependencies: { jest: '^29' } } });
    expect(d.gates.tests?.junit_report).toBeUndefined();
    expect(d.gates.tests?.coverage_report).toEqual(LCOV);
    expect(note(d, 'tests:')).toContain('jest-junit is not in package.json');
  });

  it('does not use POSIX env on Windows', async () => {
    const d = await detect(
      { 'package.json': { scripts: { test: 'jest' }, devDependencies: { jest: '^29', 'jest-junit': '^16' } } },
      { platform: 'win32' },
    );
    expect(d.gates.tests?.command[0]).toBe('npx');
    expect(d.gates.tests?.junit_report).toBeUndefined();
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
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
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

  it('says that mocha alone gives neither JUnit nor coverage', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'mocha' }, devDependencies: { mocha: '^10' } } });
    expect(d.gates.tests).toEqual({ command: ['npx', '--no', '--', 'mocha'] });
    expect(note(d, 'tests:')).toContain('mocha-junit-reporter');
    expect(note(d, 'coverage:')).toContain('c8');
  });
});

describe('Node: security and build', () => {
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

describe('Python', () => {
  it('runs pytest once for JUnit and Cobertura XML of the project folder when pytest-cov is listed', async () => {
    const d = await detect({ 'requirements-dev.txt': 'pytest>=7\npytest-cov\n' });
    expect(d.gates.tests).toEqual({
      command: ['python3', '-m', 'pytest', `--junitxml=${JUNIT}`, '--cov=.', '--cov-report=xml:{reports}/coverage.xml'],
      junit_report: JUNIT,
      coverage_report: { format: 'cobertura', path: '{reports}/coverage.xml' },
    });
    expect(note(d, 'tests:')).toContain('requirements-dev.txt');
  });

  it("leaves the sources to coverage.py's own source setting", async () => {
    const d = await detect({ 'requirements.txt': 'pytest-cov\n', '.coveragerc': '[run]\nbranch = True\nsource = mypkg\n' });
    expect(d.gates.tests?.command).toContain('--cov');
    const toml = await detect({ 'pyproject.toml': '[dependency-groups]\ndev = ["pytest-cov"]\n\n[tool.coverage.run]\nsource = ["src"]\n' });
    expect(toml.gates.tests?.command).toContain('--cov');
  });

  it('runs pytest for JUnit only without pytest-cov, and says how to add coverage', async () => {
    const d = await detect({ 'pyproject.toml': '[project]\nname = "x"\n[project.optional-dependencies]\ntest = ["pytest"]\n' });
    expect(d.gates.tests).toEqual({ command: ['python3', '-m', 'pytest', `--junitxml=${JUNIT}`], junit_report: JUNIT });
    expect(note(d, 'coverage:')).toContain('add pytest-cov');
  });

  it("leaves the sources to the project's own --cov setting", async () => {
    const d = await detect({
      'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "--cov=src"\n[dependency-groups]\ndev = ["pytest-cov"]\n',
    });
    expect(d.gates.tests?.command).toEqual(['python3', '-m', 'pytest', `--junitxml=${JUNIT}`, '--cov-report=xml:{reports}/coverage.xml']);
  });

  it("uses the project's virtual environment without running it", async () => {
    const probe = tools();
    const d = await detect({ 'requirements.txt': 'pytest\n', '.venv/bin/python': '' }, { probe });
    expect(d.gates.tests?.command[0]).toBe('./.venv/bin/python');
    expect(probe.calls).toEqual([]);
  });

  it('proposes pip-audit as the security gate when it is listed', async () => {
    const d = await detect({ 'requirements.txt': 'requests\n', 'requirements-dev.txt': 'pytest\npip-audit\n' });
    expect(d.gates.security).toEqual({
      command: ['python3', '-m', 'pip_audit', '-f', 'json', '-o', '{reports}/pip-audit.json', '-r', 'requirements.txt'],
      report: { format: 'pip-audit', path: '{reports}/pip-audit.json' },
    });
  });

  it('says there is no security gate without pip-audit', async () => {
    const d = await detect({ 'requirements.txt': 'pytest\n' });
    expect(d.gates.security).toBeUndefined();
    expect(note(d, 'security:')).toContain('pip-audit is not listed');
  });

  it('falls back to unittest, by exit code, when pytest is not listed', async () => {
    const d = await detect({ 'setup.py': 'from setuptools import setup\nsetup()\n', 'tests/test_x.py': '' });
    expect(d.gates.tests).toEqual({ command: ['python3', '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'] });
  });
});

describe('Go', () => {
  it('writes a coverprofile into {reports}; tests by exit code without gotestsum', async () => {
    const d = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.22\n' });
    expect(d.gates.tests).toEqual({
      command: ['go', 'test', '-coverprofile={reports}/cover.out', './...'],
      coverage_report: { format: 'gocover', path: '{reports}/cover.out' },
    });
    expect(d.gates.build).toEqual({ command: ['go', 'build', './...'] });
    expect(note(d, 'tests:')).toContain('gotestsum');
  });

  it("runs go test through gotestsum from go.mod's tools for JUnit, and govulncheck as the security gate", async () => {
    const d = await detect({
      'go.mod': 'module example.com/x\n\ngo 1.24\n\ntool (\n\tgolang.org/x/vuln/cmd/govulncheck\n\tgotest.tools/gotestsum\n)\n',
    });
    expect(d.gates.tests).toEqual({
      command: ['go', 'tool', 'gotestsum', '--junitfile', JUNIT, '--', '-coverprofile={reports}/cover.out', './...'],
      junit_report: JUNIT,
      coverage_report: { format: 'gocover', path: '{reports}/cover.out' },
    });
    expect(d.gates.security).toEqual({
      command: ['go', 'tool', 'govulncheck', '-format', 'sarif', './...'],
      report: { format: 'sarif', path: 'stdout' },
    });
  });

  it('uses an installed gotestsum and says the gate depends on it', async () => {
    const d = await detect(
      { 'go.mod': 'module example.com/x\n\ngo 1.22\n' },
      { probe: tools({ 'gotestsum --version': 'gotestsum version 1.12.0' }) },
    );
    expect(d.gates.tests?.command[0]).toBe('gotestsum');
    expect(note(d, 'tests:')).toContain('installed on this machine');
  });

  it('explains that go-junit-report needs a pipe a gate cannot build', async () => {
    const d = await detect({ 'go.mod': 'module x\n\ngo 1.22\n\nrequire github.com/jstemmer/go-junit-report/v2 v2.1.0\n' });
    expect(note(d, 'tests:')).toContain('go-junit-report reads go test output from a pipe');
  });
});

describe('Rust', () => {
  it('runs cargo test by exit code when cargo-llvm-cov is not installed', async () => {
    const probe = tools();
    const d = await detect({ 'Cargo.toml': '[workspace]\nmembers = ["a"]\n' }, { probe });
    expect(d.gates.tests).toEqual({ command: ['cargo', 'test', '--workspace'], timeout_minutes: 30 });
    expect(note(d, 'coverage:')).toContain('cargo-llvm-cov');
    expect(probe.calls).toEqual([['cargo', 'llvm-cov', '--version']]);
  });

  it('runs the tests under cargo llvm-cov instead of cargo test when it is installed: one run for both', async () => {
    const d = await detect(
      { 'Cargo.toml': '[package]\nname = "x"\n' },
      { probe: tools({ 'cargo llvm-cov --version': 'cargo-llvm-cov 0.6.16' }) },
    );
    expect(d.gates.tests).toEqual({
      command: ['cargo', 'llvm-cov', '--lcov', '--output-path', '{reports}/lcov.info'],
      timeout_minutes: 30,
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
    });
  });
});

describe('Java (Maven)', () => {
  const JACOCO = `<project><build><plugins><plugin>
    <groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId>
    <executions>
      <execution><goals><goal>prepare-agent</goal></goals></execution>
      <execution><id>report</id><goals><goal>report</goal></goals></execution>
    </executions>
  </plugin></plugins></build></project>`;

  it('reads JUnit from the Surefire folder and JaCoCo XML from one clean verify', async () => {
    const d = await detect({ 'pom.xml': JACOCO });
    expect(d.gates.tests).toEqual({
      command: ['mvn', '-B', 'clean', 'verify'],
      timeout_minutes: 30,
      junit_report: 'target/surefire-reports',
      coverage_report: { format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' },
    });
    expect(note(d, 'tests:')).toContain('one file per test class');
    expect(note(d, 'coverage:')).toContain('inside the project');
  });

  it('leaves the JUnit folder to the user in a multi-module build, which writes one per module', async () => {
    const d = await detect({ 'pom.xml': JACOCO.replace('<build>', '<modules><module>a</module></modules><build>') });
    expect(d.gates.tests?.junit_report).toBeUndefined();
    expect(note(d, 'tests:')).toContain('<module>/target/surefire-reports');
  });

  it('uses the Maven wrapper when the project has one', async () => {
    const d = await detect({ 'pom.xml': JACOCO, mvnw: '#!/bin/sh\n' });
    expect(d.gates.tests?.command[0]).toBe('./mvnw');
  });

  it('says what to add when JaCoCo writes no report', async () => {
    const none = await detect({ 'pom.xml': '<project></project>' });
    expect(none.gates.tests?.coverage_report).toBeUndefined();
    expect(note(none, 'coverage:')).toContain('no jacoco-maven-plugin');
    const agentOnly = await detect({ 'pom.xml': JACOCO.replace('<goal>report</goal>', '') });
    expect(note(agentOnly, 'coverage:')).toContain('no `report` goal');
  });

  it('leaves the coverage path to the user in a multi-module build', async () => {
    const d = await detect({ 'pom.xml': JACOCO.replace('<build>', '<modules><module>a</module></modules><build>') });
    expect(d.gates.tests?.coverage_report).toBeUndefined();
    expect(note(d, 'coverage:')).toContain('report-aggregate');
  });
});

describe('Java (Gradle)', () => {
  it('cleans, then reads JUnit from the folder of one file per test class Gradle writes', async () => {
    const d = await detect({ 'build.gradle': "plugins { id 'java' }\n" });
    expect(d.gates.tests).toEqual({
      command: ['gradle', 'clean', 'test', '--console=plain'],
      timeout_minutes: 30,
      junit_report: 'build/test-results/test',
    });
    expect(note(d, 'tests:')).toContain('`clean` makes sure');
  });

  it('uses the Gradle wrapper when the project has one', async () => {
    const d = await detect({ 'build.gradle.kts': 'plugins { java }\n', gradlew: '#!/bin/sh\n' });
    expect(d.gates.tests?.command[0]).toBe('./gradlew');
  });
});

describe('several ecosystems and none', () => {
  it('takes the tests gate from the ecosystem that has tests, and security from another', async () => {
    const d = await detect({ 'package.json': { name: 'tooling' }, 'package-lock.json': '{}', 'requirements.txt': 'pytest\npytest-cov\n' });
    expect(d.gates.tests?.command.slice(0, 3)).toEqual(['python3', '-m', 'pytest']);
    expect(d.gates.security?.command).toEqual(['npm', 'audit', '--json']);
    expect(note(d, 'security:')).toBe('security: npm audit (package-lock.json)');
  });

  it('names the tests it did not choose', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'vitest' } }, 'go.mod': 'module x\n' });
    expect(d.gates.tests?.command).toContain('vitest');
    expect(note(d, 'tests:')).toContain('also found Go tests (go test -coverprofile={reports}/cover.out ./...)');
  });

  it('asks for a test command when it finds nothing, and keeps the notes in gate order', async () => {
    const dir = await project({ 'README.rst': 'x\n' });
    const d = await detectGates(dir, { probe: tools() });
    expect(d.gates).toEqual({ docs: { files: ['README.rst'] } });
    expect(d.notes.map((n) => n.split(':')[0])).toEqual(['tests', 'docs']);
  });
});

describe('probeTool', () => {
  it("returns a tool's version, and nothing for a missing tool or one that hangs past 3 s", async () => {
    expect(await probeTool([process.execPath, '--version'])).toBe(process.version);
    expect(await probeTool(['goldloop-no-such-tool', '--version'])).toBeUndefined();
    const started = Date.now();
    expect(await probeTool([process.execPath, '-e', 'setTimeout(() => {}, 20000)'])).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

describe('goldloop init with detection', () => {
  it('writes the detected gates into the new knowledge base', async () => {
    const dir = await project({
      'package.json': { scripts: { test: 'node --test', build: 'tsc' } },
      'package-lock.json': '{}',
      'README.md': '# x\n',
    });
    const result = await initProject(dir, { detect: { probe: tools() } });
    const kb = JSON.parse(await readFile(result.kbFile, 'utf8'));
    expect(kb.gates.tests.command.slice(0, 3)).toEqual(['node', '--test', '--experimental-test-coverage']);
    expect(kb.gates.tests.junit_report).toBe(JUNIT);
    expect(kb.gates.security.report.format).toBe('npm-audit');
    expect(kb.gates.build.command).toEqual(['npm', 'run', 'build']);
    expect(result.notes[0]).toContain('node:test with its own coverage');
  });

  it('lets --test-command replace the detected tests gate and keeps the other gates', async () => {
    const dir = await project({ 'package.json': { scripts: { test: 'vitest' } }, 'package-lock.json': '{}' });
    const result = await initProject(dir, { testCommand: ['make', 'check'], detect: { probe: tools() } });
    const kb = JSON.parse(await readFile(result.kbFile, 'utf8'));
    expect(kb.gates.tests).toMatchObject({ command: ['make', 'check'] });
    expect(kb.gates.tests.junit_report).toBeUndefined();
    expect(kb.gates.security.command).toEqual(['npm', 'audit', '--json']);
    expect(result.notes.filter((n) => n.startsWith('tests:'))).toEqual([expect.stringContaining('make check (--test-command)')]);
    expect(result.notes.some((n) => n.startsWith('coverage:'))).toBe(false);
  });
});
