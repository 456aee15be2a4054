import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../electron/platform/git.ts';
import { saveKb } from '../../electron/store/kb/kb-file.ts';
import { KbSchema, type KbInput } from '../../electron/store/kb/schema.ts';
import { writeMadeUpHistory } from '../helpers/history.ts';
import { TempDirs } from '../helpers/project.ts';

/**
 * A project of 10,000 tasks and 1,000 cycles in the real dashboard (Debian Chromium, a real
 * `goldloop serve`): it shows its counts, a page of each priority, and a task far down can be
 * reached from the keyboard. How fast it opens is bench/dashboard-load.ts's figure, not a test's.
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
const hasChromium = existsSync(CHROMIUM);

const temp = new TempDirs();
let serveProcess: ChildProcess | undefined;
let browser: Browser | undefined;
let url = '';

function bigKb(n: number): KbInput {
  const names = ['high_priority', 'medium_priority', 'low_priority'] as const;
  const queues: Record<string, unknown[]> = { high_priority: [], medium_priority: [], low_priority: [] };
  for (let i = 1; i <= n; i++) {
    queues[names[i % 3]!]!.push({
      task_id: `TASK_${i}`,
      description: `Task number ${i}`,
      priority: (['P0', 'P1', 'P2'] as const)[i % 3],
      phase: 1,
      status: i % 5 === 0 ? 'done' : 'ready',
    });
  }
  return { task_queue: queues as KbInput['task_queue'], agent: { type: 'command', command: ['true'] } };
}

async function startServe(configDir: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config-dir', configDir], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serveProcess = child;
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`goldloop serve printed no URL in 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Goldloop dashboard: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`goldloop serve exited with ${code}: ${out}`)));
  });
}

describe.skipIf(!hasChromium)('a project of 10,000 tasks and 1,000 cycles in Chromium', () => {
  let dir = '';
  beforeAll(async () => {
    const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
    dir = await temp.make('goldloop-e2e-big-');
    await initRepository(dir);
    await saveKb(dir, KbSchema.parse(bigKb(10_000)));
    await writeMadeUpHistory(dir, 1000);
    const configDir = await temp.make('goldloop-e2e-config-');
    await startServe(configDir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (serveProcess && serveProcess.exitCode === null) {
      const exited = new Promise((r) => serveProcess!.once('exit', r));
      serveProcess.kill('SIGTERM');
      await exited;
    }
    await temp.cleanup();
  });

  it('shows its counts and a page of each priority, and reaches a task far down from the keyboard', async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(url);
    await page.getByLabel('Project folder (absolute path)').fill(dir);
    await page.getByRole('button', { name: 'Add project' }).click();
    await page.locator('.project-item', { hasText: dir }).click();

    await page.getByTestId('queue-count').filter({ hasText: '10000 tasks' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('queue-range-P2').filter({ hasText: '1–50 of 3333' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.queue tr[data-task]').count()).toBe(150);
    await page.getByTestId('cycle-range').filter({ hasText: 'of 1000' }).waitFor();
    expect(await page.locator('.trends').textContent()).toContain('the newest 500 of 1000');

    // From the keyboard: the search field, a task id, Enter; the focus lands on the task's row.
    await page.getByLabel('Find a task').focus();
    await page.keyboard.type('TASK_9998');
    await page.keyboard.press('Enter');
    const row = page.locator('.queue tr[data-task="TASK_9998"]');
    await row.waitFor();
    expect(await row.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByTestId('queue-range-P2').textContent()).toBe('3301–3333 of 3333');

    // And the pager: Tab to "First", Enter.
    await page.getByRole('group', { name: 'P2 task pages' }).getByRole('button', { name: 'First' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('queue-range-P2').filter({ hasText: '1–50 of 3333' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
