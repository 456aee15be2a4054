import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../electron/platform/clock.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import type { EngineEvent } from '../../../electron/engine/loop/types.ts';
import { KB_FILE, loadKb } from '../../../electron/store/kb/kb-file.ts';
import { LockedError, lockPath } from '../../../electron/store/lock.ts';
import { allTasks, findTask } from '../../../electron/engine/tasks/queue.ts';
import { AGENT_MARK, agentPath, demoAgent, markAgents, scriptedAgent, TempDirs, waitFor } from '../../helpers/project.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

const statuses = async (dir: string): Promise<Record<string, string>> =>
  Object.fromEntries(allTasks(await loadKb(dir)).map((t) => [t.task.task_id, t.task.status]));

const git = (dir: string, ...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

describe('a run on the demo project', () => {
  it('reaches gold with the scripted agent, one verified task per cycle', async () => {
    const dir = await temp.demo();
    const loop = new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0 } });
    const events: EngineEvent[] = [];
    loop.on((e) => events.push(e));

    const end = await loop.run();

    expect(end.state).toBe('complete');
    expect(Object.values(await statuses(dir))).toEqual(Array(6).fill('done'));
    const kb = await loadKb(dir);
    expect(kb.test_results).toMatchObject({ passing_tests: 6, failing_tests: 0, total_tests: 6 });
    expect(kb.autonomous_operation.current_iteration).toBe(6);
    expect(kb.autonomous_operation.completion_status).toMatchObject({
      phases_complete: 4,
      requirements_covered: 100,
      production_ready: true,
    });
    const history = await readHistory(dir);
    expect(history.map((h) => h.work)).toEqual(['TASK_001', 'TASK_002', 'TASK_004', 'TASK_003', 'TASK_005', 'TASK_006']);
    expect(history.every((h) => h.outcome === 'task_done')).toBe(true);
    expect(history.at(-1)!.gold).toBe(true);
    const report = events.find((e) => e.type === 'report');
    expect(report && report.type === 'report' && report.kind).toBe('final');
    expect(await readFile((report as { path: string }).path, 'utf8')).toContain(
      'Gold-class: **yes** (every measured line passes, with 1 line waived: mutation (switched off by you))',
    );
    expect(report).toMatchObject({ waived: ['mutation'] });
    expect(git(dir, 'log', '--format=%s')).toContain('goldloop: cycle 6 — TASK_006 (task done)');
    // The baseline was measured before the first cycle.
    const gates = events.filter((e) => e.type === 'gates');
    expect(gates[0]).toMatchObject({ baseline: true });
  });
});

describe('pause and resume', () => {
  it('pauses mid-cycle: the agent is ended, the task goes back to ready, and a resumed run finishes', async () => {
    const dir = await temp.demo();
    const mark = markAgents();
    Object.assign(process.env, mark.env);
    const loop = new ProjectLoop({ projectDir: dir, agent: scriptedAgent(agentPath('slow.mjs')), overrides: { breakMs: 0 } });
    const running = loop.run();
    await waitFor(async () => (await mark.processes()).length > 0, 20_000, 'the slow agent');
    await waitFor(async () => (await statuses(dir)).TASK_001 === 'in_progress', 20_000, 'the task in progress');

    loop.pause();
    const paused = await running;
    delete process.env[AGENT_MARK];

    expect(paused).toMatchObject({ state: 'paused', pause_reason: 'user' });
    expect(await mark.processes()).toEqual([]);
    expect((await statuses(dir)).TASK_001).toBe('ready');
    expect((await loadRunState(dir))?.state.state).toBe('paused');
    expect((await readHistory(dir)).at(-1)?.outcome).toBe('interrupted');

    const resumed = await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0 } }).run();
    expect(resumed.state).toBe('complete');
    const runs = new Set((await readHistory(dir)).map((h) => h.run_id));
    expect(runs.size).toBe(1);
  });
});

