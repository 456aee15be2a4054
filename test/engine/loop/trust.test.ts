// Agents that go after Goldloop itself rather than the measurements: its run state, the settings
// waiting for a cycle's end, the git history it compares a cycle with, the way git shows a diff.
// Each runs as a real command agent on the demo project, with real git, and no sandbox: these
// protections must hold where none runs (Windows).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { projectStatus } from '../../../electron/engine/project/status.ts';
import { plain, renderStatus } from '../../../electron/cli/render.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { KB_FILE, loadKb } from '../../../electron/store/kb/kb-file.ts';
import { stateFolder } from '../../../electron/store/state-folder.ts';
import { allTasks, findTask } from '../../../electron/engine/tasks/queue.ts';
import { agentPath, demoAgent, TempDirs, unsandboxedAgent } from '../../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
/** A watchdog, not a measure: a loop to gold takes minutes on a loaded machine (its gates run real tests). */
const LOOP_WATCHDOG = 600_000;
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

const git = (dir: string, ...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
/** Goldloop's private snapshots of the project, read with git as a person would. */
const snapshotGit = (dir: string, ...args: string[]): string =>
  execFileSync('git', [`--git-dir=${join(stateFolder(dir), 'snapshots.git')}`, ...args], { cwd: dir, encoding: 'utf8' });
const taskStatus = async (dir: string, id: string): Promise<string | undefined> => findTask(await loadKb(dir), id)?.task.status;

/** One cycle of `agent` on a fresh demo project; its alerts. */
async function oneCycle(agent: string): Promise<{ dir: string; alerts: string[] }> {
  const dir = await temp.demo();
  const loop = new ProjectLoop({ projectDir: dir, agent: unsandboxedAgent(agentPath(agent)), overrides: { breakMs: 0, maxIterations: 1 } });
  const alerts: string[] = [];
  loop.on((e) => e.type === 'alert' && alerts.push(e.message));
  await loop.run();
  return { dir, alerts };
}

describe('the run state', () => {
  it(
    'is not what an agent wrote before killing Goldloop: status is not gold, and the next run reopens the task it marked done',
    async () => {
      const dir = await temp.demo();
      // No sandbox, as on Windows: inside one the agent could not see Goldloop to kill it.
      const kb = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
      await writeFile(join(dir, KB_FILE), JSON.stringify({ ...kb, agent: { ...kb.agent, sandbox: 'off' } }, null, 2));
      const env = { ...process.env, GOLDLOOP_DEMO_PACE_MS: '0', NO_COLOR: '1' };
      const goldloop = (args: string[], extra: Record<string, string> = {}) =>
        spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...extra }, timeout: 120_000 });
      const child = spawn(
        process.execPath,
        [BIN, 'run', dir, '--agent-cmd', `"${process.execPath}" "${agentPath('forge-state-and-kill.mjs')}"`, '--plain'],
        {
          env,
          stdio: 'ignore',
        },
      );
      const killed = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      expect(killed).toBe('SIGKILL');
      expect(await taskStatus(dir, 'TASK_001')).toBe('done');

      const status = JSON.parse(goldloop(['status', dir, '--json']).stdout);
      expect(status).toMatchObject({ gold: false, live: false });
      expect(status.state).not.toBe('complete');

      const resumed = goldloop(
        [
          'run',
          dir,
          '--agent-cmd',
          `"${process.execPath}" "${agentPath('slow.mjs')}"`,
          '--break',
          '0s',
          '--max-iterations',
          '2',
          '--plain',
        ],
        {
          SLOW_MS: '0',
        },
      );
      expect(resumed.stdout + resumed.stderr).toContain('cycle 1 (TASK_001) did not finish');
      const first = (await readHistory(dir))[0]!;
      expect(first).toMatchObject({ iteration: 1, work: 'TASK_001', outcome: 'interrupted' });
      expect(first.verification).toContain('ended before the cycle did');
      expect(first.ignored_edits).toEqual(
        expect.arrayContaining(['TASK_001.status (done -> in_progress)', 'TASK_002.status (done -> ready)']),
      );
      // The agent's claims are gone; no task was verified, so none is done.
      expect(allTasks(await loadKb(dir)).filter(({ task }) => task.status === 'done')).toEqual([]);
      expect(JSON.parse(goldloop(['status', dir, '--json']).stdout).gold).toBe(false);
    },
    LOOP_WATCHDOG,
  );
});

