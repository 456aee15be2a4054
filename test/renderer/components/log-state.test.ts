import { describe, expect, it } from 'vitest';
import type { ApiEvent, LogPage } from '../../../electron/contract/api.ts';
import { LogState } from '../../../renderer/src/state/log.svelte.ts';
import { fake } from './harness.ts';

const line = (n: number, iteration = 3): ApiEvent => ({
  type: 'agent_line',
  project_id: 'shop',
  iteration,
  n,
  stream: 'stdout',
  line: `line ${n}`,
});
const page = (from: number, to: number, cycle = 3): LogPage => ({
  cycle,
  cycles: [1, 2, cycle],
  from,
  total: to,
  lines: Array.from({ length: to - from }, (_, i) => ({ stream: 'stdout' as const, text: `line ${from + i}` })),
});
const texts = (log: LogState): string[] => log.lines.map((l) => l.text);
const range = (a: number, b: number): string[] => Array.from({ length: b - a }, (_, i) => `line ${a + i}`);

/** A getLog answer the test releases when it wants, to put live lines before or after it. */
function deferredLog(): { release: (p: LogPage) => void } {
  let release!: (p: LogPage) => void;
  fake.on('getLog', () => new Promise<LogPage>((r) => (release = r)));
  return { release: (p) => release(p) };
}

describe('LogState joins the file and the live lines by line number', () => {
  it('keeps lines that arrive while the file is being read, without repeating the ones it read', async () => {
    const d = deferredLog();
    const log = new LogState();
    const loading = log.load('shop');
    // Lines 5..9 arrive while the request is out; the file had 0..6 when it was read.
    for (let n = 5; n < 10; n++) log.apply(line(n));
    d.release(page(0, 7));
    await loading;
    expect(texts(log)).toEqual(range(0, 10));
    expect(log.count).toBe(10);
  });

  it('keeps live lines it already showed when the file lags behind them', async () => {
    fake.on('getLog', () => page(0, 3));
    const log = new LogState();
    await log.load('shop');
    for (let n = 3; n < 8; n++) log.apply(line(n));
    // Back to "live" (the user re-picked it): the file has only caught up to line 5.
    fake.on('getLog', () => page(0, 5));
    await log.load('shop');
    expect(texts(log)).toEqual(range(0, 8));
  });

  it('reads the cycle again when a line number shows a gap, then goes on', async () => {
    fake.on('getLog', () => page(0, 2));
    const log = new LogState();
    await log.load('shop');
    fake.on('getLog', () => page(0, 6));
    log.apply(line(6)); // lines 2..5 never arrived
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(texts(log)).toEqual(range(0, 7));
    expect(fake.callsOf('getLog')).toHaveLength(2);
  });

  it('starts the new cycle’s page when following the live one, and ignores other projects', async () => {
    fake.on('getLog', () => page(0, 4));
    const log = new LogState();
    await log.load('shop');
    log.apply({ type: 'cycle_start', project_id: 'shop', iteration: 4, work: 'T-2', description: 'next task' });
    log.apply({ type: 'agent_line', project_id: 'other', iteration: 4, n: 0, stream: 'stdout', line: 'not ours' });
    log.apply(line(0, 4));
    log.apply({ ...line(1, 4), stream: 'stderr' } as ApiEvent);
    log.apply({ ...line(2, 4), at: '14:05:03' } as ApiEvent);
    expect(log.cycle).toBe(4);
    expect(log.cycles).toEqual([1, 2, 3, 4]);
    expect(log.lines).toEqual([
      { stream: 'stdout', text: 'line 0' },
      { stream: 'stderr', text: 'line 1' },
      { stream: 'stdout', text: 'line 2', at: '14:05:03' },
    ]);
  });

  it('numbers a long log from where its tail starts', async () => {
    fake.on('getLog', () => page(1000, 1005));
    const log = new LogState();
    await log.load('shop');
    expect(log.base).toBe(1000);
    log.apply(line(1005));
    log.apply(line(1003));
    expect(texts(log)).toEqual(range(1000, 1006));
  });
});
