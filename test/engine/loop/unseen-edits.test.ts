/**
 * An agent whose CLI reports edits that never reach the project (a permission mode that refuses
 * them without saying so): each such cycle says so in its history line, and the second in a row
 * pauses the run with the setting to check.
 */
import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeCodeAdapter } from '../../../electron/engine/agents/claude-code.ts';
import { withExecutable } from '../../../electron/engine/agents/registry.ts';
import { adapterRunner, type AgentOutcome } from '../../../electron/engine/agents/runner.ts';
import type { AgentEvent } from '../../../electron/engine/agents/types.ts';
import { noticeUnseenEdits, reportedEdits } from '../../../electron/engine/loop/agent-changes.ts';
import type { CycleContext, Ran, Work } from '../../../electron/engine/loop/cycle-context.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import type { EngineEvent } from '../../../electron/engine/loop/types.ts';
import { readHistory } from '../../../electron/store/history.ts';
import type { RunState } from '../../../electron/store/run-state.ts';
import { agentPath, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const FINDING =
  "the agent reported 3 edits but nothing in the project changed: it may not be allowed to edit; check agent permission mode (agent.permission_mode / the dashboard's setting)";

describe('edits that change nothing', () => {
  it('are a finding in each cycle, and pause the run the second time in a row', async () => {
    const dir = await temp.demo();
    // A copy made executable here: the fixture's file mode in the checkout is not relied upon.
    const claude = join(await temp.make('goldloop-bin-'), 'claude');
    await copyFile(agentPath('claims-edits.mjs'), claude);
    await chmod(claude, 0o755);
    const agent = adapterRunner(withExecutable(claudeCodeAdapter, claude, dir));
    const loop = new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0, maxIterations: 5 } });
    const alerts: string[] = [];
    loop.on((e: EngineEvent) => void (e.type === 'alert' && alerts.push(e.message)));

    const end = await loop.run();

    expect(end).toMatchObject({ state: 'paused', pause_reason: 'errors' });
    expect(end.message).toBe(`${FINDING}. This happened in 2 cycles in a row, so the run is paused: change the setting, then resume.`);
    const history = await readHistory(dir);
    expect(history).toHaveLength(2);
    for (const cycle of history) {
      expect(cycle.unseen_edits).toBe(FINDING);
      expect(cycle.changes).toEqual({ files: 0, added: 0, removed: 0 });
      expect(cycle.agent.files_changed).toEqual(['src/textkit.js', 'src/extra.js', 'test/textkit.test.js']);
    }
    expect(alerts).toContain(`cycle 1: ${FINDING}`);
  });
});

/** A context and a cycle for the check alone: its run state, its alerts, the agent's events and the diff's figures. */
function cycle(rs: Partial<RunState>, events: AgentEvent[], files: number): { ctx: CycleContext; ran: Ran; alerts: string[] } {
  const alerts: string[] = [];
  const ctx = { projectDir: '/work/shop', rs, out: { alert: (_: string, m: string) => alerts.push(m) } } as unknown as CycleContext;
  const outcome = { events } as unknown as AgentOutcome;
  const base = { changes: { files, added: files, removed: 0 } } as unknown as Ran['base'];
  return { ctx, ran: { outcome, base }, alerts };
}
const work = { iteration: 4 } as Work;
const edit = (path: string): AgentEvent => ({ type: 'file_change', path, kind: 'modify' });

describe('the check', () => {
  it('counts only the edits inside the project', () => {
    expect(
      reportedEdits([edit('/work/shop/src/a.js'), edit('src/b.js'), edit('/tmp/scratch.txt'), edit('/work/shop2/x.js')], '/work/shop'),
    ).toBe(2);
  });

  it('ends the streak at a cycle whose edits changed the project, or that reported none', () => {
    const rs: Partial<RunState> = { unseen_edits: 1 };
    const changed = cycle(rs, [edit('src/a.js')], 1);
    expect(noticeUnseenEdits(changed.ctx, work, changed.ran)).toBeUndefined();
    expect(rs.unseen_edits).toBeUndefined();
    expect(changed.ran.base.unseen_edits).toBeUndefined();

    rs.unseen_edits = 1;
    const quiet = cycle(rs, [{ type: 'tool_call', name: 'Read' }], 0);
    expect(noticeUnseenEdits(quiet.ctx, work, quiet.ran)).toBeUndefined();
    expect(rs.unseen_edits).toBeUndefined();
  });

  it('names one edit in the singular and pauses only at the second in a row', () => {
    const rs: Partial<RunState> = {};
    const first = cycle(rs, [edit('src/a.js')], 0);
    expect(noticeUnseenEdits(first.ctx, work, first.ran)).toBeUndefined();
    expect(first.ran.base.unseen_edits).toMatch(/^the agent reported 1 edit but nothing in the project changed/);
    expect(first.alerts).toEqual([`cycle 4: ${first.ran.base.unseen_edits}`]);
    const second = cycle(rs, [edit('src/a.js')], 0);
    expect(noticeUnseenEdits(second.ctx, work, second.ran)).toMatch(/This happened in 2 cycles in a row, so the run is paused/);
  });
});
