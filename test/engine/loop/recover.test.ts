// What a run does about the runs before it: it settles a cycle the last process left unfinished
// (its journal in the state folder), and reopens tasks marked done that Goldloop never verified.
// Real files, real git, the demo project.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { findTask } from '../../../electron/engine/tasks/queue.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { readJournal, writeJournal } from '../../../electron/store/journal.ts';
import { KB_FILE, loadKb, saveKb } from '../../../electron/store/kb/kb-file.ts';
import { openSnapshots } from '../../../electron/store/state-folder.ts';
import { agentPath, demoAgent, scriptedAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
  // The agent that does nothing: it prints a line and exits.
  process.env.SLOW_MS = '0';
});
afterAll(() => temp.cleanup());

const idle = () => scriptedAgent(agentPath('slow.mjs'));
const status = async (dir: string, id: string) => findTask(await loadKb(dir), id)?.task.status;

/** Runs `cycles` cycles of `agent`; the alerts. */
async function run(dir: string, agent = idle(), cycles = 1): Promise<string[]> {
  const loop = new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0, maxIterations: cycles } });
  const alerts: string[] = [];
  loop.on((e) => e.type === 'alert' && alerts.push(e.message));
  await loop.run();
  return alerts;
}

describe('a cycle the last process did not finish', () => {
  it('is settled first, as an interrupted cycle: the agent’s claims put back, its skip rolled back, nothing counted', async () => {
    const dir = await temp.demo();
    // Cycle 1 as Goldloop begins it (execute.ts takeUp): the task in progress, the start's snapshot, the journal.
    const kbBefore = await loadKb(dir);
    findTask(kbBefore, 'TASK_001')!.task.status = 'in_progress';
    kbBefore.autonomous_operation.current_iteration = 1;
    await saveKb(dir, kbBefore);
    const start = await (await openSnapshots(dir)).snapshot('refs/goldloop/cycles/1/start', 'cycle 1 start');
    await writeJournal(dir, {
      version: 1,
      run_id: 'the-run-that-died',
      iteration: 1,
      started_at: new Date().toISOString(),
      work: 'TASK_001',
      task_id: 'TASK_001',
      snapshot: start.commit,
      kb_before: kbBefore,
    });
    // The agent skipped the test and claimed the task; then the process died with it.
    const test = join(dir, 'test/textkit.test.js');
    const original = await readFile(test, 'utf8');
    await writeFile(test, original.replace("test('REQ-001", "test.skip('REQ-001"));
    const claimed = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    claimed.task_queue.high_priority[0].status = 'done';
    await writeFile(join(dir, KB_FILE), JSON.stringify(claimed, null, 2));

    const alerts = await run(dir, idle(), 0);

    expect(alerts.join('\n')).toContain('cycle 1 (TASK_001) did not finish');
    const [first] = await readHistory(dir);
    expect(first).toMatchObject({ iteration: 1, work: 'TASK_001', outcome: 'interrupted' });
    expect(first!.tamper?.map((t) => t.kind)).toEqual(['skip_added']);
    expect(first!.ignored_edits).toContain('TASK_001.status (done -> in_progress)');
    expect(await readFile(test, 'utf8')).toBe(original);
    expect(await status(dir, 'TASK_001')).toBe('ready');
    expect(await readJournal(dir)).toBeUndefined();
  });

  it('is not settled again when its history line was written before the process ended', async () => {
    const dir = await temp.demo();
    await run(dir, demoAgent());
    const [done] = await readHistory(dir);
    expect(done).toMatchObject({ iteration: 1, work: 'TASK_001' });
    // Killed between the history line and removing the journal.
    const kbBefore = await loadKb(dir);
    findTask(kbBefore, 'TASK_001')!.task.status = 'in_progress';
    await writeJournal(dir, {
      version: 1,
      run_id: done!.run_id,
      iteration: 1,
      started_at: done!.started_at,
      work: 'TASK_001',
      task_id: 'TASK_001',
      kb_before: kbBefore,
    });

    const alerts = await run(dir, idle(), 0);

    expect(alerts.filter((a) => a.includes('did not finish'))).toEqual([]);
    expect(await readHistory(dir)).toHaveLength(1);
    expect(await status(dir, 'TASK_001')).toBe('done');
    expect(await readJournal(dir)).toBeUndefined();
  });

  it('leaves no journal behind a cycle that ended', async () => {
    const dir = await temp.demo();
    await run(dir, demoAgent());
    expect(await readJournal(dir)).toBeUndefined();
    expect(await status(dir, 'TASK_001')).toBe('done');
  });
});

describe('a task marked done outside a cycle Goldloop measured', () => {
  it('is reopened at the next start, with an alert that names it', async () => {
    const dir = await temp.demo();
    await run(dir, demoAgent());
    expect(await status(dir, 'TASK_001')).toBe('done');
    // Between runs (an agent's process that outlived its cycle, say), TASK_002 is marked done.
    const kb = await loadKb(dir);
    findTask(kb, 'TASK_002')!.task.status = 'done';
    await saveKb(dir, kb);

    const alerts = await run(dir, idle(), 0);

    expect(alerts.find((a) => a.startsWith('reopened'))).toBe(
      'reopened TASK_002: the knowledge base says done, but Goldloop never verified it (marked done outside a cycle Goldloop measured)',
    );
    expect(await status(dir, 'TASK_002')).toBe('ready');
    expect(await status(dir, 'TASK_001')).toBe('done');
  });

  it('is taken as the user wrote it in a project Goldloop has never run', async () => {
    const dir = await temp.demo();
    const kb = await loadKb(dir);
    findTask(kb, 'TASK_001')!.task.status = 'done';
    await saveKb(dir, kb);

    const alerts = await run(dir, idle(), 0);

    expect(alerts.filter((a) => a.startsWith('reopened'))).toEqual([]);
    expect(await status(dir, 'TASK_001')).toBe('done');
  });
});