describe('settings waiting for a cycle to end', () => {
  it(
    'never applies a pending settings file the agent wrote in the project',
    async () => {
      const { dir } = await oneCycle('forge-pending-settings.mjs');
      const next = new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } });
      const alerts: string[] = [];
      next.on((e) => e.type === 'alert' && alerts.push(e.message));
      await next.run();

      const kb = await loadKb(dir);
      expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
      // Every gate the demo measures stays on (the tests' demo switches its mutation gate off).
      for (const gate of ['tests', 'security', 'performance', 'build', 'docs'] as const) expect(kb.gates[gate]?.enabled).toBe(true);
      expect(alerts.join('\n')).not.toContain('settings change');
    },
    LOOP_WATCHDOG,
  );
});

describe("the cycle's baseline", () => {
  it(
    'survives an agent that deletes every ref, expires the reflog and runs git gc: the skip it hid is seen and rolled back',
    async () => {
      const { dir } = await oneCycle('destroy-history.mjs');
      const last = (await readHistory(dir)).at(-1)!;
      expect(last.outcome).toBe('tampered');
      expect(last.tamper?.map((t) => t.kind)).toContain('skip_added');
      expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).toContain("test('REQ-001");
      expect(await taskStatus(dir, 'TASK_001')).toBe('ready');
      // The rejected work is kept in Goldloop's own repository, out of the agent's reach.
      expect(snapshotGit(dir, 'show', `refs/goldloop/rejected/cycle-${last.iteration}:test/textkit.test.js`)).toContain(
        "test.skip('REQ-001",
      );
      // Its commit, "goldloop: cycle 1 — TASK_001 (task done)", is no record of anything: the cycle is Goldloop's checkpoint.
      expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('goldloop: cycle 1 — TASK_001 (tampered)');
    },
    LOOP_WATCHDOG,
  );

  it(
    'reads the diff as text whatever .git/info/attributes says: a skip in a file shown as binary is seen',
    async () => {
      const { dir } = await oneCycle('hide-skip.mjs');
      const last = (await readHistory(dir)).at(-1)!;
      expect(last.outcome).toBe('tampered');
      expect(last.tamper?.[0]).toMatchObject({ kind: 'skip_added' });
      expect(last.tamper?.[0]?.evidence).toContain("test.skip('REQ-001");
      expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).toContain("test('REQ-001");
    },
    LOOP_WATCHDOG,
  );
});

describe('a roll-back', () => {
  it(
    'does not blame the agent for the KB changes the roll-back made',
    async () => {
      const { dir, alerts } = await oneCycle('skip.mjs');
      const last = (await readHistory(dir)).at(-1)!;
      expect(last.outcome).toBe('tampered');
      expect(last.verification).toContain('rolled back');
      // skip.mjs changes only the test file: nothing of the KB is the agent's doing.
      expect(last.ignored_edits).toBeUndefined();
      expect(alerts.join('\n')).not.toContain('the agent edited fields only Goldloop writes');
    },
    LOOP_WATCHDOG,
  );
});

describe('the gold verdict', () => {
  it(
    'is bound to the tree it was measured on: a change after gold, or a run state without the tree, is not gold',
    async () => {
      const dir = await temp.demo();
      const end = await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0 } }).run();
      expect(end.state).toBe('complete');
      expect(await projectStatus(dir)).toMatchObject({ gold: true, state: 'complete' });
      expect((await projectStatus(dir)).stale_gold).toBeUndefined();

      // After Goldloop ended, something (a daemon the agent left, or the user) changes the code.
      const source = join(dir, 'src', 'textkit.js');
      const code = await readFile(source, 'utf8');
      await writeFile(source, `${code}\nexport const broken = true;\n`);
      const changed = await projectStatus(dir);
      expect(changed).toMatchObject({ gold: false, state: 'stopped' });
      expect(changed.stale_gold).toMatch(
        /^gold measured on an earlier tree: the project has changed since; `goldloop run` measures it again$/,
      );
      expect(renderStatus(changed, plain).join('\n')).toContain('gold measured on an earlier tree');

      // Put back as it was: the same content is the same tree, and gold again.
      await writeFile(source, code);
      expect((await projectStatus(dir)).gold).toBe(true);

      // A run state that says gold but carries no tree (forged, or a run that ended before binding it).
      const statePath = join(stateFolder(dir), 'state.json');
      const rs = JSON.parse(await readFile(statePath, 'utf8'));
      delete rs.gold_tree;
      await writeFile(statePath, JSON.stringify(rs));
      expect(await projectStatus(dir)).toMatchObject({
        gold: false,
        stale_gold: expect.stringMatching(/not bound to the project's content/),
      });
    },
    LOOP_WATCHDOG,
  );
});
