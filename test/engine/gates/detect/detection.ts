// The detect tests' projects: real files in a temp folder, detected with a probe that finds only
// the tools a test names.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { detectGates, type Detection, type DetectOptions } from '../../../../electron/engine/gates/detect/detect.ts';
import type { Probe } from '../../../../electron/engine/gates/detect/ecosystem.ts';
import { GatesSchema } from '../../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../../helpers/project.ts';

// Vitest gives each test file its own copy of this module: its folders go after its tests.
const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** This machine's tools stay out of the unit tests: a probe that finds none, or exactly the ones named. */
export const tools = (found: Record<string, string> = {}): Probe & { calls: string[][] } => {
  const calls: string[][] = [];
  const probe = async (argv: string[]): Promise<string | undefined> => {
    calls.push(argv);
    return found[argv.join(' ')];
  };
  return Object.assign(probe, { calls });
};

export async function project(files: Record<string, string | object>): Promise<string> {
  const dir = await temps.make('goldloop-detect-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Detects, and checks that what was proposed is a valid `gates` section of a KB. */
export async function detect(files: Record<string, string | object>, options: DetectOptions = {}): Promise<Detection> {
  const detection = await detectGates(await project({ 'README.md': '# x\n', ...files }), { probe: tools(), platform: 'linux', ...options });
  expect(() => GatesSchema.parse(detection.gates)).not.toThrow();
  return detection;
}

export const note = (d: Detection, prefix: string): string => d.notes.filter((n) => n.startsWith(prefix)).join('\n');
export const JUNIT = '{reports}/junit.xml';
export const LCOV = { format: 'lcov', path: '{reports}/coverage/lcov.info' };
