import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../electron/platform/git.ts';
import { saveKb } from '../../electron/store/kb/kb-file.ts';
import { KbSchema, type KbInput } from '../../electron/store/kb/schema.ts';
import { writeMadeUpHistory } from '../helpers/history.ts';
import { join } from 'node:path';
import { hasChromium, serveDashboard, SHOTS, type ServedDashboard } from '../helpers/dashboard.ts';
import { TempDirs } from '../helpers/project.ts';

/**
 * A project of 10,000 tasks and 1,000 cycles in the real dashboard (Debian Chromium, a real
 * `goldloop serve`): it shows its counts, a page of each priority, and a task far down can be
 * reached from the keyboard. How fast it opens is bench/dashboard-load.ts's figure, not a test's.
 */
const temp = new TempDirs();
let served: ServedDashboard | undefined;

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

describe.skipIf(!hasChromium)('a project of 10,000 tasks and 1,000 cycles in Chromium', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await temp.make('goldloop-e2e-big-');
    await initRepository(dir);
    await saveKb(dir, KbSchema.parse(bigKb(10_000)));
    await writeMadeUpHistory(dir, 1000);
    served = await serveDashboard(await temp.make('goldloop-e2e-config-'));
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    await temp.cleanup();
  });

  it('shows its counts and a page of each priority, and reaches a task far down from the keyboard', async () => {
    const { context, page, problems } = await served!.newPage({ colorScheme: 'light', width: 1400, height: 1000 });
    await page.getByLabel('Project folder (absolute path)').fill(dir);
    await page.getByRole('button', { name: 'Add project' }).click();
    await page.locator('.project-item', { hasText: dir }).click();

    await page.getByTestId('queue-count').filter({ hasText: '10000 tasks' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('queue-range-P2').filter({ hasText: '1–50 of 3333' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.queue tr[data-task]').count()).toBe(150);
    await page.getByTestId('cycle-range').filter({ hasText: 'of 1000' }).waitFor();
    await page
      .locator('.trends', { hasText: /cycles 501–1000 \(the newest 500\s+of 1000\)/ })
      .first()
      .waitFor();

    // From the keyboard: the search field, a task id, Enter; the focus lands on the task's row.
    await page.getByLabel('Find a task').focus();
    await page.keyboard.type('TASK_9998');
    await page.keyboard.press('Enter');
    const row = page.locator('.queue tr[data-task="TASK_9998"]');
    await row.waitFor();
    expect(await row.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByTestId('queue-range-P2').textContent()).toBe('3301–3333 of 3333');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'find-a-task-10k.png') });

    // And the pager: Tab to "First", Enter.
    await page.getByRole('group', { name: 'P2 task pages' }).getByRole('button', { name: 'First' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('queue-range-P2').filter({ hasText: '1–50 of 3333' }).waitFor();
    // The search is one request for whichever priority holds the task: nothing refused, nothing logged.
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
