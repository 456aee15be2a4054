/**
 * An attempt that never ran the agent is not a cycle: an agent whose program is missing stops the
 * run before the work is taken up, so nothing counts toward the limits and nothing is committed.
 */
import { execFileSync } from 'node:child_process';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { commandAdapter } from '../../../electron/engine/agents/command.ts';
import { adapterRunner, type AgentRunContext, type AgentRunner } from '../../../electron/engine/agents/runner.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { loadKb } from '../../../electron/store/kb/kb-file.ts';
import { allTasks } from '../../../electron/engine/tasks/queue.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import { TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const git = (dir: string, ...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

test('an agent whose program is missing stops the run before a cycle: no iteration counted, no commit, no history line', async () => {
  const dir = await temp.demo();
  // Left uncommitted by the user: a cycle taken up would commit it as its snapshot.
  await writeFile(join(dir, 'NOTES.md'), 'mine, not committed\n');
  const commits = git(dir, 'rev-list', '--all', '--count');
  const agent = adapterRunner(commandAdapter([join(dir, 'no-such-agent')]));
  const loop = new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0 } });
  const end = await loop.run();
  expect(end.state).toBe('error');
  expect(end.message).toBe(
    `no cycle started: command: ${join(dir, 'no-such-agent')}: ${join(dir, 'no-such-agent')} is not installed (not found); make sure ${join(dir, 'no-such-agent')} exists and is executable (an absolute path avoids PATH surprises)`,
  );
  expect(await readHistory(dir)).toEqual([]);
  const rs = await loadRunState(dir);
  expect(rs!.schedule).toMatchObject({ run_iterations: 0, cycle_starts: [], day: { iterations: 0 } });
  expect((await loadKb(dir)).autonomous_operation.current_iteration).toBe(0);
  expect(git(dir, 'rev-list', '--all', '--count')).toBe(commits);
  expect(git(dir, 'status', '--porcelain')).toContain('NOTES.md');
});

test('an agent that cannot start after all (its program gone between the check and the start) is no cycle either: the snapshot commit is taken back', async () => {
  const dir = await temp.demo();
  await writeFile(join(dir, 'NOTES.md'), 'mine, not committed\n');
  const commits = git(dir, 'rev-list', '--all', '--count');
  const before = await loadKb(dir);
  const program = join(await temp.make(), 'vanishing-agent');
  await writeFile(program, '#!/bin/sh\nexit 0\n');
  await chmod(program, 0o755);
  const real = adapterRunner(commandAdapter([program]));
  // Found by the check before the cycle, gone when the cycle starts it.
  const agent: AgentRunner = Object.assign(async (ctx: AgentRunContext) => (await rm(program), real(ctx)), { ready: real.ready! });
  const end = await new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0 } }).run();
  expect(end.state).toBe('error');
  expect(end.message).toMatch(/^no cycle started: /);
  expect(await readHistory(dir)).toEqual([]);
  expect((await loadRunState(dir))!.schedule).toMatchObject({ run_iterations: 0, cycle_starts: [], day: { iterations: 0 } });
  // The KB as the attempt found it: no iteration, no cycle time, no task taken up (the baseline's measured fields stay).
  const after = await loadKb(dir);
  expect(after.autonomous_operation).toMatchObject({ current_iteration: 0 });
  expect(after.autonomous_operation.last_cycle_at).toBe(before.autonomous_operation.last_cycle_at);
  expect(allTasks(after).map((t) => t.task.status)).toEqual(allTasks(before).map((t) => t.task.status));
  expect(git(dir, 'rev-list', '--all', '--count')).toBe(commits);
  expect(git(dir, 'status', '--porcelain')).toContain('?? NOTES.md');
});
