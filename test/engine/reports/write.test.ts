import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { historyPath } from '../../../electron/store/history.ts';
import { HistoryTail } from '../../../electron/engine/reports/history-tail.ts';
import { listReports, writeReport } from '../../../electron/engine/reports/write.ts';
import { TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());
const AT = new Date('2026-01-05T02:00:00.000Z');

describe('writeReport', () => {
  it('names the file by time and kind and redacts the body', async () => {
    const dir = await temp.make();
    const path = await writeReport(dir, 'progress', AT, 'agent said: GITHUB_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n');
    expect(path.endsWith('.goldloop/reports/2026-01-05T02-00-00Z-progress.md')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('agent said: GITHUB_TOKEN=[REDACTED GitHub token]\n');
  });

  it('never replaces a report of the same kind and second, and lists them oldest first', async () => {
    const dir = await temp.make();
    const first = await writeReport(dir, 'status', AT, 'one');
    const second = await writeReport(dir, 'status', AT, 'two');
    await writeReport(dir, 'progress', new Date('2026-01-05T00:00:00Z'), 'zero');
    expect(second).not.toBe(first);
    expect(await readFile(first, 'utf8')).toBe('one');
    const list = await listReports(dir);
    expect(list.map((r) => [r.kind, r.at])).toEqual([
      ['progress', '2026-01-05T00:00:00Z'],
      ['status', '2026-01-05T02:00:00Z'],
      ['status', '2026-01-05T02:00:00Z'],
    ]);
    expect((await listReports(dir, 'progress')).length).toBe(1);
  });
});

describe('HistoryTail', () => {
  it('reads only new lines, and takes a torn last line once it is complete', async () => {
    const dir = await temp.make();
    const file = historyPath(dir);
    await mkdir(dirname(file), { recursive: true });
    const line = (i: number) =>
      JSON.stringify({
        iteration: i,
        started_at: `2026-01-05T0${i}:00:00.000Z`,
        ended_at: `2026-01-05T0${i}:10:00.000Z`,
        outcome: 'task_done',
        run_id: 'r',
      });
    await appendFile(file, `${line(1)}\n${line(2)}\n${line(3).slice(0, 20)}`);
    const tail = new HistoryTail(dir);
    expect((await tail.read()).length).toBe(2);
    await appendFile(file, `${line(3).slice(20)}\n`);
    const all = await tail.read();
    expect(all.map((s) => s.ended_at)).toEqual(['2026-01-05T01:10:00.000Z', '2026-01-05T02:10:00.000Z', '2026-01-05T03:10:00.000Z']);
  });
});
