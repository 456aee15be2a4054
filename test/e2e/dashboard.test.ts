import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT } from '../../electron/engine/demo/project.ts';
import { GOLDLOOP_DIR, loadKb, saveKb } from '../../electron/store/kb/kb-file.ts';
import { writeMadeUpHistory } from '../helpers/history.ts';
import { addProjectInDashboard, CHROMIUM, hasChromium, serveDashboard, SHOTS, type ServedDashboard } from '../helpers/dashboard.ts';
import { TempDirs } from '../helpers/project.ts';

/**
 * The real dashboard in Debian Chromium against a real `goldloop serve` child process, on a free
 * port with a temp project registry, driving demo projects with the bundled scripted agent.
 */
if (!hasChromium)
  console.warn(`test/e2e skipped: ${CHROMIUM} is missing (apt-get install chromium); the dashboard is tested only in Debian Chromium.`);

const temp = new TempDirs();
let served: ServedDashboard | undefined;
let origin = '';
const started = Date.now();

const newPage = (colorScheme: 'light' | 'dark'): ReturnType<ServedDashboard['newPage']> =>
  served!.newPage({ colorScheme, width: 1400, height: 1000 });

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/**
 * The demo agent at `paceMs` a line, as an agent command. The demo agent's path is an argument, not
 * only an import of the wrapper: the sandbox shows the agent the files its command names, and the
 * checkout may be under /tmp, which the sandbox replaces with a private one.
 */
async function slowDemoAgent(paceMs: number): Promise<string[]> {
  const wrapper = join(await temp.make(), 'slow-demo-agent.mjs');
  await writeFile(
    wrapper,
    `process.env.GOLDLOOP_DEMO_PACE_MS = '${paceMs}';\nconst { pathToFileURL } = await import('node:url');\nawait import(pathToFileURL(process.argv[2]).href);\n`,
  );
  return [process.execPath, wrapper, DEMO_AGENT];
}

const addProject = addProjectInDashboard;

const badge = (page: Page) => page.locator('.project-head [data-testid=state]');

