import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRunner } from '../../electron/engine/agents/runner.ts';
import type { GateRunner } from '../../electron/engine/gates/measurement.ts';
import { KbSchema } from '../../electron/store/kb/schema.ts';
import { saveKb } from '../../electron/store/kb/kb-file.ts';
import { SimulatedClock } from '../../electron/platform/clock.ts';
import { ProjectLoop } from '../../electron/engine/loop/project-loop.ts';
import { reportsDir } from '../../electron/engine/reports/write.ts';
import { TempDirs } from '../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
const HOUR = 3_600_000;

function goldloop(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;

// A project with 7 simulated hours of history: 3 progress reports and 1 status report written.
beforeAll(async () => {
  dir = await temp.make('goldloop-report-cli-');
  const tasks = Array.from({ length: 40 }, (_, i) => ({ task_id: `TASK_${String(i + 1).padStart(3, '0')}`, description: `step ${i + 1}` }));
  await saveKb(dir, KbSchema.parse({ project: { name: 'sim' }, task_queue: { high_priority: tasks } }));
  const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 0, 0, 0));
  const until = clock.now() + 7 * HOUR;
  const gates: GateRunner = async () => ({ at: new Date(clock.now()).toISOString(), durationMs: 0 });
  const agent: AgentRunner = async () => {
    if (clock.now() >= until) loop.stop();
    else clock.advance(600_000);
    return { exitCode: 0, durationMs: 600_000, events: [], stderrTail: [] };
  };
  const loop = new ProjectLoop({ projectDir: dir, agent, gates, clock, git: false });
  await loop.run();
});
afterAll(() => temp.cleanup());

describe('goldloop report', () => {
  it('explains every option, and is listed in the main help', () => {
    const help = goldloop(['report', '--help']).stdout;
    for (const text of ['--kind', 'progress', 'status', 'final', '--no-write', '[dir]']) expect(help).toContain(text);
    expect(goldloop(['--help']).stdout).toContain('report');
    expect(goldloop(['run', '--help']).stdout).toContain('--no-notify');
  });

  it('without --kind prints the latest report written', async () => {
    const files = (await readdir(reportsDir(dir))).sort();
    const latest = files.at(-1)!;
    const { code, stdout, stderr } = goldloop(['report', dir]);
    expect(code).toBe(0);
    expect(stdout).toBe(await readFile(`${reportsDir(dir)}/${latest}`, 'utf8'));
    expect(stderr).toContain(latest);
  });

  it('with --kind status renders one now from the current state and writes it', async () => {
    const before = await readdir(reportsDir(dir));
    const { code, stdout, stderr } = goldloop(['report', dir, '--kind', 'status']);
    expect(code).toBe(0);
    expect(stdout).toContain('# Status report — sim');
    expect(stdout).toContain('State: stopped');
    expect(stdout).toContain('## Quality metrics over time');
    expect(stdout).toMatch(/Completion estimate: \d{4}-/);
    const after = await readdir(reportsDir(dir));
    expect(after.length).toBe(before.length + 1);
    const path = stderr.match(/written: (.+)\n/)![1]!;
    expect(await readFile(path, 'utf8')).toBe(stdout);
  });

  it('with --no-write only prints', async () => {
    const before = await readdir(reportsDir(dir));
    const { code, stdout } = goldloop(['report', dir, '--kind', 'progress', '--no-write']);
    expect(code).toBe(0);
    expect(stdout).toContain('# Progress report — sim');
    expect(await readdir(reportsDir(dir))).toEqual(before);
  });

  it('renders the final report with the production-readiness checklist', () => {
    const { stdout } = goldloop(['report', dir, '--kind', 'final', '--no-write']);
    expect(stdout).toContain('Gold-class: **no**');
    expect(stdout).toContain('## Production readiness');
  });

  it('refuses an unknown kind with a usage error', () => {
    const { code, stderr } = goldloop(['report', dir, '--kind', 'weekly']);
    expect(code).toBe(2);
    expect(stderr).toContain('progress, status, final');
  });
});
