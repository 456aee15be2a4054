// What Goldloop costs while it waits (Linux: /proc), each over IDLE_SECONDS (default 60):
//  1. `goldloop run` on a break between cycles (target: < 60 MiB RSS, < 0.5% of one core), the
//     process the user started and everything under it;
//  2. `goldloop run` waiting for a usage limit (same targets);
//  3. `goldloop serve` with 20 idle projects (target: < 120 MiB RSS; its CPU is shown).
// The processes are the real command from its bundle, as an installed one runs. Run alone with
// `node bin/tsx.js bench/idle.ts`; `npm run bench` runs it at its end.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree } from './proc-tree.mjs';
import { commitAll, initRepository } from '../electron/platform/git.ts';
import { saveKb } from '../electron/store/kb/kb-file.ts';
import { KbSchema } from '../electron/store/kb/schema.ts';
import { openSupervisor } from '../electron/server/supervisor.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
const NOOP = fileURLToPath(new URL('./noop.mjs', import.meta.url));
const SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const OFF = Object.fromEntries(['mutation', 'security', 'performance', 'build'].map((g) => [g, { enabled: false }]));
const rows: { name: string; value: string; target: string; ok?: boolean }[] = [];

/** CPU seconds used so far and resident MiB now, summed over the process's tree (`goldloop run` waits in the process the user started, its engine process gone). */
function sample(root: number): { cpu: number; rssMiB: number; processes: number } {
  const tree = processTree(root);
  return {
    cpu: tree.reduce((sum, p) => sum + p.cpuSeconds, 0),
    rssMiB: tree.reduce((sum, p) => sum + p.rssMiB, 0),
    processes: tree.length,
  };
}

/** Watches `pid` and its tree for SECONDS: the peak RSS, the share of one core used, and the most processes seen. */
async function watchIdle(pid: number): Promise<{ rssMiB: number; cpuPct: number; processes: number }> {
  // The engine process of `goldloop run` may still be on its way out when the wait is announced.
  for (let i = 0; i < 100 && sample(pid).processes > 1; i++) await new Promise((r) => setTimeout(r, 100));
  const first = sample(pid);
  let peak = first.rssMiB;
  let processes = first.processes;
  const started = performance.now();
  for (let i = 0; i < SECONDS; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = sample(pid);
    peak = Math.max(peak, now.rssMiB);
    processes = Math.max(processes, now.processes);
  }
  const wall = (performance.now() - started) / 1000;
  // CPU of processes that ended meanwhile is not counted; none should.
  return { rssMiB: peak, cpuPct: Math.max(0, ((sample(pid).cpu - first.cpu) / wall) * 100), processes };
}

/** Starts `goldloop <args>` and resolves once a line of its plain output matches `ready`. */
function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve(child);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`goldloop ${args[0]} ended (exit ${code}) before it waited:\n${seen.slice(-2000)}`)));
  });
}

async function project(dir: string, agent: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await initRepository(dir);
  await saveKb(
    dir,
    KbSchema.parse({
      task_queue: {
        high_priority: [{ task_id: 'TASK_001', description: 'never done: the bench watches the waits', requirements: ['REQ-001'] }],
      },
      requirements: [{ id: 'REQ-001', text: 'never covered' }],
      agent: { type: 'command', command: agent },
      // The gates the preflight refuses unconfigured are switched off (waived): the bench measures the waits.
      gates: { tests: { command: [process.execPath, NOOP] }, ...OFF },
    }),
  );
  await commitAll(dir, 'bench');
}

function row(name: string, r: { rssMiB: number; cpuPct: number; processes: number }, rssTarget: number, cpuTarget?: number): void {
  rows.push({
    name: `${name}: peak RSS (${r.processes === 1 ? 'one process' : `${r.processes} processes`})`,
    value: `${r.rssMiB.toFixed(1)} MiB`,
    target: `< ${rssTarget} MiB`,
    ok: r.rssMiB < rssTarget,
  });
  rows.push({
    name: `${name}: CPU over ${SECONDS} s`,
    value: `${r.cpuPct.toFixed(2)}% of a core`,
    target: cpuTarget === undefined ? '(informational)' : `< ${cpuTarget}%`,
    ...(cpuTarget === undefined ? {} : { ok: r.cpuPct < cpuTarget }),
  });
}

