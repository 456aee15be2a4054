// The cycle's journal and Goldloop's record of the task statuses: both in the project's state
// folder, outside the project.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearJournal, readJournal, writeJournal, type CycleJournal } from '../../electron/store/journal.ts';
import { KbSchema } from '../../electron/store/kb/schema.ts';
import { stateFolder } from '../../electron/store/state-folder.ts';
import { loadTaskRecord, saveTaskRecord } from '../../electron/store/task-record.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const kb = KbSchema.parse({
  task_queue: {
    high_priority: [{ task_id: 'T1', status: 'in_progress' }],
    low_priority: [{ task_id: 'T2', status: 'done' }],
  },
});

const journal: CycleJournal = {
  version: 1,
  run_id: 'r',
  iteration: 4,
  started_at: '2030-01-01T00:00:00.000Z',
  work: 'T1',
  task_id: 'T1',
  git_before: 'abc',
  snapshot: 'def',
  kb_before: kb,
};

describe('the journal', () => {
  it('keeps the cycle under way in the state folder until the cycle ends', async () => {
    const dir = await temps.make('goldloop-journal-');
    expect(await readJournal(dir)).toBeUndefined();
    await writeJournal(dir, journal);
    expect(existsSync(join(stateFolder(dir), 'journal.json'))).toBe(true);
    expect(existsSync(join(dir, '.goldloop'))).toBe(false);
    expect(await readJournal(dir)).toEqual(journal);
    await clearJournal(dir);
    expect(await readJournal(dir)).toBeUndefined();
  });

  it('is as good as none when it is not one Goldloop wrote', async () => {
    const dir = await temps.make('goldloop-journal-');
    await mkdir(stateFolder(dir), { recursive: true });
    await writeFile(join(stateFolder(dir), 'journal.json'), '{"version": 1, "iteration": "x"}');
    expect(await readJournal(dir)).toBeUndefined();
  });
});

describe('the task record', () => {
  it("keeps each task's status as Goldloop last wrote it; none for a project never run", async () => {
    const dir = await temps.make('goldloop-tasks-');
    expect(await loadTaskRecord(dir)).toBeUndefined();
    await saveTaskRecord(dir, kb);
    expect(await loadTaskRecord(dir)).toEqual({ T1: 'in_progress', T2: 'done' });
  });
});
