// Twenty projects on one machine, as the desktop app runs them: one supervisor, 20 loops at once,
// each 5 cycles of a fast no-op agent and a gate command that costs what a small test run costs
// (bench/gate-work.mjs: 48 MB, 250 ms of a core's time). Run in turns, in one go: every gate phase
// let in at once (slots = 20), with the machine-wide gate scheduler (GOLDLOOP_GATE_SLOTS = the
// cores), the scheduler again, then all at once again, so that a slow spell of the machine weighs
// on both alike. Printed: the total wall time of each way, the peak memory of Goldloop and every
// process under it (Linux: /proc), the delay from an engine event to the dashboard's event socket
// (p95) and the supervisor's event-loop lag (p99), the worse of the two runs.
// Run alone with `node bin/tsx.js bench/many-projects.ts`; `npm run bench` runs it at its end.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { ApiEvent } from '../electron/contract/api.ts';
import { initRepository, commitAll } from '../electron/platform/git.ts';
import { KbSchema } from '../electron/store/kb/schema.ts';
import { saveKb } from '../electron/store/kb/kb-file.ts';
import { startServer } from '../electron/server/http/server.ts';
import { openSupervisor } from '../electron/server/supervisor.ts';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 20);
const CYCLES = 5;
const NOOP = fileURLToPath(new URL('./noop.mjs', import.meta.url));
const GATE_WORK = fileURLToPath(new URL('./gate-work.mjs', import.meta.url));
const TREE_RSS = fileURLToPath(new URL('./tree-rss.mjs', import.meta.url));
const OFF = Object.fromEntries(['mutation', 'security', 'performance', 'build'].map((g) => [g, { enabled: false }]));

interface Fleet {
  wallMs: number;
  peakMiB?: number;
  eventP95: number;
  lagP99: number;
  /** The same lag in an idle Node process beside it: what the machine alone adds. */
  idleLagP99: number;
  /** CPU time of this process and every process it started and reaped (Linux: /proc). */
  cpuSeconds?: number;
}

/** CPU seconds used so far by this process and the children it has reaped (Linux), else undefined. */
function cpuSoFar(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0) / 100;
}

/**
 * An idle Node process measuring its own event-loop lag, as the supervisor's is measured: on a
 * busy machine a timer waits for a core whatever the process does, and this shows how long.
 */
function idleLag(): { pid: number; reset: () => void; stop: () => Promise<number> } {
  const script = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 }); h.enable();
process.stdin.on('data', () => h.reset());
process.stdin.on('end', () => { h.disable(); process.stdout.write(String(h.percentile(99) / 1e6)); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return {
    pid: child.pid!,
    reset: () => child.stdin.write('reset\n'),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve(Number(out)));
        child.stdin.end();
      }),
  };
}

const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

/** Samples the peak memory of this process and everything under it (but `except`) from another process (Linux: /proc). */
function treePeak(except: number): { stop: () => Promise<number | undefined> } {
  if (process.platform !== 'linux') return { stop: async () => undefined };
  const child = spawn(process.execPath, [TREE_RSS, String(process.pid), String(except)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve(Number(out)));
        child.stdin.end();
      }),
  };
}

async function project(root: string, i: number): Promise<string> {
  const dir = join(root, `project-${String(i).padStart(2, '0')}`);
  await mkdir(dir, { recursive: true });
  await initRepository(dir);
  await saveKb(
    dir,
    KbSchema.parse({
      project: { name: `bench ${i}` },
      autonomous_operation: {
        work_cycle: { break_between_cycles_minutes: 0, max_cycles_per_hour: 100_000 },
        max_iterations_per_day: 100_000,
      },
      task_queue: {
        high_priority: [{ task_id: 'TASK_001', description: 'never done: the bench measures the machine', requirements: ['REQ-001'] }],
      },
      requirements: [{ id: 'REQ-001', text: 'never covered' }],
      agent: { type: 'command', command: [process.execPath, NOOP] },
      // The gates the preflight refuses unconfigured are switched off (waived): the bench measures the machine.
      gates: { tests: { command: [process.execPath, GATE_WORK] }, ...OFF },
    }),
  );
  await commitAll(dir, 'bench');
  return dir;
}

