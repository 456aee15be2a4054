// A big project opened in the dashboard, as a user opens it: the real `goldloop serve` (from its
// bundle, with its token) and the production build of the dashboard in Debian Chromium.
// The project: a KB of 10,000 tasks and a history of 1,000 cycles (`.goldloop/history.jsonl`, the
// loop's own line shape). Measured, median of LOADS page loads in fresh browser contexts:
//  1. from navigation to the project view ready: the checklist, the task queue with its count and
//     first rows, the cycle history's first page and the trends chart (target < 1000 ms);
//  2. the same for a small project, loaded in turns with the big one: the yardstick of what the
//     machine takes to start the dashboard at all (a busy machine moves both);
//  3. a page with nothing in it, in turns with both: what this browser takes for any page, from
//     navigation (a fresh context, a renderer process of its own) to its script running;
//  4. what the page received to get there: the API's replies and the event socket's frames.
// The gzipped first-load JavaScript is bench/dashboard.ts's figure. Needs `npm run build:cli` and
// `npx vite build` first (`npm run bench` builds the dashboard in bench/dashboard.ts before this one).
// Run alone with `node bin/tsx.js bench/dashboard-load.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { initRepository } from '../electron/platform/git.ts';
import { KbSchema } from '../electron/store/kb/schema.ts';
import { GOLDLOOP_DIR, saveKb } from '../electron/store/kb/kb-file.ts';
import { openSupervisor } from '../electron/server/supervisor.ts';
import { madeUpCycle } from '../test/helpers/made-up-cycles.ts';
import { bigKb } from '../test/helpers/big-kb.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
const CHROMIUM = '/usr/bin/chromium';
const TASKS = 10_000;
const CYCLES = 1_000;
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
/** The yardstick: the same dashboard showing a small project, loaded in turns with the big one. */
const SMALL = { tasks: 6, cycles: 3 };
const rows: { name: string; value: string; target: string; ok?: boolean }[] = [];

/** Starts `goldloop serve` and resolves with its URL (token included) once it prints it. */
function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer): void => {
      seen += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(seen)?.[0];
      if (url) resolve({ child, url });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`goldloop serve ended (exit ${code}):\n${seen.slice(-2000)}`)));
  });
}

interface Load {
  ms: number;
  apiBytes: number;
  socketBytes: number;
}

/** One page load in a fresh context: from navigation to the project view ready, and what it received. */
async function load(browser: Browser, url: string, ready: { tasks: number; cycles: number }): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    const bytes = { api: 0, socket: 0 };
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/'))
        void r.body().then(
          (b) => (bytes.api += b.length),
          () => {},
        );
    });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => (bytes.socket += Buffer.byteLength(f.payload))));
    await page.goto(url);
    // Locators, not a string predicate: the page's Content-Security-Policy forbids eval.
    const wait = { timeout: 60_000 };
    await page.locator('[data-testid=checklist-summary]').waitFor(wait);
    await page.locator('[data-testid=queue-count]', { hasText: `${ready.tasks} tasks` }).waitFor(wait);
    await page.locator('.queue tr[data-task]').first().waitFor(wait);
    await page.locator('[data-testid=cycle-range]', { hasText: `of ${ready.cycles}` }).waitFor(wait);
    await page.locator('.trends svg').first().waitFor(wait);
    // Milliseconds since the navigation began, as the page itself counts them.
    const ms = await page.evaluate(() => performance.now());
    await page.waitForTimeout(200);
    return { ms, apiBytes: bytes.api, socketBytes: bytes.socket };
  } finally {
    await context.close();
  }
}

/** A page with nothing in it, loaded as the dashboard is: from navigation to its first script run. */
async function blank(browser: Browser): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto('data:text/html,<!doctype html><title>blank</title><p>blank</p>');
    return await page.evaluate(() => performance.now());
  } finally {
    await context.close();
  }
}

