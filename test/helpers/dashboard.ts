import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The real dashboard in Debian Chromium against a real `goldloop serve` child process (on a free
 * port, with a registry in a temp folder): built from the current sources, served, and opened in
 * a page that records every console error.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

export interface ServedDashboard {
  url: string;
  browser: Browser;
  newPage(options: { colorScheme: 'light' | 'dark'; width?: number; height?: number }): Promise<{
    context: BrowserContext;
    page: Page;
    problems: string[];
  }>;
  /** Ends the browser and the server (gracefully: exit 0). */
  close(): Promise<number | null>;
}

/** Starts `goldloop serve` with `configDir` (on the dashboard test/helpers/global-setup.ts built) and launches Chromium. */
export async function serveDashboard(configDir: string): Promise<ServedDashboard> {
  await mkdir(SHOTS, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config-dir', configDir], {
    cwd: ROOT,
    env: { ...process.env, GOLDLOOP_DEMO_PACE_MS: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
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
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  return {
    url,
    browser,
    async newPage({ colorScheme, width = 1280, height = 800 }) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(url);
      await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
      return { context, page, problems };
    },
    async close() {
      await browser.close();
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Adds a project by its folder in the dashboard's form and opens it. */
export async function addProjectInDashboard(page: Page, path: string): Promise<void> {
  await page.getByLabel('Project folder (absolute path)').fill(path);
  await page.getByRole('button', { name: 'Add project' }).click();
  await page.locator('.project-item', { hasText: path }).waitFor();
  await page.locator('.project-item', { hasText: path }).click();
  await page.locator('.path', { hasText: path }).waitFor();
}
