/**
 * Goldloop's own record of each task's status as it last wrote it into the KB, kept in the
 * project's state folder. The KB is the project's, so anyone may write it between runs; a task
 * it says is done that this record does not is one Goldloop never verified.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../platform/atomic.ts';
import { QUEUES, type Kb, type Task } from './kb/schema.ts';
import { STATE_FILES, stateFile } from './state-folder.ts';

export type TaskRecord = Record<string, Task['status']>;

const recordPath = (projectDir: string): Promise<string> => stateFile(projectDir, STATE_FILES.tasks);

/** Each task's status in the KB Goldloop has just written. */
export async function saveTaskRecord(projectDir: string, kb: Kb): Promise<void> {
  const record: TaskRecord = {};
  for (const queue of QUEUES) for (const task of kb.task_queue[queue]) record[task.task_id] = task.status;
  await writeFileAtomic(await recordPath(projectDir), `${JSON.stringify(record)}\n`);
}

/** The record, or undefined for a project Goldloop has never run (or whose record is unreadable). */
export async function loadTaskRecord(projectDir: string): Promise<TaskRecord | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(await recordPath(projectDir), 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as TaskRecord) : undefined;
  } catch {
    return undefined;
  }
}
