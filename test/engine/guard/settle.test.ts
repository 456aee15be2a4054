// Settling the KB of a cycle the gates did not measure, on real files in a real git repository:
// an unreadable KB is set aside and the cycle's own comes back; Goldloop's fields are put back, the
// agent's notes kept; a diff that switches a test off is rolled back, its work kept under a ref.
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { readAgentKb, settleKb } from '../../../electron/engine/guard/settle.ts';
import type { CycleSnapshots } from '../../../electron/engine/guard/tamper.ts';
import { SimulatedClock } from '../../../electron/platform/clock.ts';
import { commitAll, head, initRepository } from '../../../electron/platform/git.ts';
import { KB_FILE, loadKb, saveKb } from '../../../electron/store/kb/kb-file.ts';
import { KbSchema, type Kb } from '../../../electron/store/kb/schema.ts';
import { openSnapshots } from '../../../electron/store/state-folder.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const TEST_FILE = 'test/calc.test.js';

/** A repository at the start of cycle 1: a KB with task T1 in progress, a test file, all committed; Goldloop's snapshot of it. */
async function cycleStart(): Promise<{ dir: string; kbBefore: Kb; before: string; snapshots: CycleSnapshots }> {
  const dir = await temps.make('goldloop-settle-');
  const kbBefore = KbSchema.parse({
    task_queue: { high_priority: [{ task_id: 'T1', status: 'in_progress' }] },
    gates: { docs: { markers: ['TODO'] } },
  });
  await saveKb(dir, kbBefore);
  await mkdir(join(dir, 'test'));
  await writeFile(join(dir, TEST_FILE), "test('adds', () => {});\n");
  await initRepository(dir);
  await commitAll(dir, 'start');
  const repo = await openSnapshots(dir);
  return {
    dir,
    kbBefore,
    before: (await head(dir))!,
    snapshots: { repo, start: (await repo.snapshot('refs/test/start', 'start')).commit },
  };
}

/** The cycle's snapshots once the agent has finished. */
const ended = async (s: CycleSnapshots): Promise<CycleSnapshots> => ({ ...s, end: (await s.repo.snapshot('refs/test/end', 'end')).commit });

/** The agent's turn: `edit` changes its copy of the KB, which it then writes. */
async function agentEditsKb(dir: string, kbBefore: Kb, edit: (kb: Kb) => void): Promise<void> {
  const kb = structuredClone(kbBefore);
  edit(kb);
  await saveKb(dir, kb);
}

describe('readAgentKb', () => {
  it("sets aside a KB the agent left unreadable and puts the cycle's own back", async () => {
    const { dir, kbBefore } = await cycleStart();
    await writeFile(join(dir, KB_FILE), '{ "gates": ');
    const read = await readAgentKb(dir, kbBefore, 1);
    expect(read.setAside?.path).toBe(join('.goldloop', 'kb-unreadable-cycle-1.json'));
    expect(read.setAside?.why).toBeTruthy();
    expect(await readFile(join(dir, read.setAside!.path), 'utf8')).toBe('{ "gates": ');
    expect(read.kb).toEqual(kbBefore);
    expect(await loadKb(dir)).toEqual(kbBefore);
  });

  it('sets aside a FIFO the agent put in place of the KB without reading it (a copy would wait forever)', async () => {
    const { dir, kbBefore } = await cycleStart();
    await rm(join(dir, KB_FILE));
    execFileSync('mkfifo', [join(dir, KB_FILE)]);
    const read = await readAgentKb(dir, kbBefore, 2);
    expect(read.setAside?.path).toBe(join('.goldloop', 'kb-unreadable-cycle-2.json'));
    expect((await lstat(join(dir, read.setAside!.path))).isFIFO()).toBe(true);
    expect(await loadKb(dir)).toEqual(kbBefore);
  });
});

describe('settleKb', () => {
  const clock = new SimulatedClock(Date.parse('2030-01-01T00:00:00Z'));

  it("puts back Goldloop's fields, keeps the agent's note and sets its task back to ready", async () => {
    const { dir, kbBefore, before, snapshots } = await cycleStart();
    await agentEditsKb(dir, kbBefore, (kb) => {
      kb.gates.docs.markers = [];
      kb.notes.push({ text: 'the parser needs a second look' });
    });
    const read = await readAgentKb(dir, kbBefore, 1);
    const cycle = { snapshots: await ended(snapshots), gitBefore: before, mayRollBack: true };
    const settled = await settleKb({ projectDir: dir, clock, iteration: 1, kbBefore, read, taskId: 'T1', ...cycle });
    expect(settled).toEqual({ ignored: ['gates'], tamper: [] });
    const kb = await loadKb(dir);
    expect(kb.gates.docs.markers).toEqual(['TODO']);
    expect(kb.notes).toEqual([{ text: 'the parser needs a second look', task: 'T1', at: '2030-01-01T00:00:00.000Z', cycle: 1 }]);
    expect(kb.task_queue.high_priority[0]!.status).toBe('ready');
  });

  it('rolls back a cycle that switched a test off, keeps its work under a ref, and still keeps its note', async () => {
    const { dir, kbBefore, before, snapshots } = await cycleStart();
    await writeFile(join(dir, TEST_FILE), "test.skip('adds', () => {});\n");
    await agentEditsKb(dir, kbBefore, (kb) => kb.notes.push({ text: 'skipped the flaky one' }));
    const read = await readAgentKb(dir, kbBefore, 1);
    const cycle = { snapshots: await ended(snapshots), gitBefore: before, mayRollBack: true };
    const settled = await settleKb({ projectDir: dir, clock, iteration: 1, kbBefore, read, taskId: 'T1', ...cycle });
    expect(settled.tamper.map((t) => t.kind)).toEqual(['skip_added']);
    expect(settled.rejectedRef).toBe('refs/goldloop/rejected/cycle-1');
    expect(await readFile(join(dir, TEST_FILE), 'utf8')).toBe("test('adds', () => {});\n");
    const kept = execFileSync('git', ['show', `${settled.rejectedRef}:${TEST_FILE}`], { cwd: dir, encoding: 'utf8' });
    expect(kept).toContain('test.skip');
    const kb = await loadKb(dir);
    expect(kb.notes.map((n) => n.text)).toEqual(['skipped the flaky one']);
    expect(kb.task_queue.high_priority[0]!.status).toBe('ready');
  });
});
