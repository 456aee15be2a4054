// `goldloop run` in two processes, for real: the process the user started waits out a long break
// alone (its engine process has exited), starts the engine again for the next cycle, stops on
// Ctrl-C while it waits, and a run that takes over after a kill -9 of it ends its engine first.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, initRepository } from '../../electron/platform/git.ts';
import { readHistory } from '../../electron/store/history.ts';
import { loadKb, saveKb } from '../../electron/store/kb/kb-file.ts';
import { KbSchema } from '../../electron/store/kb/schema.ts';
import { lockPath } from '../../electron/store/lock.ts';
import { agentPath, TempDirs } from '../helpers/project.ts';
import { alive, until } from '../helpers/processes.ts';

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const NOOP = fileURLToPath(new URL('../../bench/noop.mjs', import.meta.url));
const temp = new TempDirs();
const leftover: number[] = [];
afterAll(async () => {
  for (const pid of leftover) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
  await temp.cleanup();
});

/** A project whose task is never done, with an agent and a test command that do nothing: every cycle is quick. */
async function quickProject(): Promise<string> {
  const dir = join(await temp.make('goldloop-host-'), 'project');
  await mkdir(dir);
  await initRepository(dir);
  const off = Object.fromEntries(['mutation', 'security', 'performance', 'build'].map((g) => [g, { enabled: false }]));
  await saveKb(
    dir,
    KbSchema.parse({
      task_queue: { high_priority: [{ task_id: 'TASK_001', description: 'never done', requirements: ['REQ-001'] }] },
      requirements: [{ id: 'REQ-001', text: 'never covered' }],
      agent: { type: 'command', command: [process.execPath, NOOP] },
      gates: { tests: { command: [process.execPath, NOOP] }, ...off },
    }),
  );
  await commitAll(dir, 'quick project');
  return dir;
}

/** The pids of a process's children (Linux). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Starts `goldloop run` with plain output collected; resolves its exit code with `exited`. */
function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'run', dir, '--plain', '--no-notify', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe.skipIf(process.platform !== 'linux')('goldloop run waits in the process the user started', () => {
  it('ends its engine at a long break, waits alone, and starts it again to resume the same run', async () => {
    const dir = await quickProject();
    const r = run(dir, ['--break', '6s', '--max-iterations', '2'], { GOLDLOOP_RUN_HAND_OFF: '1000' });
    const host = r.child.pid!;
    await until(() => r.output().includes('ON A BREAK'), 'the break', 120_000);
    // While it waits, the process the user started has no engine (nor anything else) under it.
    let waitedAlone = false;
    while (!r.output().includes('cycle 2 started') && r.child.exitCode === null) {
      if (children(host).length === 0) waitedAlone = true;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(await r.exited, r.output()).toBe(3);
    expect(waitedAlone, r.output()).toBe(true);
    const cycles = await readHistory(dir);
    expect(cycles.map((c) => c.iteration)).toEqual([1, 2]);
    expect(cycles[1]!.run_id).toBe(cycles[0]!.run_id);
    expect(r.output()).toContain('reached the maximum of 2 iterations');
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('stops on Ctrl-C while it waits: the run is recorded as stopped, exit 130, the lock released', async () => {
    const dir = await quickProject();
    const r = run(dir, ['--break', '30m']);
    const host = r.child.pid!;
    await until(() => r.output().includes('ON A BREAK'), 'the break', 120_000);
    await until(() => children(host).length === 0, 'the engine process to end at the break');
    r.child.kill('SIGINT');
    expect(await r.exited, r.output()).toBe(130);
    expect(r.output()).toMatch(/Stopping: saving state/);
    expect(r.output()).toMatch(/STOPPED — stopped by the user/);
    expect((await loadKb(dir)).autonomous_operation.status).toBe('stopped');
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('after a kill -9 of it, the run that takes the project over ends the engine it left first', async () => {
    const dir = await quickProject();
    const slow = ['--agent-cmd', `"${process.execPath}" "${agentPath('slow.mjs')}"`];
    const r = run(dir, slow, { SLOW_MS: '600000' });
    const host = r.child.pid!;
    await until(() => r.output().includes('cycle 1 started'), 'the first cycle');
    const engine = children(host)[0]!;
    leftover.push(engine);
    // An engine that has not yet noticed its host is gone (stopped here, so it cannot).
    process.kill(engine, 'SIGSTOP');
    r.child.kill('SIGKILL');
    await r.exited;
    expect(alive(engine)).toBe(true);

    const next = spawnSync(process.execPath, [BIN, 'run', dir, '--plain', '--no-notify', '--max-iterations', '1', '--break', '0s'], {
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    await until(() => !alive(engine), 'the old engine to end', 10_000);
    expect(`${next.stdout}${next.stderr}`).toContain('cycle 1 (TASK_001) did not finish');
  });

  it('names the variable and the fix for a threshold that is not a number', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', '.', '--plain'], {
      env: { ...process.env, GOLDLOOP_RUN_HAND_OFF: 'soon' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GOLDLOOP_RUN_HAND_OFF="soon" is not a number of milliseconds: set it to e.g. 60000, or to off');
  });
});
