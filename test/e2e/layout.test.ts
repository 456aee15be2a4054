// The dashboard at 800x600 (and 1280x800 for comparison), light and dark, in Chromium against a real
// `goldloop serve`: the project list folds behind a toggle so the project view gets the width, and
// nothing of the project view is clipped or pushes the page sideways.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, serveDashboard, SHOTS, type ServedDashboard } from '../helpers/dashboard.ts';
import { TempDirs } from '../helpers/project.ts';

const NARROW = { width: 800, height: 600 };
const WIDE = { width: 1280, height: 800 };
const temp = new TempDirs();
let served: ServedDashboard | undefined;
let dir = '';

const open = (colorScheme: 'light' | 'dark', viewport: { width: number; height: number }) => served!.newPage({ colorScheme, ...viewport });
const shot = (page: Page, name: string, fullPage = true): Promise<Buffer> =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });

/** Elements of the project view whose box reaches past the window's right edge (none may). */
const pastTheEdge = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const doc = (
      globalThis as unknown as { document: { documentElement: { clientWidth: number }; querySelectorAll(s: string): ArrayLike<unknown> } }
    ).document;
    const width = doc.documentElement.clientWidth;
    type Box = { getBoundingClientRect(): { right: number; width: number }; tagName: string; className: string };
    return Array.from(
      doc.querySelectorAll('main .project > *, main .controls-row > *, main .counters > *, main .card, main button') as ArrayLike<Box>,
    )
      .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > width + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)}`);
  });

const pageWidths = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return { scroll: d.documentElement.scrollWidth, client: d.documentElement.clientWidth };
  });

// One project for the file: the first test adds it, as a new user would at 800x600; the others open it.
describe.skipIf(!hasChromium)('the dashboard at 800x600', () => {
  beforeAll(async () => {
    served = await serveDashboard(await temp.make('goldloop-e2e-layout-config-'));
    dir = await temp.demo();
  }, 90_000);

  afterAll(async () => {
    expect(await served?.close()).toBe(0);
    await temp.cleanup();
  });

  it('opens on the form to add a project while there is none; picking the project folds the list behind a toggle', async () => {
    const { context, page, problems } = await open('light', NARROW);
    const toggle = page.getByRole('button', { name: /^Projects/ });
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByLabel('Project folder (absolute path)').fill(dir);
    await page.getByRole('button', { name: 'Add project' }).click();
    const item = page.locator('.project-item', { hasText: dir });
    await item.waitFor();
    // Still open after the add, for what adding it said; picking the project folds it.
    await item.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await item.isVisible()).toBe(false);
    expect(await toggle.textContent()).toContain('textkit (Goldloop demo)');
    await page.locator('[data-gate=tests][data-verdict]').waitFor();

    // The project view has the window's width, less its padding, and nothing reaches past it.
    const view = (await page.locator('article.project').boundingBox())!;
    expect(view.x).toBeLessThan(24);
    expect(view.width).toBeGreaterThan(NARROW.width - 48);
    const widths = await pageWidths(page);
    expect(widths.scroll).toBe(widths.client);
    expect(await pastTheEdge(page)).toEqual([]);
    // The first screen shows the project: its head, the run controls and the counters.
    for (const part of ['.project-head', '.controls-row', '.counters']) {
      const box = (await page.locator(part).boundingBox())!;
      expect(box.y + box.height, part).toBeLessThan(NARROW.height);
    }
    await shot(page, 'layout-800-light', false);
    await shot(page, 'layout-800-light-full');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens and folds the list from the keyboard: Enter or Space on the toggle, Escape back to it', async () => {
    const { context, page, problems } = await open('dark', NARROW);
    const toggle = page.getByRole('button', { name: /^Projects/ });
    await page.locator('.project-head').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.getAttribute('aria-controls')).toBe('project-nav-body');

    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.locator('.project-item').waitFor();
    await shot(page, 'layout-800-dark-open', false);
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // Space opens it; Tab reaches the project, Enter picks it and folds the list.
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab');
    expect(await page.locator('.project-item').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    await page.locator('[data-gate=tests][data-verdict]').waitFor();
    const widths = await pageWidths(page);
    expect(widths.scroll).toBe(widths.client);
    expect(await pastTheEdge(page)).toEqual([]);
    await shot(page, 'layout-800-dark', false);
    await shot(page, 'layout-800-dark-full');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the list beside the project at 1280x800, with no toggle', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page, problems } = await open(scheme, WIDE);
      await page.locator('[data-gate=tests][data-verdict]').waitFor();
      expect(await page.getByRole('button', { name: /^Projects/ }).isVisible()).toBe(false);
      const list = (await page.locator('.project-item').first().boundingBox())!;
      const view = (await page.locator('article.project').boundingBox())!;
      expect(list.x + list.width).toBeLessThan(view.x);
      expect(await pastTheEdge(page)).toEqual([]);
      await shot(page, `layout-1280-${scheme}`, false);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('shows live figures in the tiles, the limits in a line under them, and "Remove from list" apart from the run controls', async () => {
    const { context, page } = await open('light', NARROW);
    await page.locator('[data-gate=tests][data-verdict]').waitFor();
    const tiles = await page.locator('.counters dt').allTextContents();
    expect(tiles).not.toContain('Per hour at most');
    expect(await page.locator('.counters dd').allTextContents()).not.toContainEqual(expect.stringContaining('/ 100'));
    expect(await page.getByTestId('limits').textContent()).toBe(
      'Limits: a cycle runs up to 2 min, with no break after it; at most 60 cycles an hour, 100 a day, 1000 a run.',
    );
    const runControls = page.getByRole('group', { name: 'Run controls' });
    expect(await runControls.getByRole('button', { name: 'Remove from list' }).count()).toBe(0);
    const remove = (await page.getByRole('button', { name: 'Remove from list' }).boundingBox())!;
    const last = (await runControls.getByRole('button').last().boundingBox())!;
    expect(remove.x - (last.x + last.width)).toBeGreaterThan(32);
    await context.close();
  });

  it('scrolls to a report opened from a long list', async () => {
    const reports = join(dir, '.goldloop', 'reports');
    await mkdir(reports, { recursive: true });
    for (let h = 0; h < 24; h++) {
      const at = `2026-12-01T${String(h).padStart(2, '0')}-00-00Z`;
      await writeFile(join(reports, `${at}-progress.md`), `# Progress at ${h}:00\n\nCycle ${h}: one task done.\n`);
    }
    const { context, page, problems } = await open('light', NARROW);
    const list = page.locator('.report-list button');
    await list.nth(23).waitFor({ state: 'attached' });
    // The newest, at the top of the list: its Markdown opens under the 23 others, out of sight.
    await list.first().click();
    const body = page.getByTestId('report-body');
    await body.getByRole('heading', { name: 'Progress at 23:00' }).waitFor();
    // In view: it starts on screen (a short report at the page's end sits lower than the top).
    await page.waitForFunction(() => {
      type Rect = { top: number; bottom: number };
      const g = globalThis as unknown as {
        innerHeight: number;
        document: { querySelector(s: string): { getBoundingClientRect(): Rect } | null };
      };
      const rect = g.document.querySelector('[data-testid=report-body]')?.getBoundingClientRect();
      return rect !== undefined && rect.top >= 0 && rect.bottom <= g.innerHeight;
    });
    await shot(page, 'layout-800-report-light', false);
    expect(problems).toEqual([]);
    await context.close();
  });
});
