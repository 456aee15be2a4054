import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kbPath, loadKb } from '../../electron/store/kb/kb-file.ts';
import { lockHolder } from '../../electron/store/lock.ts';
import { readHistory } from '../../electron/store/history.ts';
import { ProjectLoop } from '../../electron/engine/loop/project-loop.ts';
import type { EngineEvent } from '../../electron/engine/loop/types.ts';
import { writeSettings } from '../../electron/store/settings/index.ts';
import { stateFolder } from '../../electron/store/state-folder.ts';
import { ApiError } from '../../electron/server/supervisor.ts';
import type { ApiEvent } from '../../electron/contract/api.ts';
import { agentPath, demoAgent, scriptedAgent, waitFor } from '../helpers/project.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

/**
 * The settings against a real loop: the loop restores the KB's settings after every cycle from a
 * copy taken at its start, so a change saved mid-cycle must wait for the cycle to end — and must
 * then be the user's change, not the agent's tampering.
 */
const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const { temp, supervisor } = useSupervisors(() => delete process.env.SLOW_MS);

describe('settings saved while a cycle runs', () => {
  it('wait for the cycle to end, are then written, are not taken for tampering, and rule the next cycle', async () => {
    // Each cycle's agent works 4 s; the demo's cycles may last 2 minutes.
    process.env.SLOW_MS = '4000';
    const s = await supervisor({ agentFor: async () => scriptedAgent(agentPath('slow.mjs')) });
    const events: ApiEvent[] = [];
    s.on((e) => events.push(e));
    const dir = await temp.demo();
    const { project } = await s.api.addProject({ path: dir });
    await s.api.start({ project_id: project.id });
    await waitFor(() => events.some((e) => e.type === 'agent_line'), 30_000, 'the agent of cycle 1');

    // A cycle length of 1.2 s, and a new coverage threshold, saved while cycle 1's agent works.
    const saved = await s.api.updateSettings({
      project_id: project.id,
      settings: { schedule: { duration_minutes: 0.02 }, gates: { test_coverage_threshold: 55 } },
    });
    expect(saved.applied).toBe('after_cycle');
    expect(saved.message).toContain('takes effect after the current cycle');
    expect(saved.settings.schedule.duration_minutes).toBe(0.02);
    // Not in the file yet: the cycle runs with the settings it started with.
    expect((await loadKb(dir)).autonomous_operation.work_cycle.duration_minutes).toBe(2);
    const shown = await s.api.getSettings({ project_id: project.id });
    expect(shown).toMatchObject({ pending: true, settings: { gates: { test_coverage_threshold: 55 } } });
    // Kept on disk while it waits, so a crash before the cycle ends loses nothing.
    const pendingFile = join(stateFolder(dir), 'pending-settings.json');
    expect(JSON.parse(await readFile(pendingFile, 'utf8'))).toEqual([
      { schedule: { duration_minutes: 0.02 }, gates: { test_coverage_threshold: 55 } },
    ]);

    await waitFor(async () => (await readHistory(dir)).length >= 2, 60_000, 'two cycles');
    await s.api.stop({ project_id: project.id });

    const [first, second] = await readHistory(dir);
    // Cycle 1 kept its 2-minute limit: its agent ran its 4 s, and nothing was undone or flagged.
    expect(first!.agent.killed_by).toBeUndefined();
    expect(first!.outcome).not.toBe('tampered');
    expect(first).not.toHaveProperty('ignored_edits');
    expect(first).not.toHaveProperty('tamper');
    // Cycle 2 ran under the new cycle length.
    expect(second!.agent.killed_by).toBe('timeout');
    expect(second!.verification).toContain('time limit (1 s)');
    const kb = await loadKb(dir);
    expect(kb.autonomous_operation.work_cycle.duration_minutes).toBe(0.02);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(55);
    expect(events.some((e) => e.type === 'alert' && /edited fields only Goldloop writes|weakened/.test(e.message))).toBe(false);
    expect(events.some((e) => e.type === 'alert' && e.level === 'info' && e.message.includes('saved during cycle 1 are now in'))).toBe(
      true,
    );
    expect((await s.api.getSettings({ project_id: project.id })).pending).toBe(false);
    await waitFor(() => !existsSync(pendingFile) || undefined, 10_000, 'the pending file to go');
  });

  it('writes, at the next run, settings a process that ended mid-cycle left waiting', async () => {
    const dir = await temp.demo();
    const pendingFile = join(stateFolder(dir), 'pending-settings.json');
    await mkdir(dirname(pendingFile), { recursive: true });
    await writeFile(pendingFile, JSON.stringify([{ gates: { test_coverage_threshold: 61 } }, { schedule: { duration_minutes: 0 } }]));
    const alerts: string[] = [];
    const loop = new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } });
    loop.on((e) => e.type === 'alert' && alerts.push(e.message));
    await loop.run();
    expect((await loadKb(dir)).autonomous_operation.quality_gates.test_coverage_threshold).toBe(61);
    // The bad one is dropped with its reason, not half-applied.
    expect((await loadKb(dir)).autonomous_operation.work_cycle.duration_minutes).toBe(2);
    expect(alerts.some((a) => a.includes('was not written') && a.includes('schedule.duration_minutes'))).toBe(true);
    expect(existsSync(pendingFile)).toBe(false);
  });

  it('refuses at once a bad value, naming the field, even while the write would have to wait', async () => {
    process.env.SLOW_MS = '20000';
    const s = await supervisor({ agentFor: async () => scriptedAgent(agentPath('slow.mjs')) });
    const events: ApiEvent[] = [];
    s.on((e) => events.push(e));
    const { project } = await s.api.addProject({ path: await temp.demo() });
    await s.api.start({ project_id: project.id });
    await waitFor(() => events.some((e) => e.type === 'agent_line'), 30_000, 'the agent');
    const error = await s
      .call('updateSettings', {
        project_id: project.id,
        settings: { gates: { performance: { thresholds: { slugify_us_per_call: { max: null } } } } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toMatchObject({
      code: 'bad_request',
      field: 'settings.gates.performance.thresholds.slugify_us_per_call',
      fix: 'give max, min or both',
    });
    expect((await s.api.getSettings({ project_id: project.id })).pending).toBe(false);
  });
});

describe('settings saved between cycles', () => {
  it('are written at once during a break, which is worked out again under the new schedule', async () => {
    const dir = await temp.demo();
    // An hour's break after every cycle: without the change the test would wait that hour.
    await writeSettings(dir, { schedule: { break_between_cycles_minutes: 60 } });
    const loop = new ProjectLoop({ projectDir: dir, agent: demoAgent() });
    const events: EngineEvent[] = [];
    loop.on((e) => events.push(e));
    const running = loop.run();
    await waitFor(() => loop.state.state === 'break' || undefined, 60_000, 'the break after cycle 1');

    const change = loop.changeSettings(() =>
      writeSettings(dir, { schedule: { break_between_cycles_minutes: 0, max_iterations_per_run: 2 } }),
    );
    expect(change?.deferred).toBe(false);
    await change!.written;
    expect((await loadKb(dir)).autonomous_operation.work_cycle.break_between_cycles_minutes).toBe(0);

    const end = await running;
    // The new run limit paused it after cycle 2, which began without the hour's wait.
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
    const history = await readHistory(dir);
    expect(history).toHaveLength(2);
    expect(history.every((h) => h.outcome !== 'tampered' && !('ignored_edits' in h))).toBe(true);
    expect(events.some((e) => e.type === 'alert' && e.message.includes('edited fields only Goldloop writes'))).toBe(false);
  });

  it('are written directly when nothing drives the project, and pushed as a fresh status', async () => {
    const s = await supervisor();
    const events: ApiEvent[] = [];
    s.on((e) => events.push(e));
    const dir = await temp.demo();
    const { project } = await s.api.addProject({ path: dir });
    const saved = await s.api.updateSettings({ project_id: project.id, settings: { schedule: { max_iterations_per_day: 42 } } });
    expect(saved).toMatchObject({ applied: 'now', settings: { schedule: { max_iterations_per_day: 42 } } });
    expect((await loadKb(dir)).autonomous_operation.max_iterations_per_day).toBe(42);
    const status = await waitFor(() => events.find((e) => e.type === 'status' && e.project_id === project.id), 5_000, 'a status push');
    expect(status.type === 'status' && status.project.status?.limits.per_day).toBe(42);
  });
});

describe('settings of a project another process drives', () => {
  it('are refused with a conflict that says to stop that run or edit the KB by hand', async () => {
    const dir = await temp.demo();
    // A real `goldloop run` in another process, its agent busy for a minute.
    const other = spawn(
      process.execPath,
      [BIN, 'run', dir, '--agent', 'command', '--agent-cmd', `"${process.execPath}" "${agentPath('slow.mjs')}"`, '--no-notify', '--plain'],
      {
        env: { ...process.env, SLOW_MS: '60000', NO_COLOR: '1' },
        stdio: 'ignore',
      },
    );
    try {
      await waitFor(async () => (await lockHolder(dir))?.pid === other.pid || undefined, 30_000, 'the other run to take the lock');
      const s = await supervisor();
      const { project } = await s.api.addProject({ path: dir });
      const before = await readFile(kbPath(dir), 'utf8');

      const error = await s
        .call('updateSettings', { project_id: project.id, settings: { schedule: { duration_minutes: 5 } } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      const body = (error as ApiError).body;
      expect(body.code).toBe('conflict');
      expect((error as ApiError).httpStatus).toBe(409);
      expect(body.message).toContain(`another Goldloop process (pid ${other.pid})`);
      expect(body.fix).toMatch(/stop that run/);
      expect(body.fix).toMatch(/by hand/);
      expect(await readFile(kbPath(dir), 'utf8')).toBe(before);
      expect((await s.api.getSettings({ project_id: project.id })).locked_by).toEqual({ pid: other.pid });
    } finally {
      const exited = new Promise((r) => other.once('exit', r));
      other.kill('SIGINT');
      await exited;
    }
  });
});