/** The big project, the small one and a blank page in turns, after one load of each that warms caches and is not counted. */
async function loads(base: string, big: string, small: string): Promise<{ big: Load[]; small: Load[]; blank: number[] }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const out = { big: [] as Load[], small: [] as Load[], blank: [] as number[] };
  try {
    for (let i = 0; i <= LOADS; i++) {
      const b = await load(browser, `${base}#/project/${big}`, { tasks: TASKS, cycles: CYCLES });
      const s = await load(browser, `${base}#/project/${small}`, { tasks: SMALL.tasks, cycles: SMALL.cycles });
      const nothing = await blank(browser);
      if (i > 0) {
        out.big.push(b);
        out.small.push(s);
        out.blank.push(nothing);
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}

/** A project folder with a KB of `tasks` tasks and a history of `cycles` cycles. */
async function project(dir: string, tasks: number, cycles: number): Promise<void> {
  await mkdir(join(dir, GOLDLOOP_DIR), { recursive: true });
  await initRepository(dir);
  await saveKb(dir, KbSchema.parse(bigKb(tasks)));
  const history = Array.from({ length: cycles }, (_, i) => JSON.stringify(madeUpCycle(i + 1))).join('\n');
  await writeFile(join(dir, GOLDLOOP_DIR, 'history.jsonl'), `${history}\n`);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'goldloop-bench-load-'));
  const env: NodeJS.ProcessEnv = { ...process.env, GOLDLOOP_STATE_DIR: join(work, 'state'), GOLDLOOP_CONFIG_DIR: join(work, 'config') };
  let server: ChildProcess | undefined;
  try {
    await project(join(work, 'big'), TASKS, CYCLES);
    await project(join(work, 'small'), SMALL.tasks, SMALL.cycles);
    const supervisor = await openSupervisor({ configDir: env.GOLDLOOP_CONFIG_DIR });
    const big = (await supervisor.api.addProject({ path: join(work, 'big') })).project.id;
    const small = (await supervisor.api.addProject({ path: join(work, 'small') })).project.id;
    await supervisor.close();
    const started = await serve(env);
    server = started.child;
    const url = new URL(started.url);
    const base = `${url.origin}/?${url.searchParams.toString()}`;
    const load = await loads(base, big, small);
    const bigMs = median(load.big.map((l) => l.ms));
    const smallMs = median(load.small.map((l) => l.ms));
    rows.push({
      name: `navigation -> project view ready, ${TASKS} tasks, ${CYCLES} cycles (median of ${LOADS})`,
      value: `${bigMs.toFixed(0)} ms`,
      target: '< 1000 ms',
      ok: bigMs < 1000,
    });
    rows.push({ name: '  each load', value: load.big.map((l) => l.ms.toFixed(0)).join(' '), target: '(informational)' });
    rows.push({
      name: `  the same dashboard, a project of ${SMALL.tasks} tasks and ${SMALL.cycles} cycles, in turns (yardstick)`,
      value: `${smallMs.toFixed(0)} ms`,
      target: '(informational)',
    });
    rows.push({ name: '  big / small', value: (bigMs / smallMs).toFixed(2), target: '(informational)' });
    rows.push({
      name: '  a blank page, in turns: what this browser takes for any page',
      value: `${median(load.blank).toFixed(0)} ms`,
      target: '(informational)',
    });
    const last = load.big.at(-1)!;
    rows.push({
      name: '  API replies received by one load of the big project',
      value: `${(last.apiBytes / 1024).toFixed(0)} kB`,
      target: '(informational)',
    });
    rows.push({
      name: '  event-socket frames received by it',
      value: `${(last.socketBytes / 1024).toFixed(0)} kB`,
      target: '(informational)',
    });
  } finally {
    server?.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    await rm(work, { recursive: true, force: true });
  }
}

if (!existsSync(CHROMIUM)) {
  rows.push({ name: `big project in the dashboard (skipped: ${CHROMIUM} is missing)`, value: '—', target: '' });
} else if (!existsSync(join(ROOT, 'out', 'cli', 'main.mjs')) || !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
  rows.push({ name: 'big project in the dashboard (skipped: run `npm run build:cli` and `npx vite build` first)', value: '—', target: '' });
} else {
  await measure();
}
const width = Math.max(...rows.map((r) => r.name.length));
console.log(`\nA big project in the dashboard — load average ${loadavg()[0]!.toFixed(2)}\n`);
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${r.value.padStart(14)}  ${r.target.padEnd(16)} ${r.ok === undefined ? '' : r.ok ? 'met' : 'MISSED'}`,
  );
