/**
 * What a project's status says of the cycle that runs now: when it started and when its time
 * limit ends the agent, so a view can say how long it has been working and how long it has left.
 */
import { afterAll, expect, test } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { projectStatus } from '../../../electron/engine/project/status.ts';
import type { EngineEvent } from '../../../electron/engine/loop/types.ts';
import { agentPath, scriptedAgent, TempDirs, waitFor } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

test("a working agent's status carries the cycle's start and its time limit; the next step drops the limit", async () => {
  const dir = await temp.demo();
  const cycleTimeoutMs = 40 * 60_000;
  const loop = new ProjectLoop({ projectDir: dir, agent: scriptedAgent(agentPath('hang.mjs')), overrides: { cycleTimeoutMs, breakMs: 0 } });
  let working = false;
  loop.on((e: EngineEvent) => {
    if (e.type === 'agent_line') working = true;
  });
  const ended = loop.run();
  await waitFor(() => working, 120_000, 'the agent to print its first line');

  const now = await projectStatus(dir);
  expect(now).toMatchObject({ state: 'running', step: 'execute', iteration: 1 });
  const started = Date.parse(now.cycle_started_at!);
  const limit = Date.parse(now.cycle_timeout_at!);
  // The limit counts from the agent's start, a moment after the cycle's (its snapshot and prompt).
  expect(limit - started).toBeGreaterThanOrEqual(cycleTimeoutMs);
  expect(limit - started).toBeLessThan(cycleTimeoutMs + 60_000);
  expect(started).toBeLessThanOrEqual(Date.now());

  loop.pause();
  await ended;
  const after = await projectStatus(dir);
  expect(after.state).toBe('paused');
  expect(after.cycle_started_at).toBeUndefined();
  expect(after.cycle_timeout_at).toBeUndefined();
});
