import { describe, expect, it } from 'vitest';
import { createPowerKeeper, powerStep, wantAwake, type PowerBlocker } from '../../electron/main/power.ts';
import { project } from './views.ts';

/** powerSaveBlocker's contract: ids from start, stop by id; records what is held. */
function blocker(): PowerBlocker & { held: Set<number>; calls: string[] } {
  let next = 1;
  const held = new Set<number>();
  const calls: string[] = [];
  return {
    held,
    calls,
    start(type) {
      calls.push(`start ${type}`);
      held.add(next);
      return next++;
    },
    stop(id) {
      calls.push(`stop ${id}`);
      held.delete(id);
    },
  };
}

describe('wantAwake', () => {
  it('keeps the machine awake while a cycle runs', () => {
    expect(wantAwake([project('a', 'idle'), project('b', 'running')])).toBe(true);
  });

  it.each(['break', 'waiting_limit', 'paused', 'idle', 'stopped', 'complete', 'error'] as const)(
    'lets it sleep when the only project is %s',
    (state) => {
      expect(wantAwake([project('a', state)])).toBe(false);
    },
  );

  it('keeps it awake while a manual gate run measures', () => {
    expect(wantAwake([project('a', 'idle', { measuring: true })])).toBe(true);
  });

  it('ignores a running state no loop of this app drives (another process holds the project)', () => {
    expect(wantAwake([project('a', 'running', { driven: false })])).toBe(false);
  });

  it('lets it sleep with no projects', () => {
    expect(wantAwake([])).toBe(false);
  });
});

describe('powerStep', () => {
  it('starts, stops or leaves the blocker', () => {
    expect(powerStep(false, true)).toBe('start');
    expect(powerStep(true, false)).toBe('stop');
    expect(powerStep(true, true)).toBe('none');
    expect(powerStep(false, false)).toBe('none');
  });
});

describe('createPowerKeeper', () => {
  it('holds one blocker through a cycle and drops it on the break', () => {
    const b = blocker();
    const keeper = createPowerKeeper(b);
    expect(keeper.update([project('a', 'running')])).toBe('start');
    expect(keeper.update([project('a', 'running'), project('b', 'running')])).toBe('none');
    expect(keeper.holding).toBe(true);
    expect(keeper.update([project('a', 'break'), project('b', 'break')])).toBe('stop');
    expect(b.calls).toEqual(['start prevent-app-suspension', 'stop 1']);
    expect(b.held.size).toBe(0);
  });

  it('takes a fresh blocker for the next cycle', () => {
    const b = blocker();
    const keeper = createPowerKeeper(b);
    keeper.update([project('a', 'running')]);
    keeper.update([project('a', 'break')]);
    keeper.update([project('a', 'running')]);
    expect(b.calls).toEqual(['start prevent-app-suspension', 'stop 1', 'start prevent-app-suspension']);
    expect([...b.held]).toEqual([2]);
  });

  it('releases the blocker on quit, once', () => {
    const b = blocker();
    const keeper = createPowerKeeper(b);
    keeper.update([project('a', 'running')]);
    keeper.release();
    keeper.release();
    expect(b.calls).toEqual(['start prevent-app-suspension', 'stop 1']);
    expect(keeper.holding).toBe(false);
  });
});