describe('agents that misbehave', () => {
  it('ends a hanging agent and its child at the cycle time limit, and counts no progress', async () => {
    const dir = await temp.demo();
    const mark = markAgents();
    Object.assign(process.env, mark.env);
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('hang.mjs')),
      overrides: { breakMs: 0, cycleTimeoutMs: 1500, maxIterations: 1 },
    });
    const end = await loop.run();
    delete process.env[AGENT_MARK];

    // The agent and the grandchild it started (both carry the mark) are gone.
    expect(await mark.processes()).toEqual([]);
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.agent.killed_by).toBe('timeout');
    expect(last.outcome).toBe('not_verified');
    expect(last.verification).toContain('time limit');
    expect((await statuses(dir)).TASK_001).toBe('ready');
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
  });

  it('ends an agent that goes silent (no-output watchdog) and records it as an error', async () => {
    const dir = await temp.demo();
    process.env.SLOW_MS = '60000';
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('slow.mjs')),
      clock: new SimulatedClock(Date.now()),
      overrides: { breakMs: 0, idleTimeoutMs: 800, maxIterations: 1 },
    });
    await loop.run();
    delete process.env.SLOW_MS;
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.agent.killed_by).toBe('idle');
    expect(last.outcome).toBe('error');
    expect(last.verification).toMatch(/printed nothing/);
  });

  it('pauses and alerts after 3 consecutive crashes, retrying after the delay in between', async () => {
    const dir = await temp.demo();
    const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 9, 0, 0));
    const loop = new ProjectLoop({ projectDir: dir, agent: scriptedAgent(agentPath('crash.mjs')), clock, overrides: { breakMs: 0 } });
    const events: EngineEvent[] = [];
    loop.on((e) => events.push(e));
    const starts: number[] = [];
    loop.on((e) => {
      if (e.type === 'cycle_start') starts.push(clock.now());
    });

    const end = await loop.run();

    expect(end).toMatchObject({ state: 'paused', pause_reason: 'errors' });
    expect(end.message).toContain('3 consecutive error(s)');
    expect(end.message).toContain('exited with code 3');
    const history = await readHistory(dir);
    expect(history.map((h) => h.outcome)).toEqual(['error', 'error', 'error']);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(30 * 60_000);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(30 * 60_000);
    expect(events.filter((e) => e.type === 'alert' && e.level === 'error').length).toBeGreaterThanOrEqual(3);
    expect((await statuses(dir)).TASK_001).toBe('ready');
  });

  it('rolls back a cycle that breaks a passing test, keeping its work in a ref', async () => {
    const dir = await temp.demo();
    await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } }).run();
    const good = await readFile(join(dir, 'src/textkit.js'), 'utf8');
    expect(good).toContain("replace(/^-+|-+$/g, '')");

    const loop = new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('regress.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    });
    await loop.run();

    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('rolled_back');
    expect(last.regressions).toEqual(['REQ-001 slugify turns a title into a URL slug']);
    expect(await readFile(join(dir, 'src/textkit.js'), 'utf8')).toBe(good);
    const ref = git(dir, 'show', `refs/goldloop/rejected/cycle-${last.iteration}:src/textkit.js`);
    expect(ref).toContain("return 'broken';");
    expect((await statuses(dir)).TASK_001).toBe('done');
  });

  it('ignores an agent that marks tasks done and writes its own test results', async () => {
    const dir = await temp.demo();
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('claim-all.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    });
    const alerts: string[] = [];
    loop.on((e) => {
      if (e.type === 'alert') alerts.push(e.message);
    });
    await loop.run();
    const kb = await loadKb(dir);
    expect(Object.values(await statuses(dir)).filter((s) => s === 'done')).toEqual([]);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
    expect(kb.test_results).toMatchObject({ passing_tests: 0, failing_tests: 6 });
    expect(alerts.join('\n')).toMatch(/restored: .*autonomous_operation.*test_results/);
    expect((await readHistory(dir)).at(-1)!.ignored_edits).toEqual(expect.arrayContaining(['TASK_002.status (done -> ready)']));
  });
});

