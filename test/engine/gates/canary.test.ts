// The canary with the real node test runner on a tiny project: it fails in an honest harness, and
// passes — which fails the tests line and is tampering — once the code patches node:assert on import.
import { execFileSync } from 'node:child_process';
import { appendFile, cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importedModules, nodeTestRunner } from '../../../electron/engine/gates/canary/node.ts';
import { runCanary } from '../../../electron/engine/gates/canary/run.ts';
import { evaluateChecklist } from '../../../electron/engine/gates/checklist/checklist.ts';
import { CANARY_PASSED } from '../../../electron/engine/gates/checklist/canary.ts';
import type { CanaryRun } from '../../../electron/engine/gates/measurement.ts';
import { detectTampering } from '../../../electron/engine/guard/tamper.ts';
import { KbSchema, TestsGateSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const TESTS = TestsGateSchema.parse({ command: [process.execPath, '--test', 'test/'] });

async function project(): Promise<string> {
  const dir = await temps.make('goldloop-canary-');
  await cp('test/fixtures/mutation/node-test', dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

/** What the patched-assertions agent adds to a source file: every node:assert function a no-op on import. */
const PATCH = `
import assert from 'node:assert';
for (const target of [assert, assert.strict]) for (const key of Object.keys(target)) if (typeof target[key] === 'function') target[key] = () => {};
`;

describe('the canary', () => {
  it("runs only through node's test runner, with the command's loaders", () => {
    expect(nodeTestRunner(['/usr/bin/node', '--import', 'tsx', '--test', '--test-reporter=junit', 'test/'])).toEqual({
      node: '/usr/bin/node',
      options: ['--import', 'tsx'],
    });
    expect(nodeTestRunner(['node', '--require=./setup.cjs', '--test'])).toEqual({ node: 'node', options: ['--require=./setup.cjs'] });
    expect(nodeTestRunner(['npx', 'vitest', 'run'])).toBeUndefined();
    expect(nodeTestRunner(['node', 'test/run.js'])).toBeUndefined();
  });

  it("loads the project's own modules its tests import by relative path, not packages, tests or missing files", async () => {
    const dir = await project();
    await writeFile(join(dir, 'test/extra.test.js'), "import './helper.test.js';\nimport '../src/gone.js';\nimport 'node:fs';\n");
    expect(await importedModules({ projectDir: dir })).toEqual([join(dir, 'src/price.js'), join(dir, 'src/tax.js')]);
  });

  it('fails in an honest harness: both of its tests fail', async () => {
    const dir = await project();
    const run = (await runCanary(TESTS, { projectDir: dir, kb: KbSchema.parse({}), label: 'honest' }))!;
    expect(run).toMatchObject({ total: 2, passed: [], modules: 2 });
    expect(run.result.exitCode).not.toBe(0);
  });

  it('passes once a source file patches node:assert on import, and the tests line fails with it', async () => {
    const dir = await project();
    await appendFile(join(dir, 'src/tax.js'), PATCH);
    const kb = KbSchema.parse({ gates: { tests: TESTS } });
    const run = (await runCanary(TESTS, { projectDir: dir, kb, label: 'patched' }))!;
    expect(run.passed).toHaveLength(2);
    expect(run.passed[0]).toMatch(/^goldloop canary [0-9a-f]{12} \(strict\)$/);

    const tests = { result: run.result, report: { format: 'junit' as const, passed: 1, failed: 0, errored: 0, skipped: 0, tests: [] } };
    const line = evaluateChecklist(kb, { at: '', durationMs: 0, tests, canary: run }).checklist.find((c) => c.id === 'tests')!;
    expect(line.passed).toBe(false);
    expect(line.evidence.detail.startsWith(CANARY_PASSED)).toBe(true);
  });

  it('is tampering when it passed, by a test or by an exit code of 0', async () => {
    const honest: CanaryRun = {
      result: { argv: [], exitCode: 1, signal: null, durationMs: 1, stdoutTail: [], stderrTail: [] },
      total: 2,
      passed: [],
      modules: 1,
    };
    const input = { projectDir: '/nonexistent', restored: [], kb: KbSchema.parse({}) };
    expect(await detectTampering({ ...input, canary: honest })).toEqual([]);
    const exited0 = { ...honest, result: { ...honest.result, exitCode: 0 }, total: 0 };
    expect(await detectTampering({ ...input, canary: exited0 })).toEqual([
      { kind: 'harness_tampered', message: CANARY_PASSED, evidence: 'exit 0' },
    ]);
  });
});
