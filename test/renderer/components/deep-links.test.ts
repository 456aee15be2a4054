import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LogPage, ReportEntry } from '../../../electron/contract/api.ts';
import { formatRoute, parseRoute } from '../../../electron/contract/routes.ts';
import App from '../../../renderer/src/App.svelte';
import { projects } from '../../../renderer/src/state/projects.svelte.ts';
import { route } from '../../../renderer/src/state/route.svelte.ts';
import { fake, project } from './harness.ts';

const REPORT = '2026-11-24T06-00-00Z-status.md';
const reports: ReportEntry[] = [
  { name: REPORT, kind: 'status', at: '2026-11-24T06:00:00Z', size: 120 },
  { name: '2026-11-24T04-00-00Z-progress.md', kind: 'progress', at: '2026-11-24T04:00:00Z', size: 90 },
];
const emptyLog: LogPage = { cycles: [], from: 0, total: 0, lines: [] };

function answer(): void {
  fake
    .on('getLog', () => emptyLog)
    .on('getTrends', () => ({ cycles: 0, points: [] }))
    .on('listCycles', () => ({ total: 0, from: 0, cycles: [] }))
    .on('listReports', () => reports)
    .on('readReport', ({ name }) => ({ name, markdown: `# Report ${name}\n\nAll **six** tests pass.` }));
}

/** A fresh page load at `hash`: the state modules are page singletons, so reset them as a load would. */
async function open(hash: string): Promise<void> {
  history.replaceState(null, '', hash);
  route.current = parseRoute(hash);
  projects.list = [];
  projects.loaded = false;
  answer();
  render(App);
  fake.emit({
    type: 'snapshot',
    projects: [project({ id: 'alpha', name: 'alpha', path: '/work/alpha' }), project()],
    at: '2026-11-24T10:00:00Z',
  });
}

describe('dashboard links (notification clicks, the tray, a reload)', () => {
  it('opens at the project and the report a notification named', async () => {
    await open(`#${formatRoute({ project_id: 'shop', item: { kind: 'report', name: REPORT } })}`);
    expect((await screen.findByRole('heading', { level: 2, name: 'shop' })).textContent).toBe('shop');
    const body = await screen.findByTestId('report-body');
    expect(body.textContent).toContain(`Report ${REPORT}`);
    expect(fake.callsOf('readReport')).toEqual([{ project_id: 'shop', name: REPORT }]);
    await waitFor(() => expect(document.getElementById('section-reports')!.classList.contains('arrived')).toBe(true));
    expect(document.activeElement?.id).toBe('section-reports');
  });

  it('follows a new link while open, and shows the same one again when asked twice', async () => {
    await open('#/project/shop');
    await screen.findByRole('heading', { level: 2, name: 'shop' });
    expect(document.getElementById('section-checklist')!.classList.contains('arrived')).toBe(false);

    location.hash = '#/project/shop/checklist';
    await waitFor(() => expect(document.getElementById('section-checklist')!.classList.contains('arrived')).toBe(true));
    // The user's next click ends the highlight.
    await fireEvent.pointerDown(document.body);
    await waitFor(() => expect(document.getElementById('section-checklist')!.classList.contains('arrived')).toBe(false));

    location.hash = '#/project/alpha/log';
    expect((await screen.findByRole('heading', { level: 2, name: 'alpha' })).textContent).toBe('alpha');
    await waitFor(() => expect(document.getElementById('section-log')!.classList.contains('arrived')).toBe(true));
  });

  it('puts the user’s own moves in the URL, so a reload comes back to them', async () => {
    await open('#/');
    await screen.findByRole('heading', { level: 2, name: 'alpha' });
    await fireEvent.click(screen.getByRole('button', { name: /^shop/ }));
    expect(parseRoute(location.hash)).toEqual({ project_id: 'shop' });
    await fireEvent.click(await screen.findByRole('button', { name: /^progress report/ }));
    await waitFor(() =>
      expect(parseRoute(location.hash)).toEqual({ project_id: 'shop', item: { kind: 'report', name: '2026-11-24T04-00-00Z-progress.md' } }),
    );
    expect((await screen.findByTestId('report-body')).textContent).toContain('Report 2026-11-24T04-00-00Z-progress.md');
  });

  it('says so when a link names a project that is not in the list', async () => {
    await open('#/project/gone/report/x.md');
    expect((await screen.findByTestId('missing-project')).textContent).toContain('“gone”');
    expect(screen.getByRole('heading', { level: 2, name: 'alpha' })).toBeTruthy();
    expect(fake.callsOf('readReport')).toEqual([]);
  });
});
