import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Planning from '../../../renderer/src/components/Planning.svelte';
import { fake, project } from './harness.ts';

describe('Planning', () => {
  it('shows the documents it would read, and sends the extra ones the user names', async () => {
    fake.on('planDocuments', () => ({ documents: ['PRD.md', 'docs/architecture.md'] }));
    fake.on('planProject', () => ({
      project: project({ plan: { state: 'running', started_at: '2026-11-24T10:00:00Z', documents: ['PRD.md'] } }),
    }));
    render(Planning, { project: project() });
    expect(await screen.findByText('PRD.md, docs/architecture.md')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText(/More documents/), { target: { value: 'notes/a.md,  notes/b.md' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Run the planning cycle' }));
    await waitFor(() => expect(fake.callsOf('planProject')).toEqual([{ project_id: 'shop', docs: ['notes/a.md', 'notes/b.md'] }]));
  });

  it('says what a merged plan added, and every problem of a refused one with its fix', async () => {
    fake.on('planDocuments', () => ({ documents: ['SPEC.md'] }));
    const merged = render(Planning, {
      project: project({
        plan: {
          state: 'merged',
          started_at: '2026-11-24T10:00:00Z',
          ended_at: '2026-11-24T10:03:00Z',
          documents: ['SPEC.md'],
          added: { tasks: 3, requirements: 2, phases: ['renamed phase 1 from "Core Features" to "Checkout"'] },
        },
      }),
    });
    expect(screen.getByTestId('plan-result').textContent).toContain('Added 3 task(s) and 2 requirement(s) from SPEC.md');
    expect(screen.getByTestId('plan-result').textContent).toContain('renamed phase 1');
    merged.unmount();

    render(Planning, {
      project: project({
        plan: {
          state: 'failed',
          started_at: '2026-11-24T10:00:00Z',
          documents: ['SPEC.md'],
          log: '.goldloop/logs/plan-2026-11-24T10-00-00Z.log',
          message: '.goldloop/plan/proposal.json is not a valid proposal; nothing was added to .ai-knowledge-base.json:',
          problems: [
            {
              path: 'tasks[2].dependencies',
              message: 'a dependency cycle: PLAN_001 -> PLAN_003 -> PLAN_001',
              fix: 'remove one of these dependencies',
            },
          ],
        },
      }),
    });
    const result = screen.getByTestId('plan-result');
    expect(result.dataset.state).toBe('failed');
    expect(result.textContent).toContain('tasks[2].dependencies');
    expect(result.textContent).toContain('fix: remove one of these dependencies');
    expect(result.textContent).toContain('.goldloop/logs/plan-2026-11-24T10-00-00Z.log');
  });

  it('will not plan while the project runs', async () => {
    fake.on('planDocuments', () => ({ documents: ['SPEC.md'] }));
    render(Planning, { project: project({ driven: true }) });
    expect((screen.getByRole('button', { name: 'Run the planning cycle' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Pause or stop the run first/)).toBeTruthy();
  });
});
