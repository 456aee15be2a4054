/**
 * When an agent fails, the cycle's record and the retry's message give the agent's own error, not
 * the last lines of a stack trace it printed on stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { readHistory } from '../../../electron/store/history.ts';
import { loadKb, saveKb } from '../../../electron/store/kb/kb-file.ts';
import { commitAll } from '../../../electron/platform/git.ts';
import { agentPath, TempDirs, waitFor } from '../../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

test("a failed agent's cycle says the agent's own error", async () => {
  const dir = await temp.demo();
  const kb = await loadKb(dir);
  await saveKb(dir, { ...kb, agent: { ...kb.agent!, type: 'claude-code', executable: agentPath('claude-fails.mjs') } });
  await commitAll(dir, 'Claude Code (a stand-in that fails)');
  const child = spawn(process.execPath, [BIN, 'run', dir, '--max-iterations', '1', '--break', '0s', '--plain', '--no-notify'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  const closed = new Promise((resolve) => child.on('close', resolve));
  // The failed cycle is recorded, then the run waits for its retry: Ctrl-C ends the wait.
  const [cycle] = await waitFor(async () => ((await readHistory(dir)).length > 0 ? readHistory(dir) : undefined), 120_000, 'the cycle');
  child.kill('SIGINT');
  await closed;
  expect(cycle, stdout).toMatchObject({ outcome: 'error' });
  expect(cycle!.verification).toBe(
    'the agent exited with code 1: API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
  );
  expect(stdout).toContain('Internal server error');
  expect(stdout).not.toMatch(/retrying.*at async Zq/);
});
