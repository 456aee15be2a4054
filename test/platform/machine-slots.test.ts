// The machine-wide slots gate phases share: a limit held across processes, taken in the order
// asked, given back when the holder is killed, and a wait that a pause ends.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MachineSlots, type SlotWait } from '../../electron/platform/machine-slots.ts';
import { processInfo } from '../../electron/platform/process-info.ts';
import { writeFile, mkdir } from 'node:fs/promises';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const folder = (): Promise<string> => temps.make('goldloop-slots-');

describe('MachineSlots', () => {
  it('lets `limit` holders in at once and the others in the order they asked', async () => {
    const slots = new MachineSlots(await folder(), 2);
    const first = await slots.take();
    const second = await slots.take();
    const order: string[] = [];
    const waits: SlotWait[] = [];
    let thirdWaits!: () => void;
    const thirdWaiting = new Promise<void>((r) => (thirdWaits = r));
    const third = slots.take({ onWait: (w) => (waits.push(w), thirdWaits()) }).then((give) => (order.push('third'), give));
    await thirdWaiting;
    // Asked later: it waits behind the third even when a slot is free for a moment.
    let fourthWaits!: () => void;
    const fourthWaiting = new Promise<void>((r) => (fourthWaits = r));
    const fourth = slots.take({ onWait: () => fourthWaits() }).then((give) => (order.push('fourth'), give));
    await fourthWaiting;
    expect(order).toEqual([]);
    expect(waits[0]).toEqual({ inUse: 2, limit: 2, ahead: 0 });

    await first();
    const thirdGive = await third;
    await second();
    const fourthGive = await fourth;
    expect(order).toEqual(['third', 'fourth']);
    await thirdGive();
    await fourthGive();
  });

  it('twelve waiters of one process and four of another share three slots, each in the order asked, never more than three at once', async () => {
    const dir = await folder();
    // Two objects over one folder: one process (the desktop app's twenty projects) and another beside it.
    const here = new MachineSlots(dir, 3);
    const there = new MachineSlots(dir, 3);
    const blockers = await Promise.all([here.take(), here.take(), here.take()]);
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    const waiting: Promise<void>[] = [];
    for (let i = 0; i < 16; i++) {
      let asked!: () => void;
      const seen = new Promise<void>((r) => (asked = r));
      waiting.push(
        (i % 4 === 3 ? there : here).take({ onWait: () => asked() }).then(async (give) => {
          order.push(i);
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 5));
          inside--;
          await give();
        }),
      );
      // Each asks once the one before it waits: the order they asked in is 0, 1, 2...
      await seen;
    }
    for (const give of blockers) await give();
    await Promise.all(waiting);
    expect(most).toBeLessThanOrEqual(3);
    // Three run at once, so the ends can cross; each starts no earlier than two places before its turn.
    order.forEach((n, at) => expect(Math.abs(n - at), `waiter ${n} started ${at + 1}th`).toBeLessThanOrEqual(2));
    expect(await readdir(join(dir, 'slots'))).toEqual([]);
    expect(await readdir(join(dir, 'queue'))).toEqual([]);
  });

  it('takes back the slot of a holder that was killed (it deleted nothing)', async () => {
    const dir = await folder();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
    await new Promise((r) => holder.once('spawn', r));
    for (let i = 0; i < 100 && processInfo(holder.pid!)?.startedAt === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    // The slot file another Goldloop process writes when it takes the only slot.
    await mkdir(join(dir, 'slots'), { recursive: true });
    await writeFile(join(dir, 'slots', '0'), JSON.stringify({ pid: holder.pid, started_at: processInfo(holder.pid!)!.startedAt }));

    const waits: SlotWait[] = [];
    let waiting!: () => void;
    const waitSeen = new Promise<void>((r) => (waiting = r));
    const taking = new MachineSlots(dir, 1).take({ onWait: (w) => (waits.push(w), waiting()) });
    await waitSeen;
    expect(waits).toEqual([{ inUse: 1, limit: 1, ahead: 0 }]);
    holder.kill('SIGKILL');
    const give = await taking;
    expect(await readdir(join(dir, 'slots'))).toEqual(['0']);
    await give();
    expect(await readdir(join(dir, 'slots'))).toEqual([]);
    expect(await readdir(join(dir, 'queue'))).toEqual([]);
  });

  it('ends a wait when its signal aborts, leaving no ticket behind', async () => {
    const dir = await folder();
    const slots = new MachineSlots(dir, 1);
    const held = await slots.take();
    const abort = new AbortController();
    const waiting = slots.take({ signal: abort.signal, onWait: () => abort.abort(new Error('paused')) });
    await expect(waiting).rejects.toThrow('paused');
    expect(await readdir(join(dir, 'queue'))).toEqual([]);
    await held();
  });
});
