import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LogPage } from '../../../electron/contract/api.ts';
import ProjectView from '../../../renderer/src/components/ProjectView.svelte';
import { fake, project } from './harness.ts';

const log: LogPage = { cycle: 3, cycles: [1, 2, 3], from: 0, total: 1, lines: [{ stream: 'stdout', text: 'working' }] };

describe('ProjectView', () => {
  it('reads the log, history and reports once, not again on every status push', async () => {
    fake
      .on('getLog', () => log)
      .on('getHistory', () => [])
      .on('listReports', () => [])
      .on('planDocuments', () => ({ documents: [] }));
    const view = render(ProjectView, { project: project({}, { iteration: 3 }) });
    await screen.findByText('working');
    for (let i = 4; i < 10; i++) {
      await view.rerender({ project: project({}, { iteration: i }) });
    }
    expect(screen.getByTestId('iteration').textContent).toBe('9');
    expect(fake.callsOf('getLog')).toHaveLength(1);
    expect(fake.callsOf('getHistory')).toHaveLength(1);
    expect(fake.callsOf('listReports')).toHaveLength(1);
    expect(fake.callsOf('planDocuments')).toHaveLength(1);
  });
});
