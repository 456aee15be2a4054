// `npm run torture`: Goldloop against the worst a night can bring, repeated, with counts. Not part
// of `npm test` (it takes minutes and kills processes on purpose). Three parts:
//  1. kill -9: `goldloop run` on the demo project, killed (its pid, or its whole process group)
//     at a random moment, then run again until gold. Counted: processes of the project still
//     running after the kill, and after the next run started; KB, run state and history lines
//     that do not read back; projects that resumed to gold.
//  2. hostile knowledge bases: `goldloop status` on each. Counted: a clear message (the file, no
//     stack trace) within the time limit, against a crash, a hang or a stack trace.
//  3. abusive agents (test/fixtures/agents): one `goldloop run` cycle each. Counted: runs that
//     ended on their own with a state, no stack trace, and no control sequence in the output.
// Options (environment): TORTURE_KILLS (default 20), TORTURE_SEED (default: the time).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoProject } from '../electron/engine/demo/project.ts';
import { parseHistoryLine } from '../electron/store/history.ts';
import { parseKb } from '../electron/store/kb/kb-file.ts';
import { stateFolder } from '../electron/store/state-folder.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
const AGENTS = join(ROOT, 'test', 'fixtures', 'agents');
const KILLS = Number(process.env.TORTURE_KILLS ?? 20);
let seed = Number(process.env.TORTURE_SEED ?? Date.now() % 1_000_000);
const firstSeed = seed;
/** A small deterministic generator, so a run can be repeated with its seed. */
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