describe('a broken knowledge base', () => {
  it('stops with an error that names the file, the line and the fix, and leaves the file as it was', async () => {
    const dir = await temp.demo();
    const file = join(dir, KB_FILE);
    const broken = (await readFile(file, 'utf8')).replace('"task_queue": {', '"task_queue": {,');
    await writeFile(file, broken);
    const end = await new ProjectLoop({ projectDir: dir, agent: demoAgent() }).run();
    expect(end.state).toBe('error');
    expect(end.message).toContain(file);
    expect(end.message).toMatch(/line \d+, column \d+/);
    expect(end.message).toContain('fix:');
    expect(await readFile(file, 'utf8')).toBe(broken);
  });

  it('names the JSON path and the allowed values of an invalid field', async () => {
    const dir = await temp.demo();
    const file = join(dir, KB_FILE);
    const kb = JSON.parse(await readFile(file, 'utf8'));
    kb.task_queue.high_priority[1].priority = 'urgent';
    const text = JSON.stringify(kb, null, 2);
    await writeFile(file, text);
    const end = await new ProjectLoop({ projectDir: dir, agent: demoAgent() }).run();
    expect(end.state).toBe('error');
    expect(end.message).toContain('$.task_queue.high_priority[1].priority');
    expect(end.message).toContain('use one of "P0", "P1", "P2"');
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('the run lock', () => {
  it('takes over a stale lock left by a dead process', async () => {
    const dir = await temp.demo();
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    const { hostname } = await import('node:os');
    await writeFile(
      lockPath(dir),
      JSON.stringify({ pid: dead, host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'goldloop run' }),
    );
    const end = await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } }).run();
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
    expect((await statuses(dir)).TASK_001).toBe('done');
  });

  it('refuses to drive a project another live process holds', async () => {
    const dir = await temp.demo();
    const first = new ProjectLoop({ projectDir: dir, agent: scriptedAgent(agentPath('slow.mjs')), overrides: { breakMs: 0 } });
    const running = first.run();
    await waitFor(async () => (await loadRunState(dir))?.state.step === 'execute' || undefined, 20_000, 'the first run');
    await expect(new ProjectLoop({ projectDir: dir, agent: demoAgent() }).run()).rejects.toBeInstanceOf(LockedError);
    first.stop();
    expect((await running).state).toBe('stopped');
  });
});

describe('honesty: an agent that weakens the measurements', () => {
  it('refuses a cycle that skips a failing test, records the diff and rolls it back', async () => {
    const dir = await temp.demo();
    const before = await readFile(join(dir, 'test/textkit.test.js'), 'utf8');
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('skip.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    });
    const alerts: string[] = [];
    loop.on((e) => {
      if (e.type === 'alert') alerts.push(e.message);
    });
    await loop.run();

    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper?.[0]).toMatchObject({ kind: 'skip_added' });
    expect(last.tamper?.[0]?.evidence).toContain("test.skip('REQ-001");
    expect(alerts.join('\n')).toContain('not counted');
    expect((await statuses(dir)).TASK_001).toBe('ready');
    expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).toBe(before);
    expect((await loadRunState(dir))?.feedback?.tamper?.[0]).toContain('.skip');
  });

  it('rolls back a skip added by an agent that then crashed, though the cycle is not measured', async () => {
    const dir = await temp.demo();
    const before = await readFile(join(dir, 'test/textkit.test.js'), 'utf8');
    const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 9, 0, 0));
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('skip-and-crash.mjs')),
      clock,
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    const first = (await readHistory(dir))[0]!;
    expect(first.outcome).toBe('error');
    expect(first.tamper?.[0]).toMatchObject({ kind: 'skip_added' });
    expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).toBe(before);
    expect(git(dir, 'show', `refs/goldloop/rejected/cycle-${first.iteration}:test/textkit.test.js`)).toContain("test.skip('REQ-001");
    expect((await loadRunState(dir))?.feedback?.tamper?.[0]).toContain('.skip');
  });

  it("sets aside a KB the agent left unreadable and goes on from the cycle's own, threshold and all", async () => {
    const dir = await temp.demo();
    const end = await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('break-kb.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    expect(end.state).not.toBe('error');
    const kb = await loadKb(dir);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
    const aside = await readFile(join(dir, '.goldloop', 'kb-unreadable-cycle-1.json'), 'utf8');
    expect(aside).toContain('"test_coverage_threshold": 1');
    expect((await readHistory(dir)).at(-1)?.ignored_edits).toEqual(expect.arrayContaining([expect.stringContaining('left unreadable')]));
  });

  it('puts back the plan an agent loosened — a deleted task, an easy verify, a cleared bug, a lower queue, dropped documents — and does not count the cycle', async () => {
    const dir = await temp.demo();
    const file = join(dir, KB_FILE);
    const kb = JSON.parse(await readFile(file, 'utf8')) as {
      task_queue: Record<string, { task_id: string; verify?: string[]; critical_bug?: boolean }[]>;
      documents?: string[];
    };
    const tasks = Object.values(kb.task_queue).flat();
    tasks.find((t) => t.task_id === 'TASK_001')!.verify = ['node', '--test'];
    tasks.find((t) => t.task_id === 'TASK_003')!.critical_bug = true;
    kb.documents = ['README.md'];
    await writeFile(file, JSON.stringify(kb, null, 2));
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('loosen-tasks.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.ignored_edits).toEqual(
      expect.arrayContaining([
        'TASK_002 (removed)',
        'TASK_001.verify',
        'TASK_003.critical_bug (cleared)',
        'TASK_004 (moved to low_priority)',
        'documents (README.md removed)',
      ]),
    );
    const after = await loadKb(dir);
    expect(after.task_queue.high_priority.map((t) => t.task_id).sort()).toEqual(['TASK_001', 'TASK_002']);
    expect(after.task_queue.medium_priority.map((t) => t.task_id).sort()).toEqual(['TASK_003', 'TASK_004', 'TASK_005']);
    expect(findTask(after, 'TASK_001')?.task.verify).toEqual(['node', '--test']);
    expect(findTask(after, 'TASK_003')?.task.critical_bug).toBe(true);
    expect(after.documents).toEqual(['README.md']);
  });

  it('notices a deleted test even though every remaining test still runs', async () => {
    const dir = await temp.demo();
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('delete-test.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    });
    await loop.run();
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper?.map((t) => t.kind)).toContain('tests_removed');
    expect(last.tamper?.find((t) => t.kind === 'tests_removed')?.message).toContain('REQ-002 wordCount');
    expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).toContain("test('REQ-002");
  });

  it("counts a threshold the agent lowered as tampering, and keeps the user's threshold", async () => {
    const dir = await temp.demo();
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('claim-all.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper?.map((t) => t.kind)).toContain('config_changed');
    expect((await loadKb(dir)).autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
  });

  it("counts an agent that raises its own budget or permissions as tampering, and keeps the user's settings", async () => {
    const dir = await temp.demo();
    const file = join(dir, '.ai-knowledge-base.json');
    const kb = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    kb.agent = { type: 'command', command: ['node'], permission_mode: 'acceptEdits', budget: { per_run: { cost_usd: 5 } } };
    await writeFile(file, JSON.stringify(kb, null, 2));
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('raise-budget.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper?.find((t) => t.kind === 'config_changed')?.message).toContain('agent');
    expect((await loadKb(dir)).agent).toMatchObject({ permission_mode: 'acceptEdits', budget: { per_run: { cost_usd: 5 } } });
  });

  it('puts a weakened gate back even when the agent then crashes, and keeps its note stamped with that cycle', async () => {
    const dir = await temp.demo();
    const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 9, 0, 0));
    const end = await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('weaken-and-crash.mjs')),
      clock,
      overrides: { breakMs: 0 },
    }).run();
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'errors' });
    const history = await readHistory(dir);
    expect(history.map((h) => h.outcome)).toEqual(['error', 'error', 'error']);
    // Every cycle started from the user's KB, not from the one the crashed agent left.
    for (const h of history) expect(h.ignored_edits).toEqual(expect.arrayContaining(['autonomous_operation']));
    const kb = await loadKb(dir);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
    expect(allTasks(kb).every(({ task }) => task.status !== 'done')).toBe(true);
    expect(kb.notes.map((n) => [n.text, n.cycle])).toEqual(history.map((h) => ['the date parser needs the locale', h.iteration]));
  });

  /** The demo project with its JUnit report written to `destination` inside it, read from `report` (a file or a folder), committed. */
  async function demoWithReportInside(
    destination: string,
    report: string,
    prepare: (dir: string) => Promise<void> = async () => {},
  ): Promise<string> {
    const dir = await temp.demo();
    const file = join(dir, KB_FILE);
    const kb = JSON.parse(await readFile(file, 'utf8'));
    kb.gates.tests.command = kb.gates.tests.command.map((a: string) => a.replace('{reports}/junit.xml', destination));
    kb.gates.tests.junit_report = report;
    await writeFile(file, JSON.stringify(kb, null, 2));
    await prepare(dir);
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'report inside the project');
    return dir;
  }

  it('flags an agent that writes a report file Goldloop reads from inside the project', async () => {
    const dir = await demoWithReportInside('out/junit.xml', 'out/junit.xml');
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('forge-report.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper?.map((t) => t.kind)).toContain('report_written');
    expect((await statuses(dir)).TASK_001).toBe('ready');
  });

  it('never reads a report the agent put in an ignored folder of the project, and names it', async () => {
    const dir = await demoWithReportInside('out/junit/TEST-textkit.xml', 'out/junit', async (d) => {
      await writeFile(join(d, '.gitignore'), 'node_modules/\nout/\n');
      await mkdir(join(d, 'out', 'junit'), { recursive: true });
    });
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('forge-ignored-report.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();
    const gates = (await loadRunState(dir))!.last_gates!;
    const line = (id: string) => gates.checklist.find((c) => c.id === id)!;
    // The forged file claims six passing tests, one per requirement: none of it counts.
    expect(line('requirements').value).toBe('0/6 (0%)');
    expect(line('tests').value).toBe('0/6 passing');
    expect(line('tests').evidence.detail).toContain('not read, left from before this run: TEST-forged.xml');
    expect((await readHistory(dir)).at(-1)!.checklist.find((c) => c.id === 'requirements')!.value).toBe('0/6 (0%)');
    expect((await statuses(dir)).TASK_001).toBe('ready');
  });
});

