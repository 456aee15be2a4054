import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT } from '../../electron/engine/demo/project.ts';
import { KB_FILE } from '../../electron/store/kb/kb-file.ts';
import { readHistory } from '../../electron/store/history.ts';
import { loadRunState } from '../../electron/store/run-state.ts';
import { ProjectLoop } from '../../electron/engine/loop/project-loop.ts';
import { sandboxName } from '../../electron/contract/sandbox.ts';
import { agentPath, markAgents, scriptedAgent, TempDirs, waitFor } from '../helpers/project.ts';
import { SANDBOX } from '../helpers/sandbox.ts';

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const env = { ...process.env, GOLDLOOP_DEMO_PACE_MS: '0', NO_COLOR: '1' };
/**
 * Watchdogs, not measures: a run to gold (the demo's with its Stryker runs) takes minutes on a
 * loaded 2-core machine. The command's own limit is below the test's, so a hang fails with its output.
 */
const COMMAND_WATCHDOG = 540_000;
const TEST_WATCHDOG = 600_000;
function goldloop(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: COMMAND_WATCHDOG });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('goldloop --help', () => {
  it('explains every command and the exit codes', () => {
    const { code, stdout } = goldloop(['--help']);
    expect(code).toBe(0);
    for (const command of ['init', 'run', 'status', 'gates', 'demo']) expect(stdout).toContain(command);
    expect(stdout).toContain('Exit codes');
  });

  it('ends quietly when the reader of its output is gone (goldloop --help | head -1)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(errors).toBe('');
  });

  it('says the same from its bundle and from its sources (GOLDLOOP_FROM_SOURCE=1)', () => {
    const bundle = goldloop(['run', '--help']);
    const source = goldloop(['run', '--help'], { GOLDLOOP_FROM_SOURCE: '1' });
    expect(bundle.code).toBe(0);
    expect(source.stdout).toBe(bundle.stdout);
  });

  it('explains every option of run', () => {
    const { stdout } = goldloop(['run', '--help']);
    for (const flag of [
      '--agent',
      '--agent-cmd',
      '--cycle-timeout',
      '--break',
      '--max-iterations',
      '--idle-timeout',
      '--no-git',
      '--plain',
      'GOLDLOOP_PROMPT_FILE',
    ])
      expect(stdout).toContain(flag);
  });

  it('refuses a duration without a unit, naming the flag', () => {
    const { code, stderr } = goldloop(['run', '.', '--cycle-timeout', '10']);
    expect(code).toBe(2);
    expect(stderr).toContain('--cycle-timeout: "10" is not a duration');
  });
});

