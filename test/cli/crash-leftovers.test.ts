// `kill -9` of goldloop run mid-cycle, for real: the agent it started (in its own process group,
// no sandbox to end it) is still running; the next goldloop run ends it first and says so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KB_FILE } from '../../electron/store/kb/kb-file.ts';
import { agentPath, TempDirs } from '../helpers/project.ts';
import { alive, until } from '../helpers/processes.ts';

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  return temp.cleanup();
});

describe.skipIf(process.platform === 'win32')('after goldloop run is killed with SIGKILL', () => {
  it('the next run ends the agent the killed one left running, and says so', async () => {
    const dir = await temp.demo();
    // No sandbox (as on Windows, or turned off): nothing else would end the agent with Goldloop.
    const kb = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    await writeFile(join(dir, KB_FILE), JSON.stringify({ ...kb, agent: { ...kb.agent, sandbox: 'off' } }, null, 2));
    const pidFile = join(await temp.make('goldloop-agent-pid-'), 'agent.pid');
    const env = { ...process.env, NO_COLOR: '1', GOLDLOOP_DEMO_PACE_MS: '0', SLOW_PID_FILE: pidFile, SLOW_MS: '600000' };
    const agent = `"${process.execPath}" "${agentPath('slow.mjs')}"`;
    const first = spawn(process.execPath, [BIN, 'run', dir, '--agent-cmd', agent, '--plain'], { env, stdio: 'ignore' });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0, "the agent's pid");
    const agentPid = Number(readFileSync(pidFile, 'utf8'));
    started.push(agentPid);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(alive(agentPid), 'the agent outlives a goldloop killed with SIGKILL').toBe(true);

    const next = spawnSync(process.execPath, [BIN, 'run', dir, '--agent-cmd', agent, '--max-iterations', '1', '--break', '0s', '--plain'], {
      env: { ...env, SLOW_MS: '0', SLOW_PID_FILE: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const out = `${next.stdout}${next.stderr}`;
    expect(out).toMatch(new RegExp(`ended \\S+ \\(process group ${agentPid}\\), left running by Goldloop process ${first.pid}`));
    await until(() => !alive(agentPid), 'the old agent to end', 10_000);
  });
});
