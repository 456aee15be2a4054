import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKb } from '../../electron/store/kb/kb-file.ts';
import { QUEUES, type Kb } from '../../electron/store/kb/schema.ts';
import { addProjectInDashboard, hasChromium, serveDashboard, SHOTS, type ServedDashboard } from '../helpers/dashboard.ts';
import { TempDirs, waitFor } from '../helpers/project.ts';

/**
 * The plan edited in the real dashboard, in Debian Chromium against a real `goldloop serve`: a
 * task and a requirement added, edited, moved and removed with the mouse and the keyboard, each
 * change checked in the KB file; then the screens at 1280x800 and 800x600, light and dark.
 */
const temp = new TempDirs();
let d: ServedDashboard | undefined;
/** The demo project's route (`#/project/<id>`), once the first test has added it. */
let projectRoute = '';
let projectDir = '';

const queueOf = (kb: Kb, id: string): string | undefined => QUEUES.find((q) => kb.task_queue[q].some((t) => t.task_id === id));

describe.skipIf(!hasChromium)('editing the plan in the dashboard', () => {
  beforeAll(async () => {
    d = await serveDashboard(await temp.make('goldloop-e2e-plan-config-'));
  }, 120_000);

  afterAll(async () => {
    // A graceful end: exit 0, not killed by the signal.
    if (d) expect(await d.close()).toBe(0);
    await temp.cleanup();
  });

  it('adds, edits, moves and removes a task; a bad dependency is shown at its field and nothing is written', async () => {
    projectDir = await temp.demo();
    const { context, page, problems } = await d!.newPage({ colorScheme: 'light' });
    await addProjectInDashboard(page, projectDir);
    projectRoute = new URL(page.url()).hash;
    const queue = page.locator('section.queue');

    await queue.getByRole('button', { name: 'Add task' }).click();
    await queue.getByLabel('Task id').fill('T-90');
    await queue.getByLabel('What to do').fill('Export the word list as CSV');
    await queue.getByLabel('Depends on').fill('TASK_404');
    await queue.getByRole('button', { name: 'Add task' }).click();
    const error = queue.getByTestId('field-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('"TASK_404" names no task');
    expect(await queue.getByLabel('Depends on').getAttribute('aria-invalid')).toBe('true');
    expect(await queue.getByLabel('Depends on').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(queueOf(await loadKb(projectDir), 'T-90')).toBeUndefined();
    await queue.screenshot({ path: join(SHOTS, 'plan-task-error-light.png') });

    // Fixed, and saved from the keyboard.
    await queue.getByLabel('Depends on').fill('TASK_001');
    await queue.getByLabel('Depends on').press('Enter');
    await queue.getByTestId('plan-message').filter({ hasText: 'Added T-90 (P1).' }).waitFor();
    const row = queue.locator('tr[data-task="T-90"]');
    await row.waitFor();
    let kb = await loadKb(projectDir);
    expect(kb.task_queue.medium_priority.find((t) => t.task_id === 'T-90')).toMatchObject({ dependencies: ['TASK_001'], status: 'ready' });

    await queue.getByRole('button', { name: 'Edit T-90' }).click();
    await queue.getByLabel('What to do').fill('Export the word list as CSV, with a header');
    await queue.getByLabel('Done when').fill('a header row names the columns');
    await queue.screenshot({ path: join(SHOTS, 'plan-task-edit-light.png') });
    await queue.getByRole('button', { name: 'Save task' }).click();
    await row.filter({ hasText: 'with a header' }).waitFor();
    // Saved: the focus is back on the row's Edit button.
    expect(await row.getByRole('button', { name: 'Edit T-90' }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect((await loadKb(projectDir)).task_queue.medium_priority.find((t) => t.task_id === 'T-90')?.acceptance).toBe(
      'a header row names the columns',
    );

    // Up one priority, from the keyboard.
    await queue.getByRole('button', { name: 'Move T-90 to P0' }).focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => queueOf(await loadKb(projectDir), 'T-90') === 'high_priority' || undefined, 10_000, 'T-90 in P0');
    await queue
      .locator('table', { has: page.locator('tr[data-task="TASK_001"]') })
      .locator('tr[data-task="T-90"]')
      .waitFor();
    // And gone from P1: on a loaded machine the view can show the row in P0 a moment before it leaves P1.
    await waitFor(async () => (await queue.locator('tr[data-task="T-90"]').count()) === 1 || undefined, 10_000, 'T-90 in P0 only');

    // Every group's table has its columns in the same place.
    const lefts = await queue
      .locator('thead th:nth-child(5)')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    expect(lefts.length).toBe(3);
    expect(new Set(lefts).size).toBe(1);

    await queue.getByRole('button', { name: 'Remove T-90' }).click();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    kb = await loadKb(projectDir);
    expect(queueOf(kb, 'T-90')).toBeUndefined();
    // The one refused request (the bad dependency), as the browser logs it.
    expect(problems).toEqual([expect.stringContaining('status of 400')]);
    await context.close();
  });

  it('adds, edits and removes a requirement; one that tasks name is removed only after a second question', async () => {
    const { context, page, problems } = await d!.newPage({ colorScheme: 'dark' });
    await page.goto(`${d!.url}${projectRoute}`);
    const reqs = page.locator('section.requirements');
    await reqs.locator('tr[data-requirement="REQ-001"]').waitFor();

    await reqs.getByRole('button', { name: 'Add requirement' }).click();
    await reqs.getByLabel('Requirement id').fill('REQ 090');
    await reqs.getByLabel('What is required').fill('the word list exports as CSV');
    await reqs.getByRole('button', { name: 'Add requirement' }).click();
    expect(await reqs.getByTestId('field-error').textContent()).toContain('REQ-012');
    await reqs.getByLabel('Requirement id').fill('REQ-090');
    await reqs.getByRole('button', { name: 'Add requirement' }).click();
    const row = reqs.locator('tr[data-requirement="REQ-090"]');
    await row.waitFor();
    expect((await loadKb(projectDir)).requirements.find((r) => r.id === 'REQ-090')?.text).toBe('the word list exports as CSV');

    await reqs.getByRole('button', { name: 'Edit REQ-090' }).click();
    await reqs.getByLabel('What is required').fill('the word list exports as CSV with a header');
    await reqs.getByLabel('Source document').fill('README.md');
    await reqs.getByRole('button', { name: 'Save requirement' }).click();
    await row.filter({ hasText: 'with a header' }).waitFor();
    expect((await loadKb(projectDir)).requirements.find((r) => r.id === 'REQ-090')).toMatchObject({ source: 'README.md' });

    // Named by TASK_001: the question says so; kept.
    await reqs.getByRole('button', { name: 'Remove REQ-001' }).click();
    await reqs.getByText('TASK_001 names it. Remove anyway?').waitFor();
    await reqs.screenshot({ path: join(SHOTS, 'plan-requirement-confirm-dark.png') });
    await reqs.locator('tr[data-requirement="REQ-001"]').getByRole('button', { name: 'Keep' }).click();
    expect((await loadKb(projectDir)).requirements.some((r) => r.id === 'REQ-001')).toBe(true);

    await reqs.getByRole('button', { name: 'Remove REQ-090' }).click();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    expect((await loadKb(projectDir)).requirements.some((r) => r.id === 'REQ-090')).toBe(false);
    expect(problems).toEqual([expect.stringContaining('status of 400')]);
    await context.close();
  });

  it('shows the queue and the requirements at 1280x800 and 800x600, light and dark', async () => {
    for (const [width, height] of [
      [1280, 800],
      [800, 600],
    ] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { context, page, problems } = await d!.newPage({ colorScheme, width, height });
        await page.goto(`${d!.url}${projectRoute}`);
        const queue = page.locator('section.queue');
        await queue.getByRole('button', { name: 'Edit TASK_003' }).click();
        await queue.getByLabel('What to do').waitFor();
        await queue.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `plan-${width}x${height}-${colorScheme}.png`) });
        await queue.screenshot({ path: join(SHOTS, `plan-queue-${width}x${height}-${colorScheme}.png`) });
        await page
          .locator('section.requirements')
          .screenshot({ path: join(SHOTS, `plan-requirements-${width}x${height}-${colorScheme}.png`) });
        // Nothing sticks out of the page sideways.
        expect(await page.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth)).toBe(true);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });
});