describe('goldloop init', () => {
  it('refuses a system folder, naming why and what to give instead', () => {
    // /proc: a regression fails to write there too, so the test cannot harm the machine it runs on.
    const r = goldloop(['init', '/proc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("/proc is a folder of the operating system, not a project: run goldloop init on the project's own folder");
  });

  it('writes the operating document defaults and refuses to overwrite an existing KB', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { test: 'node --test' } }));
    const first = goldloop(['init', dir, '--git']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('tests: node:test with its own coverage: JUnit and lcov from one run');
    const kb = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    expect(kb.autonomous_operation).toMatchObject({
      max_iterations_per_day: 100,
      max_iterations_per_run: 1000,
      work_cycle: { duration_minutes: 15, break_between_cycles_minutes: 5, max_cycles_per_hour: 3 },
      quality_gates: { test_coverage_threshold: 80, all_tests_must_pass: true, security_scan_must_pass: true },
      error_handling: { max_consecutive_errors: 3, retry_delay_minutes: 30 },
      reporting: { progress_report_interval_hours: 2, status_report_interval_hours: 6 },
    });
    expect(kb.gates.tests).toMatchObject({ command: expect.arrayContaining(['node', '--test']), junit_report: '{reports}/junit.xml' });
    const before = await readFile(join(dir, KB_FILE), 'utf8');

    const second = goldloop(['init', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already exists');
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(before);
  });

  it("refuses a folder that is not a git repository unless --git makes it one, as the dashboard's add-project does", async () => {
    const dir = await temp.make();
    const refused = goldloop(['init', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${dir} is not a git repository: give --git to make it one (git init), or run git init there first`);
    await expect(readFile(join(dir, KB_FILE), 'utf8')).rejects.toThrow();
    const made = goldloop(['init', dir, '--git']);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('made the folder a git repository');
  });
});

describe('goldloop run, preflight', () => {
  it('on a fresh project without a test command and without the agent CLI: exit 2, every failing check with its fix, no cycle and no commit', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'README.md'), '# tiny\n');
    expect(goldloop(['init', dir, '--git']).code).toBe(0);
    const before = await readFile(join(dir, KB_FILE), 'utf8');
    // No claude on this PATH: git and the system's programs only.
    const r = goldloop(['run', dir, '--agent', 'claude-code', '--plain'], { PATH: '/usr/bin:/bin' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`preflight checks failed for ${dir}; no cycle started`);
    expect(r.stderr).toContain('✗ Agent CLI: Claude Code: claude is not installed (not found on PATH)');
    expect(r.stderr).toContain('fix: install it (npm install -g @anthropic-ai/claude-code)');
    expect(r.stderr).toContain('✓ Git repository');
    expect(r.stderr).toContain('✗ Test command: no test command is configured (gates.tests.command)');
    expect(r.stderr).toContain('✗ Build: not configured');
    expect(r.stderr).toContain('✗ Plan: the task queue is empty');
    expect(r.stderr).toContain('fix: add tasks (Add task in the dashboard');
    // Not a cycle: nothing counted, nothing recorded, nothing committed.
    expect(await readHistory(dir)).toEqual([]);
    expect(await loadRunState(dir)).toBeUndefined();
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(before);
    expect(spawnSync('git', ['rev-list', '--all'], { cwd: dir, encoding: 'utf8' }).stdout).toBe('');
  });
});

/** `goldloop run` on a new demo project with the slow agent (its processes marked), and its exit code once it ends. */
async function slowRun() {
  const dir = await temp.demo();
  const mark = markAgents();
  const child = spawn(process.execPath, [BIN, 'run', dir, '--agent-cmd', `"${process.execPath}" "${agentPath('slow.mjs')}"`, '--plain'], {
    env: { ...env, ...mark.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { dir, mark, child, exited };
}

describe('goldloop run and status', { timeout: TEST_WATCHDOG }, () => {
  it('runs any command as the agent to gold, and status --json reports it', async () => {
    const dir = await temp.demo();
    const run = goldloop([
      'run',
      dir,
      '--agent',
      'command',
      '--agent-cmd',
      `"${process.execPath}" "${DEMO_AGENT}"`,
      '--break',
      '0s',
      '--cycle-timeout',
      '1m',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('GOLD');

    const status = goldloop(['status', dir, '--json']);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s).toMatchObject({ state: 'complete', iteration: 6, gold: true, live: false });
    expect(s.checklist.map((c: { id: string }) => c.id)).toEqual([
      'phases',
      'requirements',
      'coverage',
      'tests',
      'mutation',
      'holdout',
      'security',
      'performance',
      'docs',
      'build',
      'blockers',
    ]);
    for (const c of s.checklist) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'passed', 'value', 'threshold', 'evidence']));
    expect(s.phases).toEqual([
      { phase: 1, name: 'Core Features', done: 2, total: 2 },
      { phase: 2, name: 'Advanced Features', done: 2, total: 2 },
      { phase: 3, name: 'Enterprise Features', done: 1, total: 1 },
      { phase: 4, name: 'Optimization', done: 1, total: 1 },
    ]);
    expect(s.tasks).toHaveLength(6);
    // The sandbox the agent ran in, as this machine has it.
    expect(s.sandbox).toEqual(SANDBOX.status);

    // The tests' demo switches its mutation gate off (a Stryker run costs seconds): its gold says so.
    // Its security line measures: ESLint with eslint-plugin-security found nothing.
    expect(s.waived).toEqual(['mutation']);
    expect(s.checklist.find((c: { id: string }) => c.id === 'security')).toMatchObject({ passed: true, value: 0 });
    const human = goldloop(['status', dir]);
    expect(human.stdout).toContain('GOLD — every measured line passes, with 1 line waived: mutation (switched off by you)');
    expect(human.stdout).toContain(`Sandbox: ${sandboxName(SANDBOX.status)}`);
    expect(human.stdout).toContain('Task queue');
  });

  it('exits with 1 and names the file and the fix when the KB is broken, leaving it unchanged', async () => {
    const dir = await temp.demo();
    const file = join(dir, KB_FILE);
    await writeFile(file, '{ "task_queue": { "high_priority": [ { "task_id": "T1", "status": "started" } ] } }');
    const r = goldloop(['run', dir, '--agent-cmd', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('$.task_queue.high_priority[0].status');
    expect(r.stderr).toContain('use one of "ready", "in_progress", "blocked", "done"');
    expect(await readFile(file, 'utf8')).toContain('"started"');
  });

  it('stops gracefully on Ctrl-C: the agent is ended and the state saved', async () => {
    const { dir, mark, child, exited } = await slowRun();
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    // The agent prints its first line once it runs; then the live view has it too.
    await waitFor(() => output.includes('slow agent: thinking') || undefined, 30_000, "the agent's first line");
    expect((await mark.processes()).length).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await mark.processes()).toEqual([]);
    expect((await loadRunState(dir))?.state.state).toBe('stopped');
    expect(output).toContain('slow agent: thinking');
  });

  it('stops gracefully when nobody reads its output any more (goldloop run | head), without a stack trace', async () => {
    const { dir, mark, child, exited } = await slowRun();
    // The reader goes away before the first line: every write to stdout now fails with EPIPE.
    child.stdout.destroy();
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));

    expect(await exited).toBe(130);
    expect(errors).toContain('Stopping');
    expect(errors).not.toMatch(/EPIPE|at .*\.mjs/);
    expect((await loadRunState(dir))?.state.state).toBe('stopped');
    expect(await mark.processes()).toEqual([]);
  });

  it('resumes the same run after the process was killed, taking over its stale lock', async () => {
    const { dir, mark, child, exited } = await slowRun();
    // Not read: drained, so the pipe never fills.
    child.stderr.resume();
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    await waitFor(() => output.includes('slow agent: thinking') || undefined, 30_000, "the agent's first line");
    const runId = (await loadRunState(dir))!.run_id;
    child.kill('SIGKILL');
    await exited;
    // Without a sandbox a hard kill leaves the agent behind; inside one it dies with Goldloop, maybe while it is listed.
    for (const pid of await mark.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Ended between the listing and the kill (ESRCH).
      }
    }

    const status = JSON.parse(goldloop(['status', dir, '--json']).stdout);
    expect(status.state).toBe('stopped');
    expect(status.message).toContain('resumes');

    const again = goldloop(['run', dir, '--agent-cmd', `"${process.execPath}" "${DEMO_AGENT}"`, '--break', '0s']);
    expect(again.code).toBe(0);
    expect((await loadRunState(dir))!.run_id).toBe(runId);
    expect(new Set((await readHistory(dir)).map((h) => h.run_id))).toEqual(new Set([runId]));
  });
});

describe('goldloop demo', { timeout: TEST_WATCHDOG }, () => {
  it('creates the sample project and reaches gold with the bundled agent, then says where things are', async () => {
    const dir = join(await temp.make(), 'demo');
    const r = goldloop(['demo', '--dir', dir, '--pace', '0', '--plain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Gold in \d+\.\d s\./);
    expect(r.stdout).toContain(`project:  ${dir}`);
    expect(r.stdout).toContain(join(dir, '.goldloop', 'reports'));
  });

  it("refuses a --dir that holds files (a real project's would be overwritten), or is a file, and writes nothing", async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'README.md'), 'my own project\n');
    const r = goldloop(['demo', '--dir', dir, '--plain']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir} is not empty (it holds README.md)`);
    expect(r.stderr).toContain('give a new or empty folder');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('my own project\n');
    expect(await readdir(dir)).toEqual(['README.md']);

    const file = join(dir, 'README.md');
    const onFile = goldloop(['demo', '--dir', file, '--plain']);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toContain(`${file} is a file (or lies under one), not a folder`);
  });
});

describe('a project path that is a file', () => {
  it('is named as such by init and status, with no stack trace', async () => {
    const file = join(await temp.make(), 'notes.txt');
    await writeFile(file, 'not a project\n');
    const init = goldloop(['init', file]);
    expect(init.code).toBe(1);
    expect(init.stderr).toContain(`${file} is a file (or lies under one), not a folder: run goldloop init on the project's folder`);
    const status = goldloop(['status', file]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`${file} is a file, not a folder`);
    expect(`${init.stderr}${status.stderr}`).not.toMatch(/\n\s+at /);
    expect(await readFile(file, 'utf8')).toBe('not a project\n');
  });
});

describe('goldloop gates', { timeout: TEST_WATCHDOG }, () => {
  it('measures every gate now and prints each line with its evidence; exit 4 when not gold', async () => {
    const dir = await temp.demo();
    const r = goldloop(['gates', dir]);
    expect(r.code, r.stderr).toBe(4);
    const out = r.stdout;
    expect(out).toMatch(/✘ FAIL {2}All tests passing +0\/6 passing +target all passing/);
    expect(out).toContain('failing: REQ-001 slugify turns a title into a URL slug');
    // The command that measured it, its exit code and time, and the copy of the report it read.
    expect(out).toMatch(/\$ \S*node --test --experimental-test-coverage .* test\/textkit\.test\.js → exit 1 in (\d+ ms|\d+\.\d s)/);
    expect(out).toMatch(/report: \.goldloop\/evidence\/\d{4}-\d{2}-\d{2}T\d{4}-manual(-\d+)?\/junit\.xml/);
    expect(out).toMatch(/✘ FAIL {2}Documentation complete +0\/1 complete/);
    expect(out).toMatch(/README\.md:\d+ TODO/);
    expect(out).toMatch(/✔ PASS {2}Production deployment ready \(build succeeds\) +exit 0/);
    expect(out).toMatch(/not gold \((\d+ ms|\d+\.\d s)\)\n$/);
  });

  it("prints { gold, checklist } with --json, the lines in the operating document's order", async () => {
    const dir = await temp.demo();
    const r = goldloop(['gates', dir, '--json']);
    expect(r.code).toBe(4);
    const json = JSON.parse(r.stdout) as { gold: boolean; checklist: { id: string; passed: boolean; evidence: Record<string, unknown> }[] };
    expect(json.gold).toBe(false);
    expect(json.checklist.map((c) => c.id)).toEqual([
      'phases',
      'requirements',
      'coverage',
      'tests',
      'mutation',
      'holdout',
      'security',
      'performance',
      'docs',
      'build',
      'blockers',
    ]);
    const tests = json.checklist.find((c) => c.id === 'tests')!;
    expect(tests.evidence).toMatchObject({
      exit_code: 1,
      command: expect.arrayContaining(['--test']),
      report: expect.stringContaining(join(dir, '.goldloop', 'evidence')),
    });
    expect(tests.evidence.duration_ms).toBeGreaterThan(0);
  });

  it('exits 0 on a project that is gold', async () => {
    const dir = await temp.demo();
    expect((await new ProjectLoop({ projectDir: dir, agent: scriptedAgent(DEMO_AGENT), overrides: { breakMs: 0 } }).run()).state).toBe(
      'complete',
    );
    const r = goldloop(['gates', dir]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/✔ PASS {2}All tests passing +6\/6 passing/);
    expect(r.stdout).toMatch(
      /\nGOLD — every measured line passes, with \d lines? waived: [a-z, ]+ \(switched off by you\) \((\d+ ms|\d+\.\d s)\)\n$/,
    );
  });
});