async function fleet(slots: number): Promise<Fleet> {
  const root = await mkdtemp(join(tmpdir(), 'goldloop-bench-fleet-'));
  const saved = { slots: process.env.GOLDLOOP_GATE_SLOTS, state: process.env.GOLDLOOP_STATE_DIR };
  process.env.GOLDLOOP_GATE_SLOTS = String(slots);
  process.env.GOLDLOOP_STATE_DIR = join(root, 'state');
  const supervisor = await openSupervisor({ configDir: join(root, 'config'), overrides: { breakMs: 0, maxIterations: CYCLES } });
  const server = await startServer({ supervisor, port: 0, staticDir: root });
  const emitted = new Map<string, number[]>();
  const delays: number[] = [];
  const ended = new Set<string>();
  let allEnded!: () => void;
  const done = new Promise<void>((resolve) => (allEnded = resolve));
  supervisor.on((event) => {
    const key = JSON.stringify(event);
    emitted.set(key, [...(emitted.get(key) ?? []), performance.now()]);
    if (event.type === 'state' && ['paused', 'error', 'complete', 'stopped'].includes(event.state.state)) {
      ended.add(event.project_id);
      if (ended.size === PROJECTS) allEnded();
    }
  });
  const token = new URL(server.url).searchParams.get('token')!;
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws').replace(/\/\?.*$/, '')}/api/events`, {
    headers: { Authorization: `Bearer ${token}`, Origin: new URL(server.url).origin },
  });
  socket.on('message', (data) => {
    const at = performance.now();
    for (const event of JSON.parse(String(data)) as ApiEvent[]) {
      const sent = emitted.get(JSON.stringify(event))?.shift();
      if (sent !== undefined) delays.push(at - sent);
    }
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  // The yardstick's own memory is not Goldloop's: the sampler leaves it out.
  const yardstick = idleLag();
  const sampler = treePeak(yardstick.pid);
  let sampled = false;
  try {
    const ids: string[] = [];
    for (let i = 0; i < PROJECTS; i++) ids.push((await supervisor.api.addProject({ path: await project(root, i) })).project.id);
    lag.enable();
    yardstick.reset();
    const started = performance.now();
    const cpuBefore = cpuSoFar();
    await Promise.all(ids.map((project_id) => supervisor.api.start({ project_id })));
    await done;
    const wallMs = performance.now() - started;
    const cpuAfter = cpuSoFar();
    lag.disable();
    const idleLagP99 = await yardstick.stop();
    const peak = await sampler.stop();
    sampled = true;
    return {
      wallMs,
      ...(peak !== undefined ? { peakMiB: peak } : {}),
      eventP95: quantile(delays, 0.95),
      lagP99: lag.percentile(99) / 1e6,
      idleLagP99,
      ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuSeconds: cpuAfter - cpuBefore } : {}),
    };
  } finally {
    if (!sampled) await Promise.all([sampler.stop(), yardstick.stop()]);
    socket.close();
    await server.close();
    await supervisor.close();
    for (const [name, value] of [
      ['GOLDLOOP_GATE_SLOTS', saved.slots],
      ['GOLDLOOP_STATE_DIR', saved.state],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    await rm(root, { recursive: true, force: true });
  }
}

const cores = availableParallelism();
// BENCH_FLEET=scheduler runs the scheduler's fleet alone (to profile the supervisor, say).
/** Two runs of one way as one figure: walls and CPU added, the worse peak, delay and lag. */
function both(a: Fleet, b: Fleet): Fleet & { walls: number[] } {
  const worse = (x: number | undefined, y: number | undefined): number | undefined =>
    x === undefined || y === undefined ? undefined : Math.max(x, y);
  const peakMiB = worse(a.peakMiB, b.peakMiB);
  const cpuSeconds = a.cpuSeconds === undefined || b.cpuSeconds === undefined ? undefined : a.cpuSeconds + b.cpuSeconds;
  return {
    wallMs: a.wallMs + b.wallMs,
    walls: [a.wallMs, b.wallMs],
    eventP95: Math.max(a.eventP95, b.eventP95),
    lagP99: Math.max(a.lagP99, b.lagP99),
    idleLagP99: Math.max(a.idleLagP99, b.idleLagP99),
    ...(peakMiB !== undefined ? { peakMiB } : {}),
    ...(cpuSeconds !== undefined ? { cpuSeconds } : {}),
  };
}

let all: (Fleet & { walls: number[] }) | undefined;
let scheduled: Fleet & { walls: number[] };
if (process.env.BENCH_FLEET === 'scheduler') {
  const once = await fleet(cores);
  scheduled = { ...once, walls: [once.wallMs] };
} else {
  const first = await fleet(PROJECTS);
  const second = await fleet(cores);
  const third = await fleet(cores);
  all = both(first, await fleet(PROJECTS));
  scheduled = both(second, third);
}
const rows: { name: string; value: string; target: string; ok?: boolean }[] = [];
const mib = (n: number | undefined): string => (n === undefined ? '— (Linux only)' : `${n.toFixed(0)} MiB`);
const s = (n: number): string => `${(n / 1000).toFixed(1)} s`;
const walls = (f: { walls: number[] }): string => (f.walls.length > 1 ? ` (${f.walls.map(s).join(' + ')})` : '');
const cpu = (n: number | undefined): string => (n === undefined ? '—' : `${n.toFixed(1)} s`);
if (all) {
  rows.push({
    name: `${PROJECTS} projects x ${CYCLES} cycles, every gate phase at once, twice: wall${walls(all)}`,
    value: s(all.wallMs),
    target: '',
  });
  rows.push({ name: `  with the gate scheduler (${cores} slots), twice: wall${walls(scheduled)}`, value: s(scheduled.wallMs), target: '' });
  rows.push({
    name: '  scheduler / all at once, wall',
    value: (scheduled.wallMs / all.wallMs).toFixed(2),
    target: '<= 1.05',
    ok: scheduled.wallMs / all.wallMs <= 1.05,
  });
  rows.push({ name: '  peak memory, all at once', value: mib(all.peakMiB), target: '' });
  rows.push({
    name: '  CPU time, Goldloop and every process it ran: all at once / with the scheduler',
    value: `${cpu(all.cpuSeconds)} / ${cpu(scheduled.cpuSeconds)}`,
    target: '(informational)',
  });
  rows.push({
    name: '  peak memory, with the scheduler',
    value: mib(scheduled.peakMiB),
    target: 'far below',
    ok: scheduled.peakMiB === undefined || all.peakMiB === undefined || scheduled.peakMiB < all.peakMiB * 0.75,
  });
} else {
  rows.push({
    name: `${PROJECTS} projects x ${CYCLES} cycles with the gate scheduler (${cores} slots): wall`,
    value: s(scheduled.wallMs),
    target: '',
  });
  rows.push({ name: '  peak memory, with the scheduler', value: mib(scheduled.peakMiB), target: '' });
  rows.push({ name: '  CPU time, Goldloop and every process it ran', value: cpu(scheduled.cpuSeconds), target: '(informational)' });
}
rows.push({
  name: '  engine event -> dashboard socket, p95 (scheduler)',
  value: `${scheduled.eventP95.toFixed(0)} ms`,
  target: '< 200 ms',
  ok: scheduled.eventP95 < 200,
});
rows.push({
  name: '  supervisor event-loop lag, p99 (scheduler)',
  value: `${scheduled.lagP99.toFixed(1)} ms`,
  target: '< 50 ms',
  ok: scheduled.lagP99 < 50,
});
rows.push({
  name: '  an idle Node process beside it, event-loop lag p99 (what the machine alone adds)',
  value: `${scheduled.idleLagP99.toFixed(1)} ms`,
  target: '(informational)',
});
if (all) {
  rows.push({
    name: '  event p95 / lag p99 / idle process lag p99, all at once',
    value: `${all.eventP95.toFixed(0)} / ${all.lagP99.toFixed(1)} / ${all.idleLagP99.toFixed(1)} ms`,
    target: '(informational)',
  });
}

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`\nMany projects on one machine — ${cores} cores, load average ${loadavg()[0]!.toFixed(2)}\n`);
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${r.value.padStart(14)}  ${r.target.padEnd(16)} ${r.ok === undefined ? '' : r.ok ? 'met' : 'MISSED'}`,
  );