const work = await mkdtemp(join(tmpdir(), 'goldloop-torture-'));
const env = { ...process.env, NO_COLOR: '1', GOLDLOOP_STATE_DIR: join(work, 'state'), GOLDLOOP_CONFIG_DIR: join(work, 'config') };
const STACK = /\n\s+at \S+ \(/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Processes whose working folder is inside `dir` (agents and gate commands run there). */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && !/ Z /.test(readFileSync(`/proc/${name}/stat`, 'utf8'))) found.push(Number(name));
    } catch {
      // Gone, or not ours to look at.
    }
  }
  return found;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function readsBack(dir: string): Promise<{ kb: boolean; state: boolean; history: number }> {
  let kb = true;
  let state = true;
  let torn = 0;
  try {
    parseKb(await readFile(join(dir, '.ai-knowledge-base.json'), 'utf8'), 'kb');
  } catch {
    kb = false;
  }
  try {
    JSON.parse(await readFile(join(stateFolder(dir), 'state.json'), 'utf8'));
  } catch (error) {
    state = (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  const history = await readFile(join(dir, '.goldloop', 'history.jsonl'), 'utf8').catch(() => '');
  for (const line of history.split('\n').filter(Boolean)) if (!parseHistoryLine(line)) torn++;
  return { kb, state, history: torn };
}

/** `goldloop run` on a demo project with the demo's scripted agent, no breaks. */
const demoRun = (dir: string): string[] => [
  BIN,
  'run',
  dir,
  '--agent',
  'command',
  '--agent-cmd',
  `"${process.execPath}" "${join(ROOT, 'electron/engine/demo/scripted-agent.mjs')}"`,
  '--break',
  '0s',
  '--plain',
];

async function killRuns(): Promise<string[]> {
  const counts = { kills: 0, leftAfterKill: 0, leftAfterRestart: 0, corruptKb: 0, corruptState: 0, tornHistory: 0, gold: 0 };
  for (let i = 0; i < KILLS; i++) {
    const dir = join(work, `kill-${i}`);
    await createDemoProject(dir);
    const run = spawn(process.execPath, demoRun(dir), {
      cwd: '/',
      env: { ...env, GOLDLOOP_DEMO_PACE_MS: '20' },
      stdio: 'ignore',
      detached: true,
    });
    await sleep(300 + random() * 6000);
    const group = random() < 0.5;
    try {
      process.kill(group ? -run.pid! : run.pid!, 'SIGKILL');
    } catch {
      // It ended first (gold already): nothing was killed.
    }
    await new Promise((r) => (run.exitCode !== null || run.signalCode !== null ? r(null) : run.once('exit', r)));
    counts.kills++;
    await sleep(200);
    counts.leftAfterKill += processesIn(dir).length;
    const again = spawn(process.execPath, demoRun(dir), {
      cwd: '/',
      env: { ...env, GOLDLOOP_DEMO_PACE_MS: '0' },
      stdio: 'ignore',
    });
    await sleep(1500);
    // What is left now is neither the new run's (it is not a cycle in yet, or its own agent) nor ended.
    const mine = new Set(processesIn(dir));
    const code = await new Promise<number | null>((r) => again.once('exit', r));
    counts.leftAfterRestart += [...mine].filter((pid) => processesIn(dir).includes(pid)).length;
    const read = await readsBack(dir);
    if (!read.kb) counts.corruptKb++;
    if (!read.state) counts.corruptState++;
    counts.tornHistory += read.history;
    if (code === 0) counts.gold++;
  }
  return [
    `kill -9 of goldloop run (pid or process group) at a random moment: ${counts.kills}`,
    `  processes of the project running right after the kill: ${counts.leftAfterKill}`,
    `  still running after the next run had started: ${counts.leftAfterRestart}`,
    `  KBs that do not read back: ${counts.corruptKb}; run states: ${counts.corruptState}; torn history lines: ${counts.tornHistory}`,
    `  resumed to gold: ${counts.gold}/${counts.kills}`,
  ];
}

/** Knowledge bases a user, a tool or an agent could leave: each must get a clear message. */
async function hostileKbs(): Promise<string[]> {
  const cases: Record<string, (file: string) => Promise<void>> = {
    'invalid JSON': (f) => writeFile(f, '{ "task_queue": '),
    'UTF-16': (f) => writeFile(f, Buffer.from(`\ufeff{}`, 'utf16le')),
    'BOM then JSON': (f) => writeFile(f, '\ufeff{}'),
    'a folder': (f) => mkdir(f),
    'a FIFO': async (f) => void spawnSync('mkfifo', [f]),
    'a link to /dev/urandom': (f) => symlink('/dev/urandom', f),
    'a link to /etc/passwd': (f) => symlink('/etc/passwd', f),
    '30 MB': (f) => writeFile(f, JSON.stringify({ notes: [{ text: 'x'.repeat(30 * 1024 * 1024) }] })),
    '10,000-deep nesting': (f) => writeFile(f, `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
    '__proto__ key': (f) => writeFile(f, '{"__proto__":{"polluted":true}}'),
    '200k invalid phases': (f) =>
      writeFile(
        f,
        JSON.stringify({ task_queue: { high_priority: Array.from({ length: 200_000 }, (_, i) => ({ task_id: `T${i}`, phase: 9 })) } }),
      ),
    'a number for the iteration limit': (f) => writeFile(f, '{"autonomous_operation":{"max_iterations_per_day":-3}}'),
  };
  const lines: string[] = [];
  let clear = 0;
  for (const [name, make] of Object.entries(cases)) {
    const dir = join(work, `kb-${name.replace(/\W+/g, '-')}`);
    await mkdir(dir, { recursive: true });
    await make(join(dir, '.ai-knowledge-base.json'));
    const started = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'status', dir], { env, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    const took = performance.now() - started;
    const out = `${r.stdout}${r.stderr}`;
    const ok =
      r.signal === null &&
      r.status !== null &&
      !STACK.test(out) &&
      out.includes('.ai-knowledge-base.json') &&
      out.length < 20_000 &&
      !out.includes('root:x:0');
    if (ok) clear++;
    else
      lines.push(
        `  NOT CLEAR: ${name} (exit ${r.status ?? r.signal}, ${out.length} characters, ${took.toFixed(0)} ms): ${out.slice(0, 160).replace(/\n/g, ' ')}`,
      );
  }
  return [`hostile knowledge bases: ${clear}/${Object.keys(cases).length} got a clear message naming the file`, ...lines];
}

/** The abusive agents of the test suite, one cycle each. */
async function abusiveAgents(): Promise<string[]> {
  const agents = [
    'terminal-tricks.mjs',
    'crash.mjs',
    'hang.mjs',
    'daemon.mjs',
    'kill-goldloop.mjs',
    'break-kb.mjs',
    'weaken-gate.mjs',
    'forge-report.mjs',
  ];
  const lines: string[] = [];
  let fine = 0;
  for (const agent of agents) {
    const dir = join(work, `agent-${agent}`);
    await createDemoProject(dir);
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'run',
        dir,
        '--agent-cmd',
        `"${process.execPath}" "${join(AGENTS, agent)}"`,
        '--max-iterations',
        '1',
        '--break',
        '0s',
        '--cycle-timeout',
        '20s',
        '--idle-timeout',
        '10s',
        '--plain',
      ],
      { cwd: '/', env: { ...env, GOLDLOOP_DEMO_PACE_MS: '0' }, encoding: 'utf8', timeout: 120_000 },
    );
    const out = `${r.stdout}${r.stderr}`;
    const ok = r.signal === null && !STACK.test(out) && !CONTROL.test(out.replace(/\n|\t/g, ''));
    if (ok) fine++;
    else lines.push(`  NOT FINE: ${agent} (exit ${r.status ?? r.signal})`);
    await sleep(200);
    if (processesIn(dir).length) lines.push(`  ${agent}: ${processesIn(dir).length} process(es) left after the run`);
  }
  return [`abusive agents: ${fine}/${agents.length} runs ended on their own, with no stack trace and no control sequence`, ...lines];
}

if (process.platform !== 'linux') {
  console.log('npm run torture counts processes from /proc: Linux only');
  process.exit(0);
}
const started = Date.now();
try {
  const figures = [...(await killRuns()), ...(await hostileKbs()), ...(await abusiveAgents())];
  console.log(
    `Goldloop torture — seed ${firstSeed}, node ${process.version}, ${new Date().toISOString()}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  for (const line of figures) console.log(line);
} finally {
  await rm(work, { recursive: true, force: true });
}
