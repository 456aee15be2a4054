import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KB_FILE } from '../../electron/store/kb/kb-file.ts';
import { agentPath, TempDirs } from '../helpers/project.ts';

/** What a terminal would obey: ESC, BEL, C1 controls, NUL, and the bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const OBEYED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

function goldloop(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('text from the agent and the KB reaches the terminal as text', () => {
  it('prints a KB whose name and task carry control sequences and a huge description without obeying or printing them whole', async () => {
    const dir = await temp.demo();
    const kb = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    kb.project.name = 'shop\u001b]0;pwned\u0007\u202eexe';
    kb.task_queue.high_priority[0].description = `fix\u001b[6n ${'x'.repeat(3_000_000)}`;
    await writeFile(join(dir, KB_FILE), JSON.stringify(kb));
    const status = goldloop(['status', dir]);
    expect(status.code).toBe(0);
    expect(status.out).not.toMatch(OBEYED);
    expect(status.out).toContain('shop');
    expect(status.out.length).toBeLessThan(100_000);
    expect(status.out).toMatch(/characters cut/);
    const json = goldloop(['status', dir, '--json']);
    expect(json.out).not.toMatch(OBEYED);
    expect(JSON.parse(json.out).name).toBe('shop\u001b]0;pwned\u0007\u202eexe');
  });

  it('shows an agent that writes terminal sequences as plain text in the run view, the alerts and the exit message', async () => {
    const dir = await temp.demo();
    // One failed cycle pauses the run, so it ends without waiting out a retry delay.
    const kb = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    kb.autonomous_operation.error_handling = { ...kb.autonomous_operation.error_handling, max_consecutive_errors: 1 };
    await writeFile(join(dir, KB_FILE), JSON.stringify(kb));
    const r = goldloop([
      'run',
      dir,
      '--plain',
      '--agent',
      'command',
      '--agent-cmd',
      `node ${agentPath('terminal-tricks.mjs')}`,
      '--max-iterations',
      '1',
      '--break',
      '0s',
    ]);
    expect(r.code, r.out.slice(-3000)).toBe(3);
    expect(r.out).toContain('Paused');
    expect(r.out).toContain('title');
    expect(r.out).toContain('bidi<U+202E>gnp.exe');
    expect(r.out).not.toMatch(OBEYED);
  });
});
