import { spawnSync } from 'node:child_process';
import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Budget } from '../../../electron/engine/agents/budget.ts';
import { claudeCodeAdapter } from '../../../electron/engine/agents/claude-code.ts';
import { withExecutable } from '../../../electron/engine/agents/registry.ts';
import { adapterRunner } from '../../../electron/engine/agents/runner.ts';
import { updateKb } from '../../../electron/store/kb/kb-file.ts';
import { SimulatedClock } from '../../../electron/platform/clock.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import type { EngineEvent, LoopState } from '../../../electron/engine/loop/types.ts';
import { agentPath, TempDirs } from '../../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const STREAM = fileURLToPath(new URL('../../fixtures/agent-streams/claude-code/success-tools.jsonl', import.meta.url));
/** The recorded stream's session id, total cost and tokens (input + cache + output). */
const SESSION = '5b0c2f1e-8a47-4c1d-9a3e-2f6d7c1b9e04';
const COST = 0.0731;
const TOKENS = 7400 + 900 + 5200 + 360;

const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** A demo project whose KB runs Claude Code with `agent.executable` pointing at the stream fixture. */
async function claudeProject(budget: Budget): Promise<{ dir: string; fakeClaude: string }> {
  const dir = await temp.demo();
  const bin = await temp.make('goldloop-bin-');
  // A copy made executable here: the fixture's file mode in the checkout is not relied upon.
  const fakeClaude = join(bin, 'claude');
  await copyFile(agentPath('claude-stream.mjs'), fakeClaude);
  await chmod(fakeClaude, 0o755);
  await updateKb(dir, (kb) => {
    kb.agent = { type: 'claude-code', executable: fakeClaude, budget };
  });
  return { dir, fakeClaude };
}

/** The argv of each call of the stream fixture, from the line it prints first (out of any sandbox, as the agent's output). */
const ARGV_LINE = 'claude-stream argv: ';
const argvs = (lines: string[]): string[][] =>
  lines.filter((l) => l.startsWith(ARGV_LINE)).map((l) => JSON.parse(l.slice(ARGV_LINE.length)) as string[]);

/** Runs `cycles` cycles of Claude Code played by the stream fixture at `program`, keeping the agent's output lines. */
async function runClaude(dir: string, program: string, cycles: number, lines: string[]): Promise<void> {
  const agent = adapterRunner(withExecutable(claudeCodeAdapter, program, dir));
  const loop = new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0, maxIterations: cycles } });
  loop.on((e: EngineEvent) => {
    if (e.type === 'agent_line') lines.push(e.line);
  });
  await loop.run();
}

describe('the run budget', () => {
  it('pauses the run (exit 3) once the cost the agent reported reaches agent.budget.per_run', async () => {
    const { dir } = await claudeProject({ per_run: { cost_usd: 0.1 } });
    const r = spawnSync(process.execPath, [BIN, 'run', dir, '--break', '0s', '--plain', '--no-notify', '--max-iterations', '5'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FIXTURE_STREAM: STREAM },
      timeout: 120_000,
    });

    expect(r.status).toBe(3);
    expect(r.stdout).toContain("the run's budget is spent ($0.15 of $0.10, agent.budget.per_run)");
    const history = await readHistory(dir);
    // Two cycles at $0.0731 each: the second crosses $0.10, so no third starts.
    expect(history.map((h) => h.agent.usage)).toEqual([
      { input_tokens: 13_500, output_tokens: 360, cost_usd: COST },
      { input_tokens: 13_500, output_tokens: 360, cost_usd: COST },
    ]);
    const rs = await loadRunState(dir);
    expect(rs?.state).toMatchObject({ state: 'paused', pause_reason: 'budget' });
    expect(rs?.usage?.run.cost_usd).toBeCloseTo(2 * COST);
    expect(rs?.usage?.run.tokens).toBe(2 * TOKENS);
    expect(argvs(r.stdout.split('\n').map((l) => l.replace(/^\s*│ /, '')))).toHaveLength(2);
  });
});