async function waits(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'goldloop-bench-idle-'));
  const env: NodeJS.ProcessEnv = { ...process.env, GOLDLOOP_STATE_DIR: join(work, 'state'), GOLDLOOP_CONFIG_DIR: join(work, 'config') };
  const running: ChildProcess[] = [];
  try {
    const onBreak = join(work, 'break');
    await project(onBreak, [process.execPath, NOOP]);
    running.push(await start(['run', onBreak, '--break', '30m', '--plain', '--no-notify'], env, /ON A BREAK/));
    const handedOff = await watchIdle(running.at(-1)!.pid!);
    row('`goldloop run` on a break', handedOff, 60, 0.5);
    running.pop()!.kill('SIGINT');
    // Side by side: the same wait with the whole run in one process, as before the host waited alone.
    const oneProcess = join(work, 'one-process');
    await project(oneProcess, [process.execPath, NOOP]);
    running.push(
      await start(['run', oneProcess, '--break', '30m', '--plain', '--no-notify'], { ...env, GOLDLOOP_RUN_HAND_OFF: 'off' }, /ON A BREAK/),
    );
    const whole = await watchIdle(running.at(-1)!.pid!);
    rows.push({
      name: '  the same with the engine kept loaded (GOLDLOOP_RUN_HAND_OFF=off): peak RSS',
      value: `${whole.rssMiB.toFixed(1)} MiB`,
      target: `ratio ${(handedOff.rssMiB / whole.rssMiB).toFixed(2)}`,
    });

    // A `claude` on PATH that answers as Claude Code does when the plan's usage limit is reached.
    const limited = join(work, 'limit');
    const bin = join(work, 'bin');
    await mkdir(bin);
    const resetAt = Math.floor(Date.now() / 1000) + 7200;
    const result = {
      type: 'result',
      subtype: 'success',
      is_error: true,
      result: `Claude AI usage limit reached|${resetAt}`,
      session_id: 'bench',
    };
    await writeFile(
      join(bin, 'claude'),
      `#!${process.execPath}\nconsole.log(${JSON.stringify(JSON.stringify(result))});\nprocess.exit(1);\n`,
      {
        mode: 0o755,
      },
    );
    await project(limited, [process.execPath, NOOP]);
    const withClaude = { ...env, PATH: `${bin}:${env.PATH}` };
    running.push(
      await start(['run', limited, '--agent', 'claude-code', '--plain', '--no-notify'], withClaude, /WAITING FOR THE USAGE LIMIT/),
    );
    row('`goldloop run` waiting for a usage limit', await watchIdle(running.at(-1)!.pid!), 60, 0.5);
    for (const child of running.splice(0)) child.kill('SIGINT');

    // 20 projects in the registry, none running.
    const supervisor = await openSupervisor({ configDir: env.GOLDLOOP_CONFIG_DIR });
    for (let i = 0; i < 20; i++) {
      const dir = join(work, `served-${i}`);
      await project(dir, [process.execPath, NOOP]);
      await supervisor.api.addProject({ path: dir });
    }
    await supervisor.close();
    running.push(await start(['serve', '--port', '0'], env, /\?token=/));
    row('`goldloop serve`, 20 idle projects', await watchIdle(running.at(-1)!.pid!), 120);
  } finally {
    for (const child of running) child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 1000));
    await rm(work, { recursive: true, force: true });
  }
}

if (process.platform !== 'linux') {
  rows.push({ name: 'idle cost (skipped: it reads /proc, Linux only)', value: '—', target: '' });
} else {
  await waits();
}
const width = Math.max(...rows.map((r) => r.name.length));
console.log(`\nWhile Goldloop waits — ${SECONDS} s each\n`);
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${r.value.padStart(18)}  ${r.target.padEnd(16)} ${r.ok === undefined ? '' : r.ok ? 'met' : 'MISSED'}`,
  );
