/**
 * Tiny real projects for the detect-real tests: written into temp folders, their gates detected
 * as `goldloop init` does and their tests gate run through Goldloop's gates.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { detectGates } from '../../../electron/engine/gates/detect/detect.ts';
import type { GatesInput } from '../../../electron/engine/gates/detect/ecosystem.ts';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import type { ChecklistItem, GateRun } from '../../../electron/engine/gates/types.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/project.ts';

// Vitest gives each test file its own copy of this module: its folders go after its tests.
const temps = new TempDirs();
afterAll(() => temps.cleanup());

export async function project(files: Record<string, string>): Promise<string> {
  const dir = await temps.make('goldloop-detect-real-');
  for (const [name, content] of Object.entries({ 'README.md': '# fixture\n', ...files })) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** Detects the project's gates and runs only its tests gate (no network: no audit, no build). */
export async function detectAndRun(
  dir: string,
): Promise<{ run: GateRun; tests: ChecklistItem; coverage: ChecklistItem; command: string[]; gates: NonNullable<GatesInput['tests']> }> {
  const { gates } = await detectGates(dir);
  expect(gates.tests, 'a tests gate was detected').toBeDefined();
  const kb = KbSchema.parse({ gates: { tests: gates.tests } });
  const run = await runGates({ projectDir: dir, kb, label: 'detect-real' });
  const line = (id: string): ChecklistItem => run.checklist.find((c) => c.id === id)!;
  return { run, tests: line('tests'), coverage: line('coverage'), command: gates.tests!.command, gates: gates.tests! };
}

export const works = (argv: string[]): boolean => spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 10_000 }).status === 0;
export const skipped = (tool: string, why: string): boolean => {
  process.stdout.write(`detect-real: skipping ${tool}: ${why}\n`);
  return true;
};
