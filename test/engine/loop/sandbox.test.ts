/**
 * Dishonest agents against the sandbox, each a real program run by a real `goldloop run` (so that
 * the agent's parent is Goldloop, and HOME and Goldloop's config folder are the test's own). Each
 * trick worked before the agent ran in a sandbox; each must fail now.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDir } from '../../../electron/platform/app-dirs.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { KB_FILE, loadKb } from '../../../electron/store/kb/kb-file.ts';
import { allTasks } from '../../../electron/engine/tasks/queue.ts';
import { agentPath, markAgents, TempDirs } from '../../helpers/project.ts';
import { noBubblewrap } from '../../helpers/sandbox.ts';
import { VISIBLE_TEMP } from '../../helpers/temp.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const NO_BWRAP = noBubblewrap('engine/loop/sandbox.test.ts');

/** `goldloop run` on `dir` with a fixture agent, `cycles` cycles, no breaks; `env` added to the environment. */
function run(dir: string, agent: string, env: Record<string, string> = {}, cycles = 1) {
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      'run',
      dir,
      '--agent-cmd',
      `"${process.execPath}" "${agentPath(agent)}"`,
      '--max-iterations',
      String(cycles),
      '--break',
      '0s',
      '--plain',
      '--no-notify',
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 },
  );
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const APP_SETTINGS = JSON.stringify({
  version: 3,
  notifications: { reports: true, errors: true, paused_after_errors: true, waiting_limit: true, tamper: true, gold: true },
  launch_at_login: false,
  resume_on_launch: [],
});

describe('an agent in the sandbox', () => {
  it.skipIf(NO_BWRAP)('cannot kill Goldloop: SIGKILL to its parent and to every process it sees, and the run goes on', async () => {
    const dir = await temp.demo();
    const r = run(dir, 'kill-goldloop.mjs', { KILL_STOP_PID: String(process.pid) }, 2);
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain('kill-goldloop agent: parent 1 signalled');
    // Paused at its iteration limit (exit 3), both cycles run and recorded.
    expect(r.code).toBe(3);
    expect((await readHistory(dir)).map((h) => h.iteration)).toEqual([1, 2]);
  });

  it('leaves nothing running after its cycle: a setsid, double-forked daemon never writes', async () => {
    const dir = await temp.demo();
    const mark = markAgents();
    const r = run(dir, 'daemon.mjs', { ...mark.env, DAEMON_DELAY_MS: '1500' });
    expect(r.stdout).toContain('daemon agent: left a daemon behind');
    expect(await mark.processes()).toEqual([]);
    const kbAfterRun = await readFile(join(dir, KB_FILE), 'utf8');
    // Long after the daemon would have written:
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(existsSync(join(dir, 'late.txt'))).toBe(false);
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(kbAfterRun);
    expect(allTasks(await loadKb(dir)).every((t) => t.task.status !== 'done')).toBe(true);
    const status = JSON.parse(spawnSync(process.execPath, [BIN, 'status', dir, '--json'], { encoding: 'utf8' }).stdout);
    expect(status).toMatchObject({ state: 'paused', gold: false });
  });

  it.skipIf(NO_BWRAP)("cannot read or change Goldloop's config folder: the notifications stay on", async () => {
    const dir = await temp.demo();
    const config = await temp.make('goldloop-config-', VISIBLE_TEMP);
    await writeFile(join(config, 'settings.json'), APP_SETTINGS);
    const r = run(dir, 'write-config.mjs', { GOLDLOOP_CONFIG_DIR: config, TARGET_CONFIG_DIR: config });
    expect(r.stdout).toContain('could not read it (ENOENT)');
    expect(r.stdout).toContain('write-config agent: could not write it (EROFS)');
    expect(await readFile(join(config, 'settings.json'), 'utf8')).toBe(APP_SETTINGS);
  });

  it.skipIf(NO_BWRAP)("cannot plant code for Goldloop's git: hooks, .git/config, .git/info, a new .git", async () => {
    const dir = await temp.demo();
    const config = await readFile(join(dir, '.git', 'config'), 'utf8');
    const r = run(dir, 'git-hooks.mjs', {}, 2);
    for (const what of ['post-commit hook', 'core.fsmonitor', 'core.hooksPath', 'attributes', 'a new .git'])
      expect(r.stdout).toContain(`git-hooks agent: ${what}: refused`);
    expect(r.code).toBe(3);
    expect(await readFile(join(dir, '.git', 'config'), 'utf8')).toBe(config);
    for (const file of ['.git/hooks/post-commit', '.git/info/attributes', '.git/config.lock', '.git-old', 'hook-ran', 'fsmonitor-ran'])
      expect(existsSync(join(dir, file)), file).toBe(false);
  });

  it.skipIf(NO_BWRAP)("cannot plant code for Goldloop's git in a repository of its own inside the project", async () => {
    const dir = await temp.demo();
    const r = run(dir, 'nested-repo.mjs', {}, 2);
    expect(r.stdout).toContain('nested-repo agent: planted a filter in nested/.git/config');
    expect(r.code).toBe(3);
    // Goldloop's snapshots, checkpoints and gates ran git on the project after each cycle; none asked the nested repository.
    expect(existsSync(join(dir, 'filter-ran'))).toBe(false);
  });

  it.skipIf(NO_BWRAP)('cannot reach past the sandbox through the gates: a test it wrote runs in a sandbox too', async () => {
    const dir = await temp.demo();
    const holdout = await temp.make('goldloop-holdout-', VISIBLE_TEMP);
    await writeFile(join(holdout, 'acceptance.test.js'), '// held out\n');
    const kb = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    kb.gates.holdout = { dir: holdout, command: [process.execPath, '--test', '{holdout}'], junit_report: '{reports}/holdout.xml' };
    await writeFile(join(dir, KB_FILE), JSON.stringify(kb, null, 2));
    const target = join(stateDir(), 'escaped.txt');
    const r = run(dir, 'gate-escape.mjs', { ESCAPE_TARGET: target, ESCAPE_HOLDOUT: join(holdout, 'acceptance.test.js') });
    expect(r.stdout).toContain('gate-escape agent: added a test to test/textkit.test.js');
    const said = await readFile(join(dir, 'escape-result.txt'), 'utf8');
    expect(said).toMatch(/^state folder: refused \(E[A-Z]+\)$/m);
    expect(said).toMatch(/^held-out tests: refused \(ENOENT\)$/m);
    expect(said).not.toMatch(/: written|: read$/m);
    expect(existsSync(target)).toBe(false);
    // Long after the process the test left would have written:
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(existsSync(join(dir, 'late.txt'))).toBe(false);
  });

  it.skipIf(NO_BWRAP)("cannot read the user's home", async () => {
    const dir = await temp.demo();
    const home = await temp.make('goldloop-home-', VISIBLE_TEMP);
    await writeFile(join(home, 'secret.txt'), 'the secret 4711\n');
    await mkdir(join(home, '.config'));
    const r = run(dir, 'read-home.mjs', { HOME: home });
    expect(r.stdout).toContain('read-home agent: could not read it (ENOENT)');
    expect(r.stdout).not.toContain('4711');
    expect(existsSync(join(dir, 'stolen.txt'))).toBe(false);
  });
});
