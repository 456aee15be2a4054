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
