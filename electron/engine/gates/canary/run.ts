/**
 * The canary: in every gate phase, a sentinel test that must fail, run by the project's own test
 * runner and assertion library with the project's code loaded the way its tests load it. Goldloop
 * writes it into the phase's `{reports}` folder under a random name. If it passes, the harness has
 * been made to pass everything — an assertion library patched into no-ops on import, a setup file
 * or conftest.py that turns failures into passes, a TestMain that exits 0 — and no result of the
 * phase can be believed.
 *
 * Each runner has its plan: node's test runner, vitest and jest (`node.ts`), pytest (`pytest.ts`)
 * and go test (`go.ts`). A tests command that runs another runner gets no canary.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestsGateConfig } from '../../../store/kb/schema.ts';
import { runGateCommand } from '../command.ts';
import type { CanaryRun, GateContext } from '../measurement.ts';
import { goCanary } from './go.ts';
import { jestCanary, nodeTestCanary, vitestCanary } from './node.ts';
import { pytestCanary } from './pytest.ts';
import type { CanaryPlan, CanaryTarget } from './runner.ts';

const PLANNERS = [nodeTestCanary, vitestCanary, jestCanary, pytestCanary, goCanary];

/** The canary of the first runner that recognises the tests command; undefined for another runner. */
export async function canaryPlan(target: CanaryTarget): Promise<CanaryPlan | undefined> {
  for (const plan of PLANNERS) {
    const found = await plan(target);
    if (found) return found;
  }
  return undefined;
}

/** Runs the canary through the tests gate's runner; undefined when the tests gate runs a runner it does not cover. */
export async function runCanary(config: TestsGateConfig, ctx: GateContext): Promise<CanaryRun | undefined> {
  const token = randomBytes(6).toString('hex');
  const plan = await canaryPlan({ projectDir: ctx.projectDir, command: config.command, token, ...(ctx.files ? { files: ctx.files } : {}) });
  if (!plan) return undefined;
  const stdout = plan.report === 'stdout';
  const prepare = async (_: unknown, reports: string): Promise<void> => {
    for (const [name, text] of Object.entries(plan.files(reports))) await writeFile(join(reports, name), text);
  };
  return runGateCommand(
    { command: plan.command, timeout_minutes: config.timeout_minutes },
    ctx,
    { reportPaths: [stdout ? undefined : plan.report], keepStdout: stdout, prepare, ...(plan.env ? { env: plan.env } : {}) },
    async ({ result, stdout: out }, place) => {
      try {
        const found = plan.parse(stdout ? (out ?? '') : await readFile(place.path(plan.report), 'utf8'));
        return { result, modules: plan.modules, ...found, ...(plan.exitCodeCounts === false ? { exitCodeCounts: false as const } : {}) };
      } catch {
        // No report: a runner that failed to start proves nothing, but one that exits 0 passed the canary.
        return {
          result,
          total: 0,
          passed: [],
          modules: plan.modules,
          error: 'the canary wrote no report',
          ...(plan.exitCodeCounts === false ? { exitCodeCounts: false as const } : {}),
        };
      }
    },
  );
}
