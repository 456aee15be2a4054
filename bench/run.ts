// `npm run bench`: figures measured side by side in one run, with their targets.
//  1. The loop's own overhead per cycle against a plain shell loop running the same no-op agent
//     and gate commands (target: ratio <= 1.2).
//  2. Knowledge-base operations on a KB of 10,000 tasks: load + validate (< 100 ms), task
//     selection (< 5 ms), atomic save (< 50 ms).
//  3. The gate phase against a plain shell starting the same processes on the same schedule
//     (target: <= 1.05), with what bounds it: the same gates one after another, the phase without
//     the gate sandbox (agent.sandbox off), the gate commands run side by side by a plain shell
//     against the slowest alone, each gate's wall and CPU time alone, and the CPU the whole phase
//     uses (Linux: CPU from /proc; counted without the gate sandbox, whose PID namespace keeps its
//     processes' CPU time from their parent). The demo's mutation gate is off there: it runs after the
//     others, not beside them.
//  4. The sandbox: the same no-op agent run by the agent runner inside the OS sandbox and without
//     it (agent.sandbox off), in turns; the difference is what the sandbox adds to each cycle
//     (target: < 100 ms).
//  5. The mutation gate: StrykerJS over all the demo's code at gold (target: under a minute).
// Then bench/dashboard.ts, bench/dashboard-load.ts, bench/cli-start.ts, bench/many-projects.ts and bench/idle.ts, each with its own table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine } from '../electron/cli/render.ts';
import { commandAdapter } from '../electron/engine/agents/command.ts';
import { createDemoProject, DEMO_AGENT } from '../electron/engine/demo/project.ts';
import type { Measurement } from '../electron/engine/gates/measurement.ts';
import { measureGates } from '../electron/engine/gates/phase.ts';
import { adapterRunner } from '../electron/engine/agents/runner.ts';
import { sandboxName } from '../electron/contract/sandbox.ts';
import { detectSandbox } from '../electron/platform/sandbox.ts';
import { initRepository, commitAll } from '../electron/platform/git.ts';
import { KbSchema, type Kb, type KbInput } from '../electron/store/kb/schema.ts';
import { loadKb, saveKb } from '../electron/store/kb/kb-file.ts';
import { ProjectLoop } from '../electron/engine/loop/project-loop.ts';
import { selectNext } from '../electron/engine/tasks/queue.ts';
import { bigKb } from '../test/helpers/big-kb.ts';
import { recordSpawns, replay, replayScript, type Spawned } from './replay.ts';

