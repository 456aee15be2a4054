// What `goldloop init` proposes for the "Tests catch faults" line in each ecosystem: StrykerJS
// (its vitest and jest runners, else its command runner with TAP), mutmut, cargo-mutants, PIT.
import { describe, expect, it } from 'vitest';
import { STRYKER_CONFIG } from '../../../../electron/store/kb/schema.ts';
import { detect, note, tools } from './detection.ts';

const STRYKER = ['npx', '--no', '--', 'stryker', 'run', STRYKER_CONFIG];
const node = (scripts: object, devDependencies: object): Record<string, object> => ({
  'package.json': { scripts, devDependencies: { '@stryker-mutator/core': '9.6.1', ...devDependencies } },
});

describe('Node: StrykerJS', () => {
  it("uses Stryker's vitest runner when the project runs vitest and has the plugin", async () => {
    const d = await detect(node({ test: 'vitest run' }, { vitest: '^4', '@stryker-mutator/vitest-runner': '9.6.1' }));
    expect(d.gates.mutation).toEqual({ command: STRYKER, stryker: { test_runner: 'vitest' } });
    expect(note(d, 'mutation:')).toContain('its vitest runner');
  });

  it("uses Stryker's jest runner when the project runs jest and has the plugin", async () => {
    const d = await detect(node({ test: 'jest' }, { jest: '^30', '@stryker-mutator/jest-runner': '9.6.1' }));
    expect(d.gates.mutation).toEqual({ command: STRYKER, stryker: { test_runner: 'jest' } });
  });

  it('runs node:test through the command runner with TAP output, so that killers are named', async () => {
    const d = await detect(node({ test: 'node --test --test-reporter=spec test/' }, {}));
    expect(d.gates.mutation).toEqual({
      command: STRYKER,
      stryker: { test_runner: 'command', command: ['node', '--test', 'test/', '--test-reporter=tap'] },
    });
    expect(note(d, 'mutation:')).toContain('with TAP output so that each killed mutant names the tests that failed');
  });

  it('runs vitest through the command runner with TAP when the plugin is missing, and names the plugin', async () => {
    const d = await detect(node({ test: 'vitest --reporter verbose' }, { vitest: '^4' }));
    expect(d.gates.mutation?.stryker).toEqual({
      test_runner: 'command',
      command: ['npx', '--no', '--', 'vitest', 'run', '--reporter=tap'],
    });
    expect(note(d, 'mutation:')).toContain('add @stryker-mutator/vitest-runner');
  });

  it('runs mocha with its TAP reporter in place of its own', async () => {
    const d = await detect(node({ test: 'mocha --reporter spec test/' }, { mocha: '^11' }));
    expect(d.gates.mutation?.stryker?.command).toEqual(['npx', '--no', '--', 'mocha', 'test/', '--reporter', 'tap']);
  });

  it('proposes no mutation gate without StrykerJS, and says which package to add', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'node --test' } } });
    expect(d.gates.mutation).toBeUndefined();
    expect(note(d, 'mutation:')).toContain('add @stryker-mutator/core to devDependencies');
  });
});

describe('other ecosystems', () => {
  it('runs mutmut where a Python project lists it, and reads the results it writes into mutants/', async () => {
    const d = await detect({ 'requirements-dev.txt': 'pytest\nmutmut>=3\n' });
    expect(d.gates.mutation).toEqual({
      command: ['python3', '-m', 'mutmut', 'run'],
      timeout_minutes: 60,
      report: { format: 'mutmut', path: 'mutants' },
    });
    expect(note(d, 'mutation:')).toContain('mutmut (requirements-dev.txt)');
    const without = await detect({ 'requirements-dev.txt': 'pytest\n' });
    expect(without.gates.mutation).toBeUndefined();
    expect(note(without, 'mutation:')).toContain('add mutmut');
  });

  it('runs cargo-mutants where it is installed, with its outcomes under {reports}', async () => {
    const d = await detect(
      { 'Cargo.toml': '[workspace]\nmembers = ["a"]\n' },
      { probe: tools({ 'cargo mutants --version': 'cargo-mutants 25.3.1' }) },
    );
    expect(d.gates.mutation).toEqual({
      command: ['cargo', 'mutants', '--workspace', '--output', '{reports}'],
      timeout_minutes: 120,
      report: { format: 'cargo-mutants', path: '{reports}/mutants.out/outcomes.json' },
    });
    const without = await detect({ 'Cargo.toml': '[package]\nname = "x"\n' });
    expect(without.gates.mutation).toBeUndefined();
    expect(note(without, 'mutation:')).toContain('cargo install --locked cargo-mutants');
  });

  it('runs PIT where pom.xml names its plugin, with every killing test, into {reports}', async () => {
    const pom = '<project><build><plugins><plugin><artifactId>pitest-maven</artifactId></plugin></plugins></build></project>';
    const d = await detect({ 'pom.xml': pom, mvnw: '' });
    expect(d.gates.mutation?.command).toEqual([
      './mvnw',
      '-B',
      'test-compile',
      'org.pitest:pitest-maven:mutationCoverage',
      '-DoutputFormats=XML',
      '-DfullMutationMatrix=true',
      '-DtimestampedReports=false',
      '-DreportsDirectory={reports}/pit',
    ]);
    expect(d.gates.mutation?.report).toEqual({ format: 'pit', path: '{reports}/pit/mutations.xml' });
    const without = await detect({ 'pom.xml': '<project></project>' });
    expect(without.gates.mutation).toBeUndefined();
    expect(note(without, 'mutation:')).toContain('add org.pitest:pitest-maven');
  });

  it('says that no Go mutation tool is detected, so the line asks for a setting', async () => {
    const d = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.22\n' });
    expect(d.gates.mutation).toBeUndefined();
    expect(note(d, 'mutation:')).toContain('no Go mutation tool is detected');
  });

  it('takes the mutation tool from the ecosystem that runs the tests', async () => {
    const d = await detect({
      ...node({ test: 'node --test' }, {}),
      'requirements-dev.txt': 'mutmut\n',
    });
    expect(d.gates.mutation?.stryker?.test_runner).toBe('command');
    expect(note(d, 'mutation:')).not.toContain('mutmut');
  });
});
