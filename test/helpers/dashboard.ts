// The real dashboard in Debian Chromium against a real `goldloop serve` child process: what a
// dashboard test file needs to start them, open a page, and add a project.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** A `goldloop serve` on a free port with its own project registry, and a Chromium to open it in. */
export class Dashboard {
  private serve: ChildProcess | undefined;
  private browser: Browser | undefined;
  url = '';

  /** Builds the current sources of the dashboard (as `npm ci` would), starts the server and the browser. */
  async start(configDir: string): Promise<void> {
    const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
    await mkdir(SHOTS, { recursive: true });
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config-dir', configDir], {
      cwd: ROOT,
      env: { ...process.env, GOLDLOOP_DEMO_PACE_MS: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.serve = child;
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`goldloop serve printed no URL in 30 s: ${out}${err}`)), 30_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /Goldloop dashboard: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`goldloop serve exited with ${code}: ${err}`)));
    });
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }

  /** A page at `viewport` in `colorScheme`, connected; `problems` collects console errors and page errors. */
  async open(
    colorScheme: 'light' | 'dark',
    viewport = { width: 1400, height: 1000 },
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await this.browser!.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(this.url);
    await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    return { context, page, problems };
  }

  /** Closes the browser and ends the server gracefully; its exit code (0 when it paused and closed cleanly). */
  async stop(): Promise<number | null | undefined> {
    await this.browser?.close();
    const child = this.serve;
    if (!child || child.exitCode !== null) return child?.exitCode;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    return exited;
  }
}

export const shot = (page: Page, name: string, fullPage = true): Promise<Buffer> =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