const NOOP = fileURLToPath(new URL('./noop.mjs', import.meta.url));
const CYCLES = Number(process.env.BENCH_CYCLES ?? 20);
const rows: { name: string; value: string; target: string; ok: boolean }[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function loopPerCycle(git: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-bench-'));
  try {
    const kb: KbInput = {
      autonomous_operation: {
        work_cycle: { duration_minutes: 15, break_between_cycles_minutes: 0, max_cycles_per_hour: 100_000 },
        max_iterations_per_day: 100_000,
      },
      task_queue: {
        high_priority: [{ task_id: 'TASK_001', description: 'never done: the bench measures the loop', requirements: ['REQ-001'] }],
      },
      requirements: [{ id: 'REQ-001', text: 'never covered' }],
      gates: { tests: { command: [process.execPath, NOOP] } },
    };
    await saveKb(dir, KbSchema.parse(kb));
    if (git) {
      await initRepository(dir);
      await commitAll(dir, 'bench');
    }
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: adapterRunner(commandAdapter([process.execPath, NOOP])),
      git,
      overrides: { breakMs: 0, maxIterations: CYCLES },
    });
    const started = performance.now();
    const end = await loop.run();
    if (end.pause_reason !== 'max_iterations') throw new Error(`bench loop ended ${end.state}: ${end.message}`);
    // One gate run (the baseline) happens before the first cycle.
    return (performance.now() - started) / CYCLES;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function shellPerCycle(): number {
  const script = `for i in $(seq 1 ${CYCLES + 1}); do echo prompt | "$1" "$2"; "$1" "$2" </dev/null; done`;
  const started = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bench', process.execPath, NOOP], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('shell loop failed');
  return (performance.now() - started) / CYCLES;
}

async function kbFigures(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-bench-kb-'));
  try {
    const kb = KbSchema.parse(bigKb(10_000));
    await saveKb(dir, kb);
    const load: number[] = [];
    const select: number[] = [];
    const save: number[] = [];
    for (let i = 0; i < 7; i++) {
      let t = performance.now();
      const loaded = await loadKb(dir);
      load.push(performance.now() - t);
      t = performance.now();
      selectNext(loaded, { uncoveredRequirements: [], failingGates: [] });
      select.push(performance.now() - t);
      loaded.autonomous_operation.current_iteration += 1;
      t = performance.now();
      await saveKb(dir, loaded);
      save.push(performance.now() - t);
    }
    rows.push({
      name: 'KB load + validate, 10,000 tasks (median of 7)',
      value: ms(median(load)),
      target: '< 100 ms',
      ok: median(load) < 100,
    });
    rows.push({ name: 'task selection, 10,000 tasks (median of 7)', value: ms(median(select)), target: '< 5 ms', ok: median(select) < 5 });
    rows.push({ name: 'atomic save, 10,000 tasks (median of 7)', value: ms(median(save)), target: '< 50 ms', ok: median(save) < 50 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * CPU time used so far by this process and by the child processes it has waited for (their own
 * children included), in ms. Linux only: /proc/self/stat counts in clock ticks of 10 ms.
 */
function cpuSoFar(): { self: number; children: number } | undefined {
  if (process.platform !== 'linux') return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const { user, system } = process.cpuUsage();
  return { self: (user + system) / 1000, children: (Number(fields[13]) + Number(fields[14])) * 10 };
}

/** CPU time the whole machine spent busy so far, in ms (Linux: /proc/stat, all cores). */
function machineBusy(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = ticks[3]! + ticks[4]!;
  return (ticks.reduce((a, b) => a + b, 0) - idle) * 10;
}

const GATE_COMMANDS = ['tests', 'security', 'performance', 'build'] as const;
/** Rounds of the gate phase: each round's ratio on 2 cores spreads over ±0.15, so the median needs many. */
const GATE_ROUNDS = 21;

/** Each command gate of the demo alone (the others off): its wall time and, on Linux, its CPU time. */
async function singleGates(dir: string, kb: Kb): Promise<{ id: string; wall: number; cpu?: number }[]> {
  const out: { id: string; wall: number; cpu?: number }[] = [];
  for (const id of GATE_COMMANDS.filter((g) => kb.gates[g]?.enabled)) {
    const only: Kb = structuredClone(kb);
    for (const other of GATE_COMMANDS) if (other !== id && only.gates[other]) only.gates[other].enabled = false;
    only.gates.docs.enabled = false;
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = cpuSoFar();
      const m = await measureGates({ projectDir: dir, kb: only, label: `bench-${id}-${i}`, sequential: true });
      const after = cpuSoFar();
      walls.push(m.timings?.[id] ?? m.durationMs);
      if (before && after) cpus.push(after.children - before.children);
    }
    out.push({ id, wall: median(walls), ...(cpus.length ? { cpu: median(cpus) } : {}) });
  }
  return out;
}

/**
 * The demo's gate commands run by a plain shell, with no Goldloop around them: the first (the
 * slowest) alone, every one at once (`a & b & c & wait`), or the first with the others one after
 * another beside it, as the gate phase runs them (`a & (b; c) & wait`). What `turns` takes over
 * what `alone` takes is what the machine itself charges for running those processes side by side.
 */
function shellGates(dir: string, kb: Kb, order: string[], how: 'alone' | 'all' | 'turns'): number {
  const reports = mkdtempSync(join(tmpdir(), 'goldloop-bench-shell-'));
  try {
    const lines = order.map(
      (id) =>
        commandLine(kb.gates[id as (typeof GATE_COMMANDS)[number]]!.command!.map((a) => a.replaceAll('{reports}', reports))) +
        ' >/dev/null 2>&1',
    );
    const [first, ...rest] = lines;
    const script = how === 'alone' ? first! : how === 'turns' ? `${first} & (${rest.join('; ')}) & wait` : `${lines.join(' & ')} & wait`;
    const started = performance.now();
    const r = spawnSync('sh', ['-c', script], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' },
    });
    if (r.status !== 0) throw new Error(`the plain-shell gate run failed: ${script}`);
    return performance.now() - started;
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

/**
 * The gate phase on the demo project at gold: all gates together against one after another, and
 * against the same commands started by a plain shell. Each round runs the four in a new order,
 * so a slow spell of the machine does not land on one of them only.
 */
async function gateFigures(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-bench-gates-'));
  try {
    await createDemoProject(dir, { mutation: false });
    process.env.GOLDLOOP_DEMO_PACE_MS = '0';
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: adapterRunner(commandAdapter([process.execPath, DEMO_AGENT])),
      overrides: { breakMs: 0 },
    });
    if ((await loop.run()).state !== 'complete') throw new Error('the demo did not reach gold');
    const kb = await loadKb(dir);
    const order = (await measureGates({ projectDir: dir, kb, label: 'bench-warm-up' })).order ?? [];
    const walls: number[] = [];
    const sums: number[] = [];
    const slowest: number[] = [];
    const ratios: number[] = [];
    const shell = { alone: [] as number[], all: [] as number[], turns: [] as number[] };
    const phaseCpu: number[] = [];
    const selfCpu: number[] = [];
    const replays: number[] = [];
    // The same phase with the gate sandbox off (agent.sandbox: "off"), for what the sandbox adds.
    const unboxed: number[] = [];
    const kbOff: typeof kb = { ...kb, agent: { ...kb.agent!, sandbox: 'off' } };
    let spawned: Spawned[] = [];
    // The CPU other programs used while the unboxed phases ran.
    const unboxedBusy = { others: 0, wall: 0 };
    for (let i = 0; i < GATE_ROUNDS; i++) {
      let together: Measurement | undefined;
      let apart: Measurement | undefined;
      const runs: (() => Promise<void>)[] = [
        async () => {
          const recorded = recordSpawns();
          try {
            together = await measureGates({ projectDir: dir, kb, label: `bench-p${i}` });
          } finally {
            spawned = recorded();
          }
          // Right after it, while its evidence folder is there: the same processes from a plain shell.
          replays.push(replay(replayScript(spawned)));
        },
        async () => {
          apart = await measureGates({ projectDir: dir, kb, label: `bench-s${i}`, sequential: true });
        },
        // CPU is counted on this one: the processes in a gate sandbox run in a PID namespace of their own, whose
        // first process does not wait for them, so their CPU time never reaches this process's children's.
        async () => {
          const before = { at: performance.now(), busy: machineBusy(), ours: cpuSoFar() };
          unboxed.push((await measureGates({ projectDir: dir, kb: kbOff, label: `bench-u${i}` })).durationMs);
          const after = { at: performance.now(), busy: machineBusy(), ours: cpuSoFar() };
          if (!before.ours || !after.ours) return;
          const ours = after.ours.self - before.ours.self + after.ours.children - before.ours.children;
          phaseCpu.push(ours);
          selfCpu.push(after.ours.self - before.ours.self);
          if (before.busy !== undefined && after.busy !== undefined) {
            unboxedBusy.others += Math.max(0, after.busy - before.busy - ours);
            unboxedBusy.wall += after.at - before.at;
          }
        },
        ...(['alone', 'all', 'turns'] as const).map((how) => async () => void shell[how].push(shellGates(dir, kb, order, how))),
      ];
      for (let k = 0; k < runs.length; k++) await runs[(i + k) % runs.length]!();
      walls.push(together!.durationMs);
      sums.push(apart!.durationMs);
      slowest.push(Math.max(...Object.values(apart!.timings ?? {})));
      ratios.push(together!.durationMs / slowest.at(-1)!);
    }
    const wall = median(walls);
    const one = median(slowest);
    const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    rows.push({
      name: `gate phase, demo project, gates one after another (median of ${GATE_ROUNDS})`,
      value: ms(median(sums)),
      target: '(reference)',
      ok: true,
    });
    rows.push({ name: `gate phase, the same gates together (median of ${GATE_ROUNDS})`, value: ms(wall), target: '', ok: true });
    rows.push({ name: `slowest single gate (median of ${GATE_ROUNDS})`, value: ms(one), target: '', ok: true });
    // The target, against the machine itself: a plain shell starting the processes the phase
    // started, on the same schedule, right after it in each round (bench/replay.ts).
    const shellSame = median(replays);
    rows.push({
      name: `  a plain shell, the same ${spawned.length} processes on the same schedule (median of ${GATE_ROUNDS})`,
      value: ms(shellSame),
      target: '',
      ok: true,
    });
    rows.push({
      name: `gate phase / the plain shell's (each round: ${spread(walls.map((w, i) => w / replays[i]!))})`,
      value: (wall / shellSame).toFixed(2),
      target: '<= 1.05',
      ok: wall / shellSame <= 1.05,
    });
    if (detectSandbox().status.kind === 'bubblewrap') {
      rows.push({
        name: `  the same phase without the gate sandbox (agent.sandbox off; median of ${GATE_ROUNDS})`,
        value: ms(median(unboxed)),
        target: '(informational)',
        ok: true,
      });
      rows.push({
        name: `  what the gate sandbox adds per phase (median of the rounds' differences)`,
        value: ms(median(walls.map((w, k) => w - unboxed[k]!))),
        target: '(informational)',
        ok: true,
      });
    }
    rows.push({
      name: `  gate phase / slowest single gate (each round: ${spread(ratios)})`,
      value: (wall / one).toFixed(2),
      target: '(informational)',
      ok: true,
    });
    // What the machine charges for running the same processes side by side, with no Goldloop at all.
    const bare = (xs: number[]): string => (median(xs) / median(shell.alone)).toFixed(2);
    const bareSpread = (xs: number[]): string => spread(xs.map((x, i) => x / shell.alone[i]!));
    rows.push({
      name: `  plain shell, every gate command at once / the slowest alone (each round: ${bareSpread(shell.all)})`,
      value: bare(shell.all),
      target: '(informational)',
      ok: true,
    });
    rows.push({
      name: `  plain shell, the slowest beside the others in turn / it alone (${bareSpread(shell.turns)})`,
      value: bare(shell.turns),
      target: '(informational)',
      ok: true,
    });
    for (const g of await singleGates(dir, kbOff)) {
      rows.push({
        name: `  ${g.id} gate alone, no gate sandbox: wall${g.cpu === undefined ? '' : ' / CPU'} (median of 5)`,
        value: `${g.wall}${g.cpu === undefined ? '' : ` / ${g.cpu}`} ms`,
        target: '(informational)',
        ok: true,
      });
    }
    const cores = availableParallelism();
    if (unboxedBusy.wall > 0) {
      // Figures taken while other programs compete for the cores say less: this shows how much they did.
      const others = unboxedBusy.others / (cores * unboxedBusy.wall);
      rows.push({
        name: '  CPU used by other programs meanwhile (share of every core, during the phases without the gate sandbox)',
        value: `${Math.round(others * 100)}%`,
        target: '(informational)',
        ok: true,
      });
    }
    if (phaseCpu.length) {
      rows.push({
        name: `  CPU time of the phase without the gate sandbox, gate processes + Goldloop (of which Goldloop's process), on ${cores} core(s)`,
        value: `${median(phaseCpu).toFixed(0)} (${median(selfCpu).toFixed(0)}) ms`,
        target: '(informational)',
        ok: true,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The demo's mutation gate at gold: StrykerJS over all its code, as every gold candidate runs it. */
async function mutationFigure(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-bench-mutation-'));
  try {
    await createDemoProject(dir);
    process.env.GOLDLOOP_DEMO_PACE_MS = '0';
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: adapterRunner(commandAdapter([process.execPath, DEMO_AGENT])),
      overrides: { breakMs: 0 },
    });
    if ((await loop.run()).state !== 'complete') throw new Error('the demo did not reach gold with its mutation gate');
    const kb = await loadKb(dir);
    const walls: number[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await measureGates({ projectDir: dir, kb, label: `bench-mutation-${i}` });
      if (!m.mutation || 'skipped' in m.mutation || m.mutation.scope.kind !== 'all')
        throw new Error('the mutation gate did not mutate all the code');
      walls.push(m.mutation.result.durationMs);
    }
    rows.push({
      name: 'mutation gate, StrykerJS over all the demo code at gold (median of 3)',
      value: ms(median(walls)),
      target: '< 60000 ms',
      ok: median(walls) < 60_000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rounds of the sandbox figure: one agent run each way per round. */
const SANDBOX_ROUNDS = 21;

/**
 * What the sandbox adds to a cycle: the agent runner starting the no-op agent in a project (a git
 * repository with its .goldloop folder) inside the sandbox, and without it, in turns. Each run
 * includes what the runner does around the program: the policy (paths resolved, folders made), the
 * wrapping, and without a PID namespace the search for leftovers by their marker.
 */
async function sandboxFigures(): Promise<void> {
  const sandbox = detectSandbox().status;
  if (sandbox.kind === 'none') {
    rows.push({ name: `agent in the sandbox: none runs here (${sandbox.why})`, value: '—', target: '< 100 ms', ok: false });
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-bench-sandbox-'));
  try {
    await initRepository(dir);
    await mkdir(join(dir, '.goldloop'));
    const ctx = { options: { prompt: 'bench', promptFile: join(dir, '.goldloop', 'prompt.md'), cwd: dir }, timeoutMs: 60_000 };
    const agent = commandAdapter([process.execPath, NOOP]);
    const runs = { inside: adapterRunner(agent, {}, 'auto'), outside: adapterRunner(agent, {}, 'off') };
    const times = { inside: [] as number[], outside: [] as number[] };
    for (let i = 0; i < SANDBOX_ROUNDS; i++) {
      for (const side of i % 2 ? (['inside', 'outside'] as const) : (['outside', 'inside'] as const)) {
        const started = performance.now();
        const outcome = await runs[side](ctx);
        if (outcome.exitCode !== 0)
          throw new Error(`the no-op agent failed ${side} the sandbox: ${outcome.spawnError ?? outcome.stderrTail.join(' ')}`);
        times[side].push(performance.now() - started);
      }
    }
    const cost = median(times.inside.map((t, i) => t - times.outside[i]!));
    rows.push({
      name: `agent run without a sandbox (no-op agent; median of ${SANDBOX_ROUNDS})`,
      value: ms(median(times.outside)),
      target: '(reference)',
      ok: true,
    });
    rows.push({
      name: `agent run in ${sandboxName(sandbox)} (same agent, in turns)`,
      value: ms(median(times.inside)),
      target: '',
      ok: true,
    });
    rows.push({
      name: 'what the sandbox adds per cycle (median of the rounds’ differences)',
      value: ms(cost),
      target: '< 100 ms',
      ok: cost < 100,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The loop against a plain shell loop. Shell and Goldloop take turns, round by round, so a burst
 * of other work on the machine lands on both sides; the medians are compared, and each round's
 * ratio is shown for the spread.
 */
async function loopFigures(): Promise<void> {
  const LOOP_ROUNDS = 5;
  const shells: number[] = [];
  const loops: number[] = [];
  for (let round = 0; round < LOOP_ROUNDS; round++) {
    shells.push(shellPerCycle());
    loops.push(await loopPerCycle(false));
  }
  const shell = median(shells);
  const loop = median(loops);
  const loopRatios = loops.map((l, i) => l / shells[i]!);
  const loopGit = await loopPerCycle(true);
  rows.push({
    name: `plain shell loop, per cycle (${CYCLES} cycles: no-op agent + no-op gate; median of ${LOOP_ROUNDS})`,
    value: ms(shell),
    target: '(reference)',
    ok: true,
  });
  rows.push({ name: `Goldloop loop, per cycle (same commands, no git; median of ${LOOP_ROUNDS})`, value: ms(loop), target: '', ok: true });
  rows.push({
    name: `overhead ratio Goldloop / shell (each round: ${Math.min(...loopRatios).toFixed(2)}–${Math.max(...loopRatios).toFixed(2)})`,
    value: (loop / shell).toFixed(2),
    target: '<= 1.2',
    ok: loop / shell <= 1.2,
  });
  rows.push({ name: 'Goldloop loop with git checkpoints, per cycle', value: ms(loopGit), target: '(informational)', ok: true });
  rows.push({ name: 'ratio with git checkpoints / shell', value: (loopGit / shell).toFixed(2), target: '(informational)', ok: true });
}

// BENCH_ONLY=<name>[,<name>...] runs those parts alone: loop, kb, sandbox, gates, mutation, dashboard,
// dashboard-load, cli-start, many-projects, idle.
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const runs = (part: string): boolean => only.size === 0 || only.has(part);
if (runs('loop')) await loopFigures();
if (runs('kb')) await kbFigures();
if (runs('sandbox')) await sandboxFigures();
if (runs('gates')) await gateFigures();
if (runs('mutation')) await mutationFigure();

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`Goldloop bench — node ${process.version}, ${new Date().toISOString()}\n`);
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${r.value.padStart(10)}  ${r.target.padEnd(16)} ${r.target.startsWith('(') || !r.target ? '' : r.ok ? 'met' : 'MISSED'}`,
  );

// The dashboard's bundle size and first render (bench/dashboard.ts prints its own table).
if (runs('dashboard')) await import('./dashboard.ts');
// A project of 10,000 tasks and 1,000 cycles opened in the dashboard (bench/dashboard-load.ts prints its own table).
if (runs('dashboard-load')) await import('./dashboard-load.ts');
// How fast the command starts (bench/cli-start.ts prints its own table).
if (runs('cli-start')) await import('./cli-start.ts');
// Twenty projects under one supervisor, with the gate scheduler and without (bench/many-projects.ts prints its own table).
if (runs('many-projects')) await import('./many-projects.ts');
// What Goldloop costs while it waits (bench/idle.ts prints its own table).
if (runs('idle')) await import('./idle.ts');