describe('the day budget', () => {
  it('waits in a break until local midnight, then goes on by itself', async () => {
    const { dir, fakeClaude } = await claudeProject({ per_day: { tokens: 10_000 } });
    process.env.FIXTURE_STREAM = STREAM;
    const start = new Date(2026, 2, 1, 21, 0).getTime();
    const midnight = new Date(2026, 2, 2, 0, 0).getTime();
    const agent = adapterRunner(withExecutable(claudeCodeAdapter, fakeClaude, dir));
    const loop = new ProjectLoop({ projectDir: dir, agent, clock: new SimulatedClock(start), overrides: { breakMs: 0, maxIterations: 2 } });
    const states: LoopState[] = [];
    const alerts: string[] = [];
    loop.on((e: EngineEvent) => {
      if (e.type === 'state') states.push(e.state);
      if (e.type === 'alert') alerts.push(e.message);
    });

    const end = await loop.run();
    delete process.env.FIXTURE_STREAM;

    expect(states).toContainEqual(
      expect.objectContaining({ state: 'break', break_reason: 'budget', until: new Date(midnight).toISOString() }),
    );
    expect(
      alerts.some((a) =>
        a.startsWith(`today's budget is spent (${TOKENS.toLocaleString('en-US')} of 10,000 tokens, agent.budget.per_day)`),
      ),
    ).toBe(true);
    const history = await readHistory(dir);
    expect(history).toHaveLength(2);
    expect(Date.parse(history[0]!.started_at)).toBeLessThan(midnight);
    expect(Date.parse(history[1]!.started_at)).toBeGreaterThanOrEqual(midnight);
    // The run ends at its iteration limit, not at the budget: the day budget never pauses.
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
  });
});

describe('sessions', () => {
  it('resumes the session of the same task by its id, and never hands it to another task', async () => {
    const { dir, fakeClaude } = await claudeProject({});
    process.env.FIXTURE_STREAM = STREAM;
    const lines: string[] = [];
    await runClaude(dir, fakeClaude, 2, lines);
    // The user puts an urgent task first; the next run works on it, then on it again.
    await updateKb(dir, (kb) => {
      kb.task_queue.high_priority.unshift({
        ...kb.task_queue.high_priority[0]!,
        task_id: 'AAA_URGENT',
        dependencies: [],
        requirements: [],
        status: 'ready',
      });
    });
    await runClaude(dir, fakeClaude, 2, lines);
    delete process.env.FIXTURE_STREAM;

    const calls = argvs(lines);
    expect((await readHistory(dir)).map((h) => h.work)).toEqual(['TASK_001', 'TASK_001', 'AAA_URGENT', 'AAA_URGENT']);
    expect(calls[0]).not.toContain('--resume');
    expect(calls[1]).toEqual(expect.arrayContaining(['--resume', SESSION]));
    // TASK_001's session is stored, yet the new task starts its own.
    expect(calls[2]).not.toContain('--resume');
    expect(calls[3]).toEqual(expect.arrayContaining(['--resume', SESSION]));
    expect((await loadRunState(dir))?.sessions).toEqual({ TASK_001: SESSION, AAA_URGENT: SESSION });
  });

  it('starts new sessions after the agent is changed, instead of asking another program to resume', async () => {
    const { dir, fakeClaude } = await claudeProject({});
    process.env.FIXTURE_STREAM = STREAM;
    const lines: string[] = [];
    await runClaude(dir, fakeClaude, 1, lines);
    // The user points the project at another install of the CLI (as the dashboard's settings do).
    const other = join(await temp.make('goldloop-other-bin-'), 'other-claude.mjs');
    await copyFile(fakeClaude, other);
    await chmod(other, 0o755);
    await updateKb(dir, (kb) => {
      kb.agent = { ...kb.agent!, executable: other };
    });
    await runClaude(dir, other, 2, lines);
    delete process.env.FIXTURE_STREAM;

    const calls = argvs(lines);
    expect((await readHistory(dir)).map((h) => h.work)).toEqual(['TASK_001', 'TASK_001', 'TASK_001']);
    expect(calls[1]).not.toContain('--resume');
    // The new program's own session is resumed as usual.
    expect(calls[2]).toEqual(expect.arrayContaining(['--resume', SESSION]));
  });
});
