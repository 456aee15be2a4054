// The machine-wide gate scheduler: a gate phase that finds every slot taken waits its turn and
// the project's status says so; a bad GOLDLOOP_GATE_SLOTS says how to fix it.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gateSlotLimit, gateSlots } from '../../../electron/engine/gates/slots.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import type { LoopState } from '../../../electron/contract/status.ts';
import { demoAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
const saved = { state: process.env.GOLDLOOP_STATE_DIR, slots: process.env.GOLDLOOP_GATE_SLOTS, pace: process.env.GOLDLOOP_DEMO_PACE_MS };
beforeEach(async () => {
  // Slots of its own, apart from the other test files' gate phases.
  process.env.GOLDLOOP_STATE_DIR = await temp.make('goldloop-slot-state-');
  process.env.GOLDLOOP_GATE_SLOTS = '1';
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterEach(() => {
  for (const [name, value] of [
    ['GOLDLOOP_STATE_DIR', saved.state],
    ['GOLDLOOP_GATE_SLOTS', saved.slots],
    ['GOLDLOOP_DEMO_PACE_MS', saved.pace],
  ] as const)
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
});
afterAll(() => temp.cleanup());

describe('the gate scheduler', () => {
  it("makes a project's gate phase wait while another holds the only slot, and says so in its state", async () => {
    const dir = await temp.demo();
    const held = await gateSlots().take();
    const loop = new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } });
    const states: LoopState[] = [];
    let released = false;
    loop.on((event) => {
      if (event.type !== 'state') return;
      states.push(event.state);
      if (event.state.message?.startsWith('waiting for a gate slot') && !released) {
        released = true;
        void held();
      }
    });
    await loop.run();

    const waiting = states.find((s) => s.message?.startsWith('waiting for a gate slot'));
    expect(waiting).toMatchObject({
      state: 'running',
      step: 'baseline',
      message: 'waiting for a gate slot: 1 of 1 gate phase is running on this machine (GOLDLOOP_GATE_SLOTS sets the limit)',
    });
    // Once the slot was free the baseline ran, and the waiting words went away.
    const after = states.slice(states.indexOf(waiting!) + 1);
    expect(after[0]).toMatchObject({ state: 'running', step: 'baseline' });
    expect(after[0]!.message).toBeUndefined();
    expect(after.some((s) => s.step === 'quality_check')).toBe(true);
  });

  it('reads the limit from GOLDLOOP_GATE_SLOTS, and refuses a value that is not a count', () => {
    expect(gateSlotLimit({ GOLDLOOP_GATE_SLOTS: '3' })).toBe(3);
    expect(gateSlotLimit({})).toBeGreaterThanOrEqual(1);
    expect(() => gateSlotLimit({ GOLDLOOP_GATE_SLOTS: 'two' })).toThrow(
      /^GOLDLOOP_GATE_SLOTS=two: use a whole number from 1 to 256 \(how many gate phases may run at once on this machine\), or unset it for the number of cores \(\d+\)$/,
    );
    expect(() => gateSlotLimit({ GOLDLOOP_GATE_SLOTS: '0' })).toThrow(/GOLDLOOP_GATE_SLOTS=0: use a whole number/);
  });
});
