/**
 * `goldloop init --redetect` through the real CLI: the gates proposed again from the project's
 * files, the diff of the gates section printed, everything else in the knowledge base kept.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gatesDiff } from '../../../electron/engine/project/redetect.ts';
import { KB_BACKUP, KB_FILE } from '../../../electron/store/kb/kb-file.ts';
import { lockPath } from '../../../electron/store/lock.ts';
import { TempDirs } from '../../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

function goldloop(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Json = Record<string, unknown>;
const readKb = async (dir: string): Promise<Json> => JSON.parse(await readFile(join(dir, KB_FILE), 'utf8')) as Json;

async function projectWithKb(script: string): Promise<string> {
  const dir = await temp.make();
  await writeFile(join(dir, 'README.md'), '# p\n');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'p', scripts: { test: script } }));
  expect(goldloop(['init', dir, '--git']).code).toBe(0);
  return dir;
}

describe('goldloop init --redetect', () => {
  it('replaces the detected gates, prints their diff and keeps the plan, tasks, notes and the user settings', async () => {
    const dir = await projectWithKb('./run-tests.sh');
    const kb = await readKb(dir);
    expect((kb.gates as Json).tests).toMatchObject({ command: ['npm', 'test'] });
    kb.task_queue = { high_priority: [{ task_id: 'MINE', description: 'mine', priority: 'P0', phase: 1 }] };
    kb.notes_of_mine = { kept: ['as', 'written'] };
    const gates = kb.gates as Json;
    gates.tests = { ...(gates.tests as Json), timeout_minutes: 25 };
    gates.performance = { command: ['node', 'bench.js'], thresholds: { ms: { max: 5 } } };
    await writeFile(join(dir, KB_FILE), JSON.stringify(kb, null, 2));
    const before = await readFile(join(dir, KB_FILE), 'utf8');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'p', scripts: { test: 'node --test' } }));

    const r = goldloop(['init', dir, '--redetect']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Changed the gates in ${join(dir, KB_FILE)}:`);
    expect(r.stdout).toContain('  - gates.tests.command: ["npm","test"]');
    expect(r.stdout).toMatch(/ {2}\+ gates\.tests\.command: \["node","--test",.*"--test-reporter=junit"/);
    expect(r.stdout).toContain('  + gates.tests.junit_report: "{reports}/junit.xml"');
    expect(r.stdout).toContain('  - tests: node:test');
    expect(r.stdout).not.toContain('timeout_minutes');

    const after = await readKb(dir);
    const { gates: newGates, ...rest } = after;
    const { gates: _old, ...restBefore } = JSON.parse(before) as Json;
    expect(rest).toEqual(restBefore);
    expect((newGates as Json).performance).toEqual(gates.performance);
    expect((newGates as Json).tests).toMatchObject({ timeout_minutes: 25, junit_report: '{reports}/junit.xml' });
    expect(await readFile(join(dir, KB_BACKUP), 'utf8')).toBe(before);

    const again = goldloop(['init', dir, '--redetect']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('are already what detection proposes; nothing written');
    expect(await readKb(dir)).toEqual(after);
  });

  it('with --test-command, that command replaces the detected one', async () => {
    const dir = await projectWithKb('node --test');
    const r = goldloop(['init', dir, '--redetect', '--test-command', 'make check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+ gates.tests.command: ["make","check"]');
    expect(r.stdout).toContain('- gates.tests.junit_report: "{reports}/junit.xml"');
    expect(((await readKb(dir)).gates as Json).tests).toEqual({ command: ['make', 'check'], enabled: true, timeout_minutes: 10 });
  });

  it('refuses a folder without a knowledge base, and one a run is driving, writing nothing', async () => {
    const empty = await temp.make();
    const none = goldloop(['init', empty, '--redetect']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('does not exist: there is nothing to re-detect; create it with goldloop init');

    const dir = await projectWithKb('node --test');
    const before = await readFile(join(dir, KB_FILE), 'utf8');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'p', scripts: { test: './other.sh' } }));
    const lock = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command: 'goldloop run' };
    await writeFile(lockPath(dir), JSON.stringify(lock));
    const locked = goldloop(['init', dir, '--redetect']);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`is being run by Goldloop (pid ${process.pid})`);
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(before);
  });

  it('the diff names each changed path once per side, removed and added gates included', () => {
    expect(gatesDiff({ tests: { command: ['a'] }, build: { command: ['b'] } }, { tests: { command: ['c'] }, security: { x: 1 } })).toEqual([
      '- gates.build.command: ["b"]',
      '+ gates.security.x: 1',
      '- gates.tests.command: ["a"]',
      '+ gates.tests.command: ["c"]',
    ]);
  });
});
