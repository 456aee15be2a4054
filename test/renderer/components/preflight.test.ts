import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Preflight as PreflightData, PreflightCheck } from '../../../electron/contract/api.ts';
import Checklist from '../../../renderer/src/components/Checklist.svelte';
import Preflight from '../../../renderer/src/components/Preflight.svelte';
import { fake, project } from './harness.ts';

const check = (c: Partial<PreflightCheck> & Pick<PreflightCheck, 'id' | 'title'>): PreflightCheck => ({ ok: false, detail: 'wrong', ...c });

function preflight(checks: PreflightCheck[]): PreflightData {
  return { ok: checks.every((c) => c.ok), checks, checked_at: '2026-12-01T20:00:00Z' };
}

const SAVED = { settings: {} as never, applied: 'now' as const, message: 'Saved.' };

describe('Preflight', () => {
  it('lists each failing check with its fix and a control per fix; the passing ones fold away', async () => {
    fake.on('checkProject', () => ({ project: project() }));
    render(Preflight, {
      project: project({
        preflight: preflight([
          check({
            id: 'agent',
            title: 'Agent CLI',
            detail: 'Claude Code: claude is not installed',
            fix: 'install it',
            action: { kind: 'install', command: 'npm install -g @anthropic-ai/claude-code' },
          }),
          check({ id: 'git', title: 'git', ok: true, detail: 'git version 2.43.0' }),
          check({ id: 'repository', title: 'Git repository', detail: '/work/shop is not a git repository', action: { kind: 'init_git' } }),
          check({ id: 'plan', title: 'Plan', detail: 'the task queue is empty', action: { kind: 'plan' } }),
        ]),
      }),
    });
    const panel = screen.getByTestId('preflight');
    expect(panel.textContent).toContain('3 of 4 checks fail');
    expect(within(panel).getByText('npm install -g @anthropic-ai/claude-code')).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Plan from documents' })).toBeTruthy();
    expect(panel.querySelector('.preflight-passing')!.textContent).toContain('git version 2.43.0');
    await fireEvent.click(within(panel).getByRole('button', { name: 'Run git init' }));
    await waitFor(() => expect(fake.callsOf('checkProject')).toEqual([{ project_id: 'shop', init_git: true }]));
  });

  it('shows nothing when every check passes', () => {
    render(Preflight, { project: project({ preflight: preflight([check({ id: 'git', title: 'git', ok: true })]) }) });
    expect(screen.queryByTestId('preflight')).toBeNull();
  });

  it('offers both fixes of an unconfigured gate: switch it off, or configure its command and report', async () => {
    fake.on('updateSettings', () => SAVED);
    render(Preflight, {
      project: project({
        preflight: preflight([
          check({
            id: 'gate',
            gate: 'security',
            title: 'Security scan',
            detail: 'not configured',
            action: { kind: 'gate', gate: 'security' },
          }),
        ]),
      }),
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Switch off' }));
    await waitFor(() =>
      expect(fake.callsOf('updateSettings')).toEqual([{ project_id: 'shop', settings: { gates: { security: { enabled: false } } } }]),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Configure…' }));
    await fireEvent.input(screen.getByLabelText('Command'), { target: { value: 'npx osv-scanner --format json .' } });
    await fireEvent.change(screen.getByLabelText('Report format'), { target: { value: 'osv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(fake.callsOf('updateSettings')[1]).toEqual({
        project_id: 'shop',
        settings: {
          gates: {
            security: {
              enabled: true,
              command: ['npx', 'osv-scanner', '--format', 'json', '.'],
              report: { format: 'osv', path: 'stdout' },
            },
          },
        },
      }),
    );
  });

  it('shows the engine refusal of a configuration under the gate, with its fix', async () => {
    fake.refuse('updateSettings', {
      code: 'bad_request',
      message: 'updateSettings: settings.gates.build.command is invalid',
      field: 'settings.gates.build.command',
      fix: 'an argument may not be empty',
    });
    render(Preflight, {
      project: project({
        preflight: preflight([check({ id: 'gate', gate: 'build', title: 'Build', action: { kind: 'gate', gate: 'build' } })]),
      }),
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Configure…' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The command is empty.');
    await fireEvent.input(screen.getByLabelText('Command'), { target: { value: 'make dist' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Fix: an argument may not be empty'));
  });
});

describe('Checklist: a failing unconfigured gate', () => {
  it('offers both fixes on its own line, and only there', async () => {
    fake.on('updateSettings', () => SAVED);
    const { status } = project();
    render(Checklist, { status: status!, projectId: 'shop', unconfigured: ['tests'] });
    const line = document.querySelector('[data-gate="tests"]')!;
    expect(line.querySelector('[data-gate-fix="tests"]')).toBeTruthy();
    // The test command is configured or the run cannot measure anything: no switch-off for it.
    expect(within(line as HTMLElement).queryByRole('button', { name: 'Switch off' })).toBeNull();
    expect(document.querySelectorAll('[data-gate-fix]')).toHaveLength(1);
    await fireEvent.click(within(line as HTMLElement).getByRole('button', { name: 'Configure…' }));
    await fireEvent.input(within(line as HTMLElement).getByLabelText('Command'), { target: { value: 'npx vitest run' } });
    await fireEvent.click(within(line as HTMLElement).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(fake.callsOf('updateSettings')).toEqual([
        { project_id: 'shop', settings: { gates: { tests: { enabled: true, command: ['npx', 'vitest', 'run'] } } } },
      ]),
    );
  });
});
