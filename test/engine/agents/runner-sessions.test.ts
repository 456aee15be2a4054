import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { codexAdapter } from '../../../electron/engine/agents/codex.ts';
import { withExecutable } from '../../../electron/engine/agents/registry.ts';
import { adapterRunner } from '../../../electron/engine/agents/runner.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** Codex's adapter with a program that prints the arguments it was given. */
async function echoCodex(): Promise<{ dir: string; run: ReturnType<typeof adapterRunner> }> {
  const dir = await temp.make();
  const program = join(dir, 'codex-echo');
  await writeFile(program, '#!/bin/sh\necho "argv: $*"\n');
  await chmod(program, 0o755);
  return { dir, run: adapterRunner(withExecutable(codexAdapter, program, dir), {}, 'off') };
}

const SESSION = '01a232cf-d257-7483-be9d-380aee81ffc8';

describe('a session is resumed only by the agent that opened it', () => {
  test('the outcome names the agent that ran, as its type and program', async () => {
    const { dir, run } = await echoCodex();
    const outcome = await run({ options: { prompt: 'p', promptFile: '/dev/null', cwd: dir }, timeoutMs: 60_000 });
    expect(outcome.agent).toBe(`codex ${join(dir, 'codex-echo')}`);
  });

  test("its own session: resumed; another agent's, or one of no known agent: a new session", async () => {
    const { dir, run } = await echoCodex();
    const agent = `codex ${join(dir, 'codex-echo')}`;
    const argvFor = async (sessionAgent: string | undefined): Promise<string> => {
      const lines: string[] = [];
      await run({
        options: { prompt: 'p', promptFile: '/dev/null', cwd: dir, resumeSessionId: SESSION },
        ...(sessionAgent ? { sessionAgent } : {}),
        timeoutMs: 60_000,
        onLine: (line) => lines.push(line),
      });
      return lines.find((l) => l.startsWith('argv: ')) ?? '';
    };
    // Outside a sandbox its default sandbox mode is workspace-write.
    expect(await argvFor(agent)).toBe(`argv: exec resume --json -c sandbox_mode="workspace-write" ${SESSION} -`);
    expect(await argvFor('claude-code claude')).toBe('argv: exec --json --sandbox workspace-write -');
    expect(await argvFor(undefined)).toBe('argv: exec --json --sandbox workspace-write -');
  });
});
