import { afterAll, describe, expect, it } from 'vitest';
import { LiveView } from '../../electron/cli/live-view.ts';
import { stateLine, styleFor } from '../../electron/cli/render.ts';
import type { ProjectLoop } from '../../electron/engine/loop/project-loop.ts';
import type { EngineEvent, LoopState } from '../../electron/engine/loop/types.ts';
import { TempDirs } from '../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** The parts of a ProjectLoop the view uses, driven by the test. */
function fakeLoop(projectDir: string, state: LoopState): { loop: ProjectLoop; emit: (e: EngineEvent) => void } {
  const listeners = new Set<(e: EngineEvent) => void>();
  const loop = {
    projectDir,
    state,
    on(listener: (e: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as ProjectLoop;
  return { loop, emit: (e) => listeners.forEach((l) => l(e)) };
}

/** A terminal that records what is written to it. */
function terminal(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, columns: 100, write: (c: string) => chunks.push(c) > 0, text: () => chunks.join('') } as unknown as NodeJS.WriteStream & {
    text: () => string;
  };
}

describe('the live view of goldloop run', () => {
  it('never draws again after it stopped: what the command prints next stays on screen', async () => {
    const dir = await temp.demo();
    const { loop, emit } = fakeLoop(dir, { state: 'complete', iteration: 6 });
    const out = terminal(true);
    const view = new LiveView(loop, out);
    view.start();
    // An event arrives just before the run ends: its refresh is still on its way when stop() is called.
    emit({ type: 'gold', project: dir, iteration: 6 });
    await view.stop();
    out.write('SUMMARY\n');
    await new Promise((r) => setTimeout(r, 400));
    expect(out.text().endsWith('SUMMARY\n')).toBe(true);
  });

  it('prints why a break is taken, in --plain and in the view', () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const line = stateLine({ state: 'break', break_reason: 'hourly_limit', until }, styleFor(terminal(false)));
    expect(line).toMatch(/hourly/i);
    const out = terminal(false);
    const { loop, emit } = fakeLoop('/nowhere', { state: 'break', break_reason: 'hourly_limit', until, iteration: 3 });
    new LiveView(loop, out, { plain: true }).start();
    emit({ type: 'state', project: '/nowhere', state: { state: 'break', break_reason: 'hourly_limit', until, iteration: 3 } });
    expect(out.text()).toMatch(/hourly/i);
  });

  it("draws over the frame the engine before it left on screen (a run's host starts a new engine after a long wait)", async () => {
    const dir = await temp.demo();
    const frame = async (options: { redrawOver?: number; plain?: boolean }, isTTY = true): Promise<string> => {
      const { loop } = fakeLoop(dir, { state: 'running', step: 'execute', iteration: 2 });
      const out = terminal(isTTY);
      const view = new LiveView(loop, out, options);
      view.start();
      await view.stop();
      return out.text();
    };
    // Hide the cursor, then up over the 38 lines left there, to the first column.
    expect((await frame({ redrawOver: 38 })).startsWith('\x1b[?25l\x1b[38A\r')).toBe(true);
    // A first engine draws below what is on screen; so does a view without a terminal.
    const up = new RegExp(String.raw`\u001b\[\d+A`);
    expect((await frame({})).slice(0, 12)).not.toMatch(up);
    expect(await frame({ redrawOver: 38 }, false)).not.toMatch(up);
  });
});
