import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/contract/api.ts';
import { loadKb, updateKb } from '../../electron/store/kb/kb-file.ts';
import { agentPath, waitFor } from '../helpers/project.ts';
import { noBubblewrap } from '../helpers/sandbox.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

const { temp, supervisor } = useSupervisors();

describe("an agent's own switch for its sandbox", () => {
  it.skipIf(noBubblewrap('server/sandbox-setting.test.ts'))(
    'is put back: the next cycle, resolved again from the KB, runs in the sandbox all the same',
    async () => {
      const dir = await temp.demo();
      await updateKb(dir, (kb) => {
        kb.agent = { type: 'command', command: [process.execPath, agentPath('sandbox-off.mjs')] };
        kb.autonomous_operation.max_iterations_per_run = 2;
        kb.autonomous_operation.work_cycle.break_between_cycles_minutes = 0;
      });
      const s = await supervisor();
      const events: ApiEvent[] = [];
      s.on((e) => events.push(e));
      const { project } = await s.api.addProject({ path: dir });
      await s.api.start({ project_id: project.id });
      await waitFor(() => events.some((e) => e.type === 'cycle_end' && e.summary.iteration === 2), 60_000, 'two cycles');

      const firstLines = events.filter((e) => e.type === 'agent_line' && e.n === 0).map((e) => (e.type === 'agent_line' ? e.line : ''));
      expect(firstLines).toHaveLength(2);
      for (const line of firstLines) expect(line).toMatch(/^goldloop: sandbox: bubblewrap /);
      expect(events.some((e) => e.type === 'agent_line' && e.line.startsWith('sandbox-off agent:'))).toBe(true);
      expect((await loadKb(dir)).agent?.sandbox).toBeUndefined();
    },
  );
});
