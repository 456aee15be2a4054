import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, lockHolder, lockPath, LockedError, type LockInfo } from '../../electron/store/lock.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await temps.cleanup();
});

/** A real process that stays alive for the test. */
async function liveProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child.pid!;
}

/** The pid of a real process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid!;
  await once(child, 'exit');
  return pid;
}

async function writeLock(projectDir: string, info: Partial<LockInfo>): Promise<void> {
  await mkdir(join(projectDir, '.goldloop'), { recursive: true });
  // Written now, as a holder writes its lock after it starts.
  const full: LockInfo = { pid: 0, host: hostname(), started_at: new Date().toISOString(), command: 'goldloop run', ...info };
  await writeFile(lockPath(projectDir), JSON.stringify(full));
}

const readLockFile = async (projectDir: string): Promise<LockInfo> => JSON.parse(await readFile(lockPath(projectDir), 'utf8')) as LockInfo;

async function lockedErrorOf(run: () => Promise<unknown>): Promise<LockedError> {
  const error: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LockedError);
  return error as LockedError;
}

describe('acquireLock', () => {
  it('creates .goldloop/run.lock naming this process', async () => {
    const dir = await temps.make();
    const lock = await acquireLock(dir, 'goldloop run .');
    const onDisk = await readLockFile(dir);
    expect(lockPath(dir)).toBe(join(dir, '.goldloop', 'run.lock'));
    expect(onDisk).toEqual(lock.info);
    expect(onDisk).toMatchObject({ pid: process.pid, host: hostname(), command: 'goldloop run .' });
    expect(Number.isNaN(Date.parse(onDisk.started_at))).toBe(false);
    await lock.release();
  });

  it('refuses while a live process holds the lock, naming its pid', async () => {
    const dir = await temps.make();
    const pid = await liveProcess();
    await writeLock(dir, { pid });
    const error = await lockedErrorOf(() => acquireLock(dir));
    expect(error.holder.pid).toBe(pid);
    expect(error.message).toContain(`pid ${pid} on ${hostname()}`);
    expect(error.message).toContain(dir);
  });

  it('takes over a lock whose pid now belongs to a program that started after it (pid reuse, e.g. pid 1 after a reboot)', async () => {
    const dir = await temps.make();
    const pid = await liveProcess();
    await writeLock(dir, { pid, started_at: new Date(Date.now() - 3_600_000).toISOString() });
    const lock = await acquireLock(dir);
    expect((await readLockFile(dir)).pid).toBe(process.pid);
    await lock.release();
  });

  it('says how to clear a lock whose holder is not Goldloop', async () => {
    const dir = await temps.make();
    const pid = await liveProcess();
    await writeLock(dir, { pid });
    const error = await lockedErrorOf(() => acquireLock(dir));
    expect(error.message).toContain(`If pid ${pid} is not a Goldloop process, delete ${lockPath(dir)} and start again.`);
  });

  it('leaves a live holder\u2019s lock file untouched', async () => {
    const dir = await temps.make();
    const pid = await liveProcess();
    await writeLock(dir, { pid });
    const before = await readFile(lockPath(dir), 'utf8');
    await lockedErrorOf(() => acquireLock(dir));
    expect(await readFile(lockPath(dir), 'utf8')).toBe(before);
  });

  it('refuses a second lock in the same process', async () => {
    const dir = await temps.make();
    const first = await acquireLock(dir);
    const error = await lockedErrorOf(() => acquireLock(dir));
    expect(error.holder.pid).toBe(process.pid);
    await first.release();
  });

  it('takes over a lock whose process has exited', async () => {
    const dir = await temps.make();
    const pid = await deadPid();
    await writeLock(dir, { pid });
    const lock = await acquireLock(dir);
    expect((await readLockFile(dir)).pid).toBe(process.pid);
    expect(lock.info.pid).toBe(process.pid);
    await lock.release();
  });

  it('leaves no take-over guard file behind', async () => {
    const dir = await temps.make();
    await writeLock(dir, { pid: await deadPid() });
    const lock = await acquireLock(dir);
    expect(await readdir(join(dir, '.goldloop'))).toEqual(['run.lock']);
    await lock.release();
  });

  it('takes over a lock file that is not valid JSON (a half-written lock)', async () => {
    const dir = await temps.make();
    await mkdir(join(dir, '.goldloop'));
    await writeFile(lockPath(dir), '{"pid": 12');
    const lock = await acquireLock(dir);
    expect((await readLockFile(dir)).pid).toBe(process.pid);
    await lock.release();
  });

  it('does not take over a lock from another host, where the pid cannot be checked', async () => {
    const dir = await temps.make();
    await writeLock(dir, { pid: await deadPid(), host: 'some-other-machine.invalid' });
    const error = await lockedErrorOf(() => acquireLock(dir));
    expect(error.holder.host).toBe('some-other-machine.invalid');
  });

  it('lets only one of two concurrent starters win', async () => {
    const dir = await temps.make();
    await writeLock(dir, { pid: await deadPid() });
    const results = await Promise.allSettled([acquireLock(dir, 'a'), acquireLock(dir, 'b')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(LockedError);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.release();
  });
});

describe('release', () => {
  it('removes the lock file', async () => {
    const dir = await temps.make();
    const lock = await acquireLock(dir);
    await lock.release();
    expect(await readdir(join(dir, '.goldloop'))).toEqual([]);
  });

  it('lets the next acquire succeed', async () => {
    const dir = await temps.make();
    await (await acquireLock(dir)).release();
    const again = await acquireLock(dir);
    expect(again.info.pid).toBe(process.pid);
    await again.release();
  });

  it('does not remove a lock that another process holds by now', async () => {
    const dir = await temps.make();
    const lock = await acquireLock(dir);
    const pid = await liveProcess();
    await writeLock(dir, { pid });
    await lock.release();
    expect((await readLockFile(dir)).pid).toBe(pid);
  });

  it('is harmless when called twice', async () => {
    const dir = await temps.make();
    const lock = await acquireLock(dir);
    await lock.release();
    await expect(lock.release()).resolves.toBeUndefined();
  });
});

describe('lockHolder', () => {
  it('is undefined when there is no lock', async () => {
    expect(await lockHolder(await temps.make())).toBeUndefined();
  });

  it('reports a live holder', async () => {
    const dir = await temps.make();
    const pid = await liveProcess();
    await writeLock(dir, { pid, command: 'goldloop run /x' });
    expect(await lockHolder(dir)).toMatchObject({ pid, host: hostname(), command: 'goldloop run /x' });
  });

  it('reports this process while it holds the lock', async () => {
    const dir = await temps.make();
    const lock = await acquireLock(dir);
    expect(await lockHolder(dir)).toEqual(lock.info);
    await lock.release();
    expect(await lockHolder(dir)).toBeUndefined();
  });

  it('does not report a dead holder', async () => {
    const dir = await temps.make();
    await writeLock(dir, { pid: await deadPid() });
    expect(await lockHolder(dir)).toBeUndefined();
  });

  it('does not report an unreadable lock', async () => {
    const dir = await temps.make();
    await mkdir(join(dir, '.goldloop'));
    await writeFile(lockPath(dir), 'garbage');
    expect(await lockHolder(dir)).toBeUndefined();
  });
});
