/**
 * A mocha + nyc project shaped as real ones are (test/fixtures/projects/mocha-nyc: a small library,
 * `.mocharc.yml`, `.nycrc`, nyc in devDependencies and in a `coverage` script, not in `test`):
 * `goldloop init` then `goldloop gates`, against mocha (its built-in xunit reporter) and nyc run
 * directly in the same test. mocha and nyc are this repository's own copies, linked in as npm would.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installed, linkPackages } from '../../helpers/packages.ts';
import { skipped } from './real-projects.ts';
import { fixtureCopy, gates, init } from './real-cli.ts';

const missing = !installed('mocha', 'nyc') && skipped('mocha + nyc', 'not installed in this repository (npm ci installs them)');

/** mocha and nyc run by hand: mocha's xunit totals, and nyc's json-summary of the same run. */
function ownFigures(dir: string): { value: string; lines: number; counted: string } {
  const own = join(dir, 'own');
  spawnSync(
    join(dir, 'node_modules/.bin/nyc'),
    [
      '--reporter=json-summary',
      `--report-dir=${own}`,
      `--temp-dir=${own}/tmp`,
      join(dir, 'node_modules/.bin/mocha'),
      '--reporter',
      'xunit',
      '--reporter-option',
      `output=${own}/xunit.xml`,
    ],
    { cwd: dir, timeout: 120_000 },
  );
  const suite = /<testsuite [^>]*>/.exec(readFileSync(join(own, 'xunit.xml'), 'utf8'))![0];
  const count = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)![1]);
  const [tests, failures, errors, skips] = ['tests', 'failures', 'errors', 'skipped'].map(count) as [number, number, number, number];
  const ran = tests - skips;
  const { lines } = (
    JSON.parse(readFileSync(join(own, 'coverage-summary.json'), 'utf8')) as {
      total: { lines: { pct: number; covered: number; total: number } };
    }
  ).total;
  return {
    value: `${ran - failures - errors}/${ran} passing${skips ? `, ${skips} skipped` : ''}`,
    lines: lines.pct,
    counted: `(${lines.covered}/${lines.total})`,
  };
}

async function mochaProject(): Promise<string> {
  const dir = await fixtureCopy('mocha-nyc');
  await linkPackages(dir, ['mocha', 'nyc']);
  return dir;
}

describe('mocha + nyc, for real: goldloop init, then goldloop gates', { timeout: 600_000 }, () => {
  it.skipIf(missing)('nyc from devDependencies (not c8) around mocha: the counts mocha gives and the line coverage nyc gives', async () => {
    const dir = await mochaProject();
    const { notes, kb } = await init(dir);
    expect(notes).toContain("coverage: nyc (in package.json, not in scripts.test) measures mocha's run");
    expect(notes).not.toMatch(/c8/);
    expect(kb.gates?.tests?.command.slice(3, 4)).toEqual(['nyc']);

    const { tests, coverage } = gates(dir);
    const own = ownFigures(dir);
    expect(tests.value, tests.evidence.detail).toBe(own.value);
    expect(tests.value).toBe('10/11 passing, 1 skipped');
    expect(tests.evidence.detail).toContain('failing: merge contains > REQ-005 is wrong on purpose: 9 is outside (test/merge.spec.js)');
    expect(Math.abs((coverage.value as number) - own.lines), coverage.evidence.detail).toBeLessThanOrEqual(1);
    // The same lines counted (src/ only, .nycrc's include), and span() in src/merge.js never runs.
    expect(coverage.evidence.detail).toContain(own.counted);
    expect(coverage.value as number).toBeLessThan(100);
  });

  it.skipIf(missing)('"nyc mocha" with a package.json "nyc" section: the project\'s include is kept', async () => {
    const dir = await mochaProject();
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ ...pkg, scripts: { test: 'nyc --reporter=html mocha' }, nyc: { include: ['src/parse.js'] } }, null, 2),
    );
    await rm(join(dir, '.nycrc'));
    const { kb } = await init(dir);
    expect(kb.gates?.tests?.command.slice(3, 4)).toEqual(['nyc']);

    const { tests, coverage } = gates(dir);
    const own = ownFigures(dir);
    expect(tests.value).toBe(own.value);
    expect(Math.abs((coverage.value as number) - own.lines), coverage.evidence.detail).toBeLessThanOrEqual(1);
    // src/parse.js alone, every line of which the tests run.
    expect(coverage.evidence.detail).toContain(own.counted);
    expect(coverage.value).toBe(100);
  });
});
