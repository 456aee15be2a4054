// Agents that go after Goldloop itself rather than the measurements: its run state, the settings
// waiting for a cycle's end, the git history it compares a cycle with. Each runs as a real
// command agent on the demo project, with real git, and no sandbox: these protections must hold
// where none runs (Windows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { loadKb } from '../../../electron/store/kb/kb-file.ts';
import { agentPath, demoAgent, scriptedAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

describe('settings waiting for a cycle to end', () => {
  it('never applies a pending settings file the agent wrote in the project', async () => {
    const dir = await temp.demo();
    await new ProjectLoop({
      projectDir: dir,
      agent: scriptedAgent(agentPath('forge-pending-settings.mjs')),
      overrides: { breakMs: 0, maxIterations: 1 },
    }).run();

    const next = new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } });
    const alerts: string[] = [];
    next.on((e) => e.type === 'alert' && alerts.push(e.message));
    await next.run();

    const kb = await loadKb(dir);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
    // The demo project has no security scan (no network for npm audit); every other gate stays on.
    for (const gate of ['tests', 'performance', 'build', 'docs'] as const) expect(kb.gates[gate]?.enabled).toBe(true);
    expect(alerts.join('\n')).not.toContain('settings change');
  });
});
