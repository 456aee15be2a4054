// How the gate phase schedules its command gates: the longest in the last phase starts first and
// runs in the foreground; the others yield the CPU to it until it ends. Real child processes; the
// gates report what they saw (their priority, their autogroup) on their own output.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureGates } from '../../../electron/engine/gates/phase.ts';
import { gateOrder } from '../../../electron/engine/gates/schedule.ts';
import { stateFolder } from '../../../electron/store/state-folder.ts';
import { KbSchema, type Kb, type KbInput } from '../../../electron/store/kb/schema.ts';
import { runProcess } from '../../../electron/platform/process.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const node = (script: string): string[] => [process.execPath, '-e', script];
const quick = node('0');
const kbOf = (gates: KbInput['gates']): Kb => KbSchema.parse({ gates: { docs: { enabled: false }, ...gates } });
const timingsFile = (dir: string): string => join(stateFolder(dir), 'gate-timings.json');

/** Linux with autogroup scheduling, where a gate's priority is its session's autogroup's. */
const autogroups =
  process.platform === 'linux' &&
  existsSync('/proc/self/autogroup') &&
  readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';

describe('gateOrder', () => {
  it('starts tests, security, performance, build in that order when the last phase is not known', () => {
    expect(gateOrder(['build', 'tests', 'performance', 'security'], {})).toEqual(['tests', 'security', 'performance', 'build']);
  });

  it('starts the longest gate of the last phase first', () => {
    expect(gateOrder(['tests', 'performance', 'build'], { tests: 900, performance: 2500, build: 40 })).toEqual([
      'performance',
      'tests',
      'build',
    ]);
  });

  it('keeps the usual order when a gate has no time yet (it was just switched on)', () => {
    expect(gateOrder(['tests', 'security', 'build'], { tests: 10, build: 5000 })).toEqual(['tests', 'security', 'build']);
  });
});

describe('measureGates order and timings', () => {
  const GATES: KbInput['gates'] = {
    tests: { command: quick },
    performance: { command: quick, thresholds: { ms: { max: 1 } } },
    build: { command: quick },
  };

  it('records each command gate’s wall time in gate-timings.json of the project’s state folder', async () => {
    const dir = await temps.make();
    const m = await measureGates({ projectDir: dir, kb: kbOf(GATES), label: 'one' });
    const recorded = JSON.parse(await readFile(timingsFile(dir), 'utf8')) as Record<string, number>;
    expect(Object.keys(recorded).sort()).toEqual(['build', 'performance', 'tests']);
    expect(recorded).toEqual({ tests: m.timings?.tests, performance: m.timings?.performance, build: m.timings?.build });
  });

  it('starts the gates in the order of the last phase’s times, longest first', async () => {
    const dir = await temps.make();
    await mkdir(stateFolder(dir), { recursive: true });
    await writeFile(timingsFile(dir), JSON.stringify({ tests: 120, performance: 30, build: 4000 }));
    const m = await measureGates({ projectDir: dir, kb: kbOf(GATES), label: 'one' });
    expect(m.order).toEqual(['build', 'tests', 'performance']);
  });

  it('falls back to the usual order when the times file is not what Goldloop wrote', async () => {
    const dir = await temps.make();
    await mkdir(stateFolder(dir), { recursive: true });
    await writeFile(timingsFile(dir), '{"tests": "slow", "build": 4000');
    const m = await measureGates({ projectDir: dir, kb: kbOf(GATES), label: 'one' });
    expect(m.order).toEqual(['tests', 'performance', 'build']);
  });
});

describe('background gates yield to the foreground gate', () => {
  // The build gate (background) reports its priority and writes a marker; the test gate
  // (foreground) waits for the marker, so the build is measured while the tests still run.
  const REPORT = `
    const { getPriority } = require('node:os');
    const fs = require('node:fs');
    const group = () => (fs.existsSync('/proc/self/autogroup') ? fs.readFileSync('/proc/self/autogroup', 'utf8').trim().replace(/^\\/autogroup-\\d+ /, '') : 'none');
    const wanted = process.argv[1] === 'autogroup';
    const until = Date.now() + 5000;
    while (wanted && group() !== 'nice 10' && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    console.log('priority ' + getPriority() + ', autogroup ' + group());
    fs.writeFileSync(process.argv[2], 'seen');`;
  const WAIT = `
    const fs = require('node:fs');
    const { getPriority } = require('node:os');
    const until = Date.now() + 10000;
    while (!fs.existsSync(process.argv[1]) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    console.log('priority ' + getPriority());`;

  it.skipIf(process.platform === 'win32')('runs the other command gates at a lower priority while the foreground gate runs', async () => {
    const dir = await temps.make();
    const marker = join(dir, 'build-seen');
    const kb = kbOf({
      tests: { command: [process.execPath, '-e', WAIT, marker] },
      build: { command: [process.execPath, '-e', REPORT, autogroups ? 'autogroup' : 'process', marker] },
    });
    const m = await measureGates({ projectDir: dir, kb, label: 'one' });
    expect(m.order).toEqual(['tests', 'build']);
    expect(m.tests?.result.stdoutTail).toContain('priority 0');
    expect(m.build?.result.stdoutTail.join('\n')).toMatch(autogroups ? /^priority 10, autogroup nice 10$/m : /^priority 10, /m);
  });

  it.skipIf(process.platform === 'win32')('runs every gate at normal priority when they run one after another', async () => {
    const dir = await temps.make();
    const marker = join(dir, 'build-seen');
    const kb = kbOf({ tests: { command: quick }, build: { command: [process.execPath, '-e', REPORT, 'process', marker] } });
    const m = await measureGates({ projectDir: dir, kb, label: 'one', sequential: true });
    expect(m.build?.result.stdoutTail.join('\n')).toMatch(autogroups ? /^priority 0, autogroup nice 0$/m : /^priority 0, /m);
  });

  it.skipIf(!autogroups)('puts a process tree back to normal priority when asked to (Linux autogroup)', async () => {
    let release!: () => void;
    const foreground = new Promise<void>((resolve) => (release = resolve));
    const dir = await temps.make();
    const marker = join(dir, 'lowered');
    // Waits to see nice 10, says so (the marker), then waits to see nice 0 again.
    const script = `
      const fs = require('node:fs');
      const group = () => fs.readFileSync('/proc/self/autogroup', 'utf8').trim().replace(/^\\/autogroup-\\d+ /, '');
      const sleep = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      const until = Date.now() + 8000;
      while (group() !== 'nice 10' && Date.now() < until) sleep();
      console.log('lowered: ' + group());
      fs.writeFileSync(process.argv[1], '');
      while (group() !== 'nice 0' && Date.now() < until) sleep();
      console.log('after: ' + group());`;
    const run = runProcess([process.execPath, '-e', script, marker], {
      cwd: dir,
      niceness: 10,
      nicenessUntil: foreground,
      timeoutMs: 20_000,
    });
    const until = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    release();
    const result = await run;
    expect(result.stdoutTail).toEqual(['lowered: nice 10', 'after: nice 0']);
  });
});