describe('honesty at the last step: gold is refused to a weakened gate', () => {
  // The demo project driven to gold once, then copied for each case with one gate made to fail:
  // a benchmark limit that no run meets. All tasks are done, so only that line stands in the way.
  let gold = '';
  beforeAll(async () => {
    gold = await temp.demo();
    expect((await new ProjectLoop({ projectDir: gold, agent: demoAgent(), overrides: { breakMs: 0 } }).run()).state).toBe('complete');
  });

  for (const how of ['switch-off', 'raise-limit', 'remove']) {
    it(`refuses gold when the agent tries to get past a failing gate by ${how}`, async () => {
      const dir = await temp.make('goldloop-near-gold-');
      await cp(gold, dir, { recursive: true });
      const file = join(dir, KB_FILE);
      const kb = JSON.parse(await readFile(file, 'utf8'));
      kb.gates.performance.thresholds = { slugify_us_per_call: { max: 0.000001 } };
      await writeFile(file, JSON.stringify(kb, null, 2));
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'an impossible benchmark limit');

      const end = await new ProjectLoop({
        projectDir: dir,
        agent: scriptedAgent(agentPath('weaken-gate.mjs'), [how]),
        overrides: { breakMs: 0, maxIterations: 1 },
      }).run();

      expect(end.state).not.toBe('complete');
      const last = (await readHistory(dir)).at(-1)!;
      expect(last).toMatchObject({ outcome: 'tampered', gold: false });
      expect(last.tamper?.find((t) => t.kind === 'config_changed')?.message).toContain('gates');
      expect(last.checklist.find((c) => c.id === 'performance')).toMatchObject({ passed: false, value: '0/1 met' });
      const rs = (await loadRunState(dir))!;
      expect(rs.last_gates?.gold).toBe(false);
      // Only the weakened gate stands between the project and gold: the cheat would have worked.
      expect(rs.last_gates!.checklist.filter((c) => !c.passed).map((c) => c.id)).toEqual(['performance']);
      expect(rs.feedback?.tamper?.join('\n')).toContain('locked configuration');
      expect((await loadKb(dir)).gates.performance).toMatchObject({
        enabled: true,
        thresholds: { slugify_us_per_call: { max: 0.000001 } },
      });
    });
  }
});