describe.skipIf(!hasChromium)('the dashboard in Chromium against goldloop serve', () => {
  beforeAll(async () => {
    // The current sources: test/helpers/global-setup.ts built the dashboard before any test file ran.
    served = await serveDashboard(await temp.make('goldloop-e2e-config-'));
    origin = new URL(served.url).origin;
  }, 90_000);

  afterAll(async () => {
    // A graceful end: running projects paused, then exit 0 (not killed by the signal).
    if (served) expect(await served.close()).toBe(0);
    await temp.cleanup();
    console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('refuses a wrong token', async () => {
    const context = await served!.browser.newContext();
    const page = await context.newPage();
    const wrong = await page.goto(`${origin}/?token=wrong-token`);
    expect(wrong?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('needs the token');
    const none = await page.goto(`${origin}/`);
    expect(none?.status()).toBe(401);
    await context.close();
  });

  it('adds the demo project, starts it, and shows the phases fill and the checklist turn gold', async () => {
    const { context, page, problems } = await newPage('light');
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    await shot(page, 'empty-light');
    const dir = await temp.demo();
    await addProject(page, dir);
    await page.locator('[data-gate=tests][data-verdict]').waitFor();
    expect(await badge(page).textContent()).toContain('not started');
    await shot(page, 'project-before-start-light');

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // A watchdog, not a measure: the demo's cycles run Stryker, which takes minutes on a loaded machine.
    await page.getByTestId('checklist-summary').filter({ hasText: 'GOLD' }).waitFor({ timeout: 540_000 });
    // The checklist's GOLD arrives with the gates event; the state badge follows with the next (coalesced) status push.
    await badge(page)
      .filter({ hasText: /^\s*gold\s*$/ })
      .waitFor({ timeout: 30_000 });
    expect((await badge(page).textContent())?.trim()).toBe('gold');
    const counts = await page.getByTestId('phase-count').allTextContents();
    expect(counts).toHaveLength(4);
    for (const c of counts) expect(c).toMatch(/^(\d+)\/\1 tasks$/);
    const verdicts = await page.locator('.line[data-verdict]').evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
    expect(verdicts.length).toBeGreaterThanOrEqual(5);
    expect(verdicts.every((v) => v === 'PASS' || v === 'OFF')).toBe(true);
    expect(Number(await page.getByTestId('iteration').textContent())).toBeGreaterThanOrEqual(6);
    await page.locator('.charts svg').first().waitFor();
    await shot(page, 'gold-light');

    // The final report, rendered from its Markdown.
    await page.getByRole('button', { name: /final report/ }).click();
    await page.getByTestId('report-body').locator('h2, h3').first().waitFor();
    await page.getByTestId('report-body').scrollIntoViewIfNeeded();
    await shot(page, 'report-light');
    expect(problems).toEqual([]);
    await context.close();

    const dark = await newPage('dark');
    await dark.page.locator('.project-item').first().click();
    await dark.page.getByTestId('checklist-summary').filter({ hasText: 'GOLD' }).waitFor();
    await shot(dark.page, 'gold-dark');
    expect(dark.problems).toEqual([]);
    await dark.context.close();
  }, 600_000);

  it('pauses and resumes a slow agent', async () => {
    // The demo agent at 400 ms a line: slow enough to pause mid-cycle.
    const dir = await temp.demo();
    const kb = await loadKb(dir);
    kb.agent = { type: 'command', command: await slowDemoAgent(400) };
    await saveKb(dir, kb);

    const { context, page, problems } = await newPage('dark');
    await addProject(page, dir);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await badge(page).filter({ hasText: 'the agent is working' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('log-viewport').locator('.log-row', { hasText: 'demo agent:' }).first().waitFor({ timeout: 15_000 });
    await shot(page, 'running-dark');

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await badge(page)
      .filter({ hasText: /^\s*paused\s*$/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Resume', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).isDisabled()).toBe(true);
    await shot(page, 'paused-dark');

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await badge(page).filter({ hasText: 'running' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await badge(page)
      .filter({ hasText: /^\s*stopped\s*$/ })
      .waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('edits the settings: a bad value is shown at its field, a good one is saved to the KB and measured', async () => {
    const dir = await temp.demo();
    const { context, page, problems } = await newPage('light');
    await addProject(page, dir);
    await page.locator('[data-gate=tests][data-verdict]').waitFor();

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const form = page.locator('form.settings-form');
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/project\/[a-z0-9-]+\/settings$/);
    const cycle = form.getByLabel('Cycle length');
    const coverage = form.getByLabel('Coverage threshold');
    expect(await cycle.inputValue()).toBe('2');
    expect(await coverage.inputValue()).toBe('80');
    await shot(page, 'settings-light');

    // A cycle of no length: the engine refuses it, and says so under the field.
    await cycle.fill('0');
    await coverage.fill('90');
    await form.getByRole('button', { name: 'Save' }).click();
    const cycleError = page.locator('#setting-schedule-duration_minutes-error');
    await cycleError.waitFor();
    expect(await cycleError.textContent()).toContain('use a number above 0');
    expect(await cycle.getAttribute('aria-invalid')).toBe('true');
    expect(await cycle.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.locator('section.card', { has: cycleError }).screenshot({ path: join(SHOTS, 'settings-error-light.png') });
    expect((await loadKb(dir)).autonomous_operation.work_cycle.duration_minutes).toBe(2);

    // Fixed, and saved from the keyboard.
    await cycle.fill('25');
    await coverage.press('Enter');
    await page.getByTestId('settings-message').filter({ hasText: 'Saved to .ai-knowledge-base.json' }).waitFor();
    expect(await cycleError.count()).toBe(0);
    const kb = await loadKb(dir);
    expect(kb.autonomous_operation.work_cycle.duration_minutes).toBe(25);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(90);

    // Back on the project, the next measurement holds the coverage line to the new threshold.
    await page.getByRole('button', { name: 'Back to the project' }).click();
    await page.getByRole('button', { name: 'Run gates now' }).click();
    await page.locator('[data-gate=coverage] .measure', { hasText: 'target 90%' }).waitFor({ timeout: 60_000 });
    // The browser logs the refused save (HTTP 400) itself; nothing else may go wrong.
    expect(problems).toEqual([expect.stringContaining('status of 400')]);
    await context.close();

    const dark = await newPage('dark');
    await dark.page.locator('.project-item', { hasText: dir }).click();
    await dark.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await dark.page.locator('form.settings-form').getByLabel('Cycle length').waitFor();
    expect(await dark.page.locator('form.settings-form').getByLabel('Cycle length').inputValue()).toBe('25');
    await shot(dark.page, 'settings-dark');
    expect(dark.problems).toEqual([]);
    await dark.context.close();
  });

  it('holds a settings change saved mid-cycle until the cycle ends, and says so', async () => {
    const dir = await temp.demo();
    const kb = await loadKb(dir);
    kb.agent = { type: 'command', command: await slowDemoAgent(500) };
    await saveKb(dir, kb);

    const { context, page, problems } = await newPage('dark');
    await addProject(page, dir);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await badge(page).filter({ hasText: 'the agent is working' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const form = page.locator('form.settings-form');
    const perDay = form.getByLabel('Cycles per day, at most');
    await perDay.fill('77');
    // Status pushes keep coming while the agent works; what the user typed stays.
    await page.waitForTimeout(600);
    expect(await perDay.inputValue()).toBe('77');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-message').filter({ hasText: 'takes effect after the current cycle' }).waitFor();
    await page.getByTestId('settings-pending').waitFor();
    await shot(page, 'settings-pending-dark');

    await page.getByTestId('settings-message').filter({ hasText: 'now in the knowledge base' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('settings-pending').count()).toBe(0);
    expect((await loadKb(dir)).autonomous_operation.max_iterations_per_day).toBe(77);
    await page.getByRole('button', { name: 'Back to the project' }).click();
    await page.getByTestId('limits').filter({ hasText: '77 a day' }).waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await badge(page)
      .filter({ hasText: /^\s*stopped\s*$/ })
      .waitFor({ timeout: 15_000 });
    const history = (await readFile(join(dir, GOLDLOOP_DIR, 'history.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; ignored_edits?: string[] });
    expect(history.some((h) => h.outcome === 'tampered' || h.ignored_edits)).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('scrolls and searches a 100,000-line log, rendering only the visible rows', async () => {
    const dir = await temp.demo();
    const lines = Array.from({ length: 100_000 }, (_, i) =>
      i % 10 === 9 ? `! warning ${i + 1}` : `line ${i + 1}: the agent is thinking about something`,
    );
    await mkdir(join(dir, GOLDLOOP_DIR, 'logs'), { recursive: true });
    await writeFile(join(dir, GOLDLOOP_DIR, 'logs', 'cycle-000001.log'), `${lines.join('\n')}\n`);

    const { context, page, problems } = await newPage('light');
    await addProject(page, dir);
    await page.getByTestId('log-count').filter({ hasText: '100000 lines' }).waitFor({ timeout: 20_000 });
    const viewport = page.getByTestId('log-viewport');
    await viewport.scrollIntoViewIfNeeded();
    const rendered = await viewport.locator('.log-row').count();
    expect(rendered).toBeLessThan(150);
    // It follows the tail: the last line is on screen.
    await viewport.locator('.log-row', { hasText: 'warning 100000' }).waitFor();

    // Jump through the whole log in 40 steps: wherever it stands, only the rows in view are in
    // the page, and they are the lines at that place. (How fast a jump paints is a figure in
    // `npm run bench`, not a test: this machine may be busy.)
    for (let i = 1; i <= 40; i++) {
      const first = await viewport.evaluate(async (el, step) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame;
        el.scrollTop = (el.scrollHeight * step) / 40;
        el.dispatchEvent(new Event('scroll'));
        await new Promise<void>((r) => raf(() => raf(() => r())));
        return Math.floor((el.scrollTop / el.scrollHeight) * 100_000);
      }, i);
      expect(await viewport.locator('.log-row').count()).toBeLessThan(150);
      const near = Math.min(first + 5, 100_000);
      await viewport
        .locator('.log-row', { hasText: new RegExp(`line ${near}:|warning ${near}(?!\\d)`) })
        .first()
        .waitFor();
    }
    await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await viewport
      .locator('.log-row', { hasText: /line 5\d{4}:/ })
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /Follow the latest lines/ }).isVisible()).toBe(true);
    await shot(page, 'log-100k-light');

    await page.getByLabel('Search the log').fill('warning 77777');
    await page.getByTestId('log-count').filter({ hasText: '0 of 100000 lines' }).waitFor();
    await page.getByLabel('Search the log').fill('warning 7777');
    await page.getByTestId('log-count').filter({ hasText: '1 of 100000 lines' }).waitFor();
    const found = viewport.locator('.log-row');
    expect(await found.allTextContents()).toEqual(['77770warning 77770']);
    expect(await found.first().getAttribute('class')).toContain('stderr');
    expect(problems).toEqual([]);
    await context.close();
  });
  it('lists 1,000 cycles a page at a time and opens one with its tool calls', async () => {
    const dir = await temp.demo();
    await writeMadeUpHistory(dir, 1000);
    const { context, page, problems } = await newPage('dark');
    await addProject(page, dir);
    const list = page.getByTestId('cycle-history');
    await list.getByTestId('cycle-range').filter({ hasText: 'cycles 1000–976, 1–25 of 1000' }).waitFor();
    expect(await list.locator('tbody tr[data-cycle]').count()).toBe(25);
    await list.getByRole('button', { name: 'Oldest' }).click();
    await list.getByTestId('cycle-range').filter({ hasText: 'cycles 25–1, 976–1000 of 1000' }).waitFor();
    await list.getByRole('button', { name: '#3', exact: true }).click();
    const detail = page.getByTestId('cycle-detail');
    await detail.getByText('Edit src/module-3.ts').waitFor();
    // A made-up cycle has no snapshots: the detail says why there is no diff.
    await detail.getByText("Goldloop's snapshots hold no start of cycle 3").waitFor();
    await list.scrollIntoViewIfNeeded();
    await shot(page, 'cycle-history-dark');
    expect(problems).toEqual([]);
    await context.close();
  });
});
