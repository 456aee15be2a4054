// The record of what a Goldloop process runs, and ending what a dead one left: real processes in
// groups of their own, a record file as a killed Goldloop leaves it.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childRecordWritten, endLeftChildren, recordChildrenIn } from '../../electron/platform/child-record.ts';
import { runProcess } from '../../electron/platform/process.ts';
import { processInfo } from '../../electron/platform/process-info.ts';
import { groupAlive } from '../../electron/platform/process-info.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
const groups: number[] = [];
afterAll(() => {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // Ended by the test.
    }
  }
  return temps.cleanup();
});

/** A sleeping program leading a process group of its own, as runProcess starts every child. */
async function sleeper(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { detached: true, stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  groups.push(child.pid!);
  child.unref();
  return child.pid!;
}

/** A pid no process has now. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) if (!processInfo(pid)) return pid;
}

describe.skipIf(process.platform !== 'linux')('endLeftChildren', () => {
  it('ends the groups a dead Goldloop recorded, but not a group whose leader is another program than the one recorded', async () => {
    const state = await temps.make('goldloop-children-');
    const ours = await sleeper();
    const reused = await sleeper();
    const owner = deadPid();
    await mkdir(join(state, 'processes'));
    await writeFile(
      join(state, 'processes', `${owner}-1000.json`),
      JSON.stringify([
        { pgid: ours, started_at: processInfo(ours)!.startedAt, program: 'claude' },
        // The recorded leader started an hour before the process that has its pid now.
        { pgid: reused, started_at: processInfo(reused)!.startedAt! - 3_600_000, program: 'codex' },
      ]),
    );
    const ended = endLeftChildren(state);
    expect(ended).toEqual([{ pgid: ours, program: 'claude', owner }]);
    for (let i = 0; i < 100 && groupAlive(ours); i++) await new Promise((r) => setTimeout(r, 50));
    expect(groupAlive(ours)).toBe(false);
    expect(groupAlive(reused)).toBe(true);
    expect(await readdir(join(state, 'processes'))).toEqual([]);
  });

  it("leaves the record of a Goldloop that still runs alone (this process's)", async () => {
    const state = await temps.make('goldloop-children-');
    const child = await sleeper();
    await mkdir(join(state, 'processes'));
    const name = `${process.pid}-${Math.round(processInfo(process.pid)!.startedAt!)}.json`;
    await writeFile(join(state, 'processes', name), JSON.stringify([{ pgid: child, program: 'gemini' }]));
    expect(endLeftChildren(state)).toEqual([]);
    expect(groupAlive(child)).toBe(true);
    expect(await readdir(join(state, 'processes'))).toEqual([name]);
  });
});

describe.skipIf(process.platform !== 'linux')('the record of running children', () => {
  it('holds each group runProcess started while it runs, and drops it once it ended', async () => {
    const state = await temps.make('goldloop-children-');
    recordChildrenIn(state);
    const [name] = await readdir(join(state, 'processes'));
    const record = async (): Promise<{ pgid: number; program: string }[]> => {
      await childRecordWritten();
      return JSON.parse(await readFile(join(state, 'processes', name!), 'utf8')) as { pgid: number; program: string }[];
    };
    expect(await record()).toEqual([]);

    const stop = new AbortController();
    const runs = [0, 1, 2].map(() =>
      runProcess([process.execPath, '-e', 'setTimeout(() => {}, 600000)'], { cwd: state, timeoutMs: 120_000, signal: stop.signal }),
    );
    const recorded = await record();
    expect(recorded).toHaveLength(3);
    expect(recorded.every((g) => g.program === process.execPath && groupAlive(g.pgid))).toBe(true);

    stop.abort();
    await Promise.all(runs);
    expect(await record()).toEqual([]);
  });
});
