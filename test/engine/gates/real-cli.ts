/**
 * `goldloop init` and `goldloop gates` run as a user runs them (the CLI's bundle, built from these
 * sources by the global setup) on a copy of a fixture project, for the tests that compare
 * Goldloop's figures with the project's own tools.
 */
import { spawnSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import type { ChecklistItem } from '../../../electron/engine/gates/types.ts';
import { KB_FILE } from '../../../electron/store/kb/kb-file.ts';
import type { KbInput } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/temp.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/projects/', import.meta.url));

const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** A temp copy of `test/fixtures/projects/<name>`. */
export async function fixtureCopy(name: string): Promise<string> {
  const dir = await temps.make(`goldloop-${name}-`);
  await cp(`${FIXTURES}${name}`, dir, { recursive: true });
  return dir;
}

/** Runs `goldloop <args>`; a watchdog, not a measure: a loaded machine runs a test command slowly. */
export function goldloop(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `goldloop init --git <dir> ...more`: its printed notes, and the knowledge base it wrote. */
export async function init(dir: string, more: string[] = [], env: Record<string, string> = {}): Promise<{ notes: string; kb: KbInput }> {
  const r = goldloop(['init', '--git', dir, ...more], env);
  expect(r.code, r.stderr).toBe(0);
  return { notes: r.stdout, kb: JSON.parse(await readFile(`${dir}/${KB_FILE}`, 'utf8')) as KbInput };
}

/** `goldloop gates --json <dir>`: its tests and coverage lines. */
export function gates(dir: string, env: Record<string, string> = {}): { tests: ChecklistItem; coverage: ChecklistItem } {
  const r = goldloop(['gates', '--json', dir], env);
  expect(r.stdout, r.stderr).toMatch(/^\{/);
  const { checklist } = JSON.parse(r.stdout) as { checklist: ChecklistItem[] };
  const line = (id: string): ChecklistItem => checklist.find((c) => c.id === id)!;
  return { tests: line('tests'), coverage: line('coverage') };
}
