// The mutation gate with the real StrykerJS (this repository's 9.6.1) on a tiny fixture,
// test/fixtures/mutation/node-test: price.js (18 mutants) and tax.js (a few), node:test with TAP.
import { execFileSync } from 'node:child_process';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MutationRun } from '../../../electron/engine/gates/measurement.ts';
import { mutationStateDir } from '../../../electron/engine/gates/mutation/changes.ts';
import { measureGates, runGates } from '../../../electron/engine/gates/phase.ts';
import { KbSchema, type Kb } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
/** A watchdog, not a measure: Stryker runs the tests once per mutant, which a loaded machine slows down. */
const STRYKER_WATCHDOG = 600_000;
afterAll(() => temps.cleanup());

const STRYKER = join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });

async function fixture(): Promise<string> {
  const dir = await temps.make('goldloop-mutation-gate-');
  await cp('test/fixtures/mutation/node-test', dir, { recursive: true });
  await writeFile(join(dir, '.gitignore'), '.goldloop/\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'fixture');
  return dir;
}

/** Every line but the mutation line passes unless `open`: the coverage, the other gates off or not required. */
function kb(open = false): Kb {
  return KbSchema.parse({
    autonomous_operation: { quality_gates: { security_scan_must_pass: false, test_coverage_threshold: 50 } },
    task_queue: { high_priority: [{ task_id: 'T1', status: open ? 'ready' : 'done' }] },
    requirements: ['REQ-001', 'REQ-002', 'REQ-003'].map((id) => ({ id })),
    gates: {
      tests: {
        command: [
          process.execPath,
          '--test',
          '--experimental-test-coverage',
          '--test-reporter=junit',
          '--test-reporter-destination={reports}/junit.xml',
          '--test-reporter=lcov',
          '--test-reporter-destination={reports}/lcov.info',
          'test/',
        ],
        junit_report: '{reports}/junit.xml',
        coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
      },
      mutation: {
        command: [process.execPath, STRYKER, 'run', '{reports}/stryker.config.json'],
        stryker: { test_runner: 'command', command: [process.execPath, '--test', '--test-reporter=tap', 'test/'] },
      },
      docs: { enabled: false },
      // Switched off, so that only the mutation line stands between the fixture and gold.
      performance: { enabled: false, command: ['true'], thresholds: { ms: { max: 1 } } },
      build: { enabled: false, command: ['true'] },
    },
  });
}

describe('the mutation gate', () => {
  it(
    'mutates all the code at a gold candidate, from a config and a sandbox outside the project',
    async () => {
      const dir = await fixture();
      const run = await runGates({ projectDir: dir, kb: kb(), label: 'full' });
      const line = run.checklist.find((c) => c.id === 'mutation')!;
      expect(line.passed, line.evidence.detail).toBe(true);
      expect(line.evidence.detail).toContain('in all the code (every other line passes: a gold candidate)');
      expect(line.evidence.report).toBe(join(dir, '.goldloop', 'evidence', 'full', 'mutation.json'));
      const report = JSON.parse(await readFile(line.evidence.report!, 'utf8')) as { files: object };
      expect(Object.keys(report.files).sort()).toEqual(['src/price.js', 'src/tax.js']);
      expect(run.gold).toBe(true);
      expect(run.checklist.find((c) => c.id === 'requirements')!.evidence.detail).toBe(
        'every requirement is named by a passing test that kills a mutant of the code',
      );
      // Nothing written into the project but Goldloop's own folder; Stryker's incremental results kept outside it.
      expect(git(dir, 'status', '--porcelain', '--ignored')).toBe('!! .goldloop/\n');
      expect(await readdir(mutationStateDir(dir))).toContain('stryker-incremental.json');
    },
    STRYKER_WATCHDOG,
  );

  it(
    'between gold candidates mutates only the sources changed since the baseline, and nothing while none changed',
    async () => {
      const dir = await fixture();
      const open = kb(true);
      const baseline = await measureGates({ projectDir: dir, kb: open, label: 'baseline', baseline: true });
      expect(baseline.mutation).toEqual({
        scope: { kind: 'changed', files: [] },
        skipped: 'no source file to mutate changed since the baseline',
      });
      await writeFile(
        join(dir, 'src/price.js'),
        (await readFile(join(dir, 'src/price.js'), 'utf8')).replace('percent must', 'the percent must'),
      );
      await writeFile(join(dir, 'test/notes.txt'), 'not a source: not mutated\n');
      const m = (await measureGates({ projectDir: dir, kb: open, label: 'cycle-1' })).mutation as MutationRun;
      expect(m.scope).toEqual({ kind: 'changed', files: ['src/price.js'] });
      expect(new Set(m.report!.mutants.map((x) => x.file))).toEqual(new Set(['src/price.js']));
      expect(m.report!.mutants).toHaveLength(18);
      // 14 killed, 4 survived; on a loaded machine a survivor may run into Stryker's timeout, which counts as caught.
      expect(m.report!.score).toBeGreaterThanOrEqual(77.78);
    },
    STRYKER_WATCHDOG,
  );

  it('does not run while the tests fail: a mutation run starts from a passing suite', async () => {
    const dir = await fixture();
    await writeFile(join(dir, 'test/tax.test.js'), (await readFile(join(dir, 'test/tax.test.js'), 'utf8')).replace('12)', '13)'));
    const run = await runGates({ projectDir: dir, kb: kb(), label: 'red' });
    const line = run.checklist.find((c) => c.id === 'mutation')!;
    expect(line).toMatchObject({ passed: false, value: null });
    expect(line.evidence.detail).toMatch(
      /^not run: a mutation run starts from a passing test suite, and the tests line fails \(failing: REQ-003/,
    );
  });
});
