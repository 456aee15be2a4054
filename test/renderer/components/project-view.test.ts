import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LogPage } from '../../../electron/contract/api.ts';
import ProjectView from '../../../renderer/src/components/ProjectView.svelte';
import { fake, project } from './harness.ts';

const log: LogPage = { cycle: 3, cycles: [1, 2, 3], from: 0, total: 1, lines: [{ stream: 'stdout', text: 'working' }] };

/** The API calls a shown project makes: its log, no history, no reports, no documents. */
const answerProjectCalls = (): void =>
  void fake
    .on('getLog', () => log)
    .on('getTrends', () => ({ cycles: 0, points: [] }))
    .on('listCycles', () => ({ total: 0, from: 0, cycles: [] }))
    .on('listReports', () => [])
    .on('planDocuments', () => ({ documents: [] }));

describe('ProjectView', () => {
  it('reads the log, trends and reports once, not again on every status push', async () => {
    answerProjectCalls();
    const view = render(ProjectView, { project: project({}, { iteration: 3 }) });
    await screen.findByText('working');
    for (let i = 4; i < 10; i++) {
      await view.rerender({ project: project({}, { iteration: i }) });
    }
    expect(screen.getByTestId('iteration').textContent).toBe('9');
    expect(fake.callsOf('getLog')).toHaveLength(1);
    expect(fake.callsOf('getTrends')).toHaveLength(1);
    expect(fake.callsOf('listCycles')).toHaveLength(1);
    expect(fake.callsOf('listReports')).toHaveLength(1);
    expect(fake.callsOf('planDocuments')).toHaveLength(1);
  });

  it('names the sandbox in the header, what it allows one click away, and says outright when there is none', async () => {
    answerProjectCalls();
    const view = render(ProjectView, { project: project({}, { sandbox: { kind: 'bubblewrap', version: '0.8.0' } }) });
    const note = await screen.findByTestId('sandbox');
    expect(note.querySelector('summary')?.textContent).toBe('Sandbox: bubblewrap 0.8.0');
    expect(note.textContent).toContain('its own PID namespace');

    await view.rerender({
      project: project({}, { sandbox: { kind: 'none', why: 'bubblewrap is not installed', leftovers: 'marker' } }),
    });
    const none = screen.getByTestId('sandbox');
    expect(none.tagName).toBe('P');
    expect(none.textContent).toContain('No sandbox: bubblewrap is not installed. The agent runs as you');
  });

  it('says once, under the checklist, that gold no longer holds after a change', async () => {
    answerProjectCalls();
    const stale = 'gold measured on an earlier tree: the project has changed since; `goldloop run` measures it again';
    render(ProjectView, { project: project({}, { state: 'stopped', message: stale, stale_gold: stale, gold: false }) });
    expect((await screen.findByTestId('stale-gold')).textContent).toBe(stale);
    expect(screen.queryByTestId('state-message')).toBeNull();
    expect(document.body.textContent!.split(stale)).toHaveLength(2);
  });
});
