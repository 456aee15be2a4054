import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKb } from '../../../electron/store/kb/kb-file.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { agentPath, scriptedAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

describe('notes the agent leaves', () => {
  it('are kept with their cycle, shown in the next prompt, and change nothing measured', async () => {
    const dir = await temp.demo();
    // The prompts the agent was given, as the runner hands them over.
    const prompts: string[] = [];
    const agent = scriptedAgent(agentPath('leave-notes.mjs'));
    const end = await new ProjectLoop({
      projectDir: dir,
      agent: (ctx) => {
        prompts.push(ctx.options.prompt);
        return agent(ctx);
      },
      overrides: { breakMs: 0, maxIterations: 2 },
    }).run();
    expect(end.state).toBe('paused');

    const kb = await loadKb(dir);
    // Stamped by Goldloop: the forged cycle and the extra field are gone, earlier notes unedited.
    expect(kb.notes).toEqual([
      { text: 'kb note from call 1', task: 'TASK_001', at: expect.any(String), cycle: 1 },
      { text: 'next.md from call 1: try the regex first', task: 'TASK_001', at: expect.any(String), cycle: 1 },
      { text: 'kb note from call 2', task: 'TASK_001', at: expect.any(String), cycle: 2 },
      { text: 'next.md from call 2: try the regex first', task: 'TASK_001', at: expect.any(String), cycle: 2 },
    ]);
    expect(kb.test_results).toMatchObject({ passing_tests: 0 });
    expect(kb.test_results.all_passing).toBe(false);
    expect(await readdir(join(dir, '.goldloop', 'notes'))).toEqual(['cycle-1.md', 'cycle-2.md']);

    const second = prompts[1]!;
    expect(second).toContain(
      '## Notes you left in earlier cycles (newest last)\n- cycle 1, TASK_001: kb note from call 1\n- cycle 1, TASK_001: next.md from call 1: try the regex first',
    );
    expect(prompts[0]).not.toContain('## Notes you left');
    // The rewrite of earlier notes was undone and recorded.
    expect((await readHistory(dir)).at(-1)).toMatchObject({
      ignored_edits: expect.arrayContaining(['notes (2 earlier note(s) edited or removed)']),
    });
  });
});
