import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ProjectSettings, SettingsResult } from '../../../electron/contract/api.ts';
import Settings from '../../../renderer/src/components/Settings.svelte';
import { fake, project } from './harness.ts';

const SETTINGS: ProjectSettings = {
  agent: { type: 'command', command: ['node', 'agent.mjs'] },
  schedule: {
    duration_minutes: 15,
    break_between_cycles_minutes: 5,
    max_cycles_per_hour: 3,
    max_iterations_per_day: 100,
    max_iterations_per_run: 1000,
    max_consecutive_errors: 3,
    retry_delay_minutes: 30,
  },
  gates: {
    test_coverage_threshold: 80,
    tests: { enabled: true, command: ['npm', 'test'], timeout_minutes: 10 },
    docs: { enabled: true, files: ['README.md'], markers: ['TODO'] },
  },
  notifications: { notifications: true, error_alert_immediate: true, progress_report_interval_hours: 2, status_report_interval_hours: 6 },
};
const RESULT: SettingsResult = { settings: SETTINGS, file: '/work/shop/.ai-knowledge-base.json', pending: false };

async function open(): Promise<HTMLInputElement> {
  fake.on('getSettings', () => RESULT);
  render(Settings, { project: project(), onclose: () => {} });
  return (await screen.findByLabelText(/Cycle length/)) as HTMLInputElement;
}

describe('Settings', () => {
  it('labels every input, gives numbers their unit, and says which gates are not configured', async () => {
    const cycle = await open();
    expect(cycle.type).toBe('number');
    expect(screen.getByLabelText('Cycle length (minutes)')).toBe(cycle);
    expect(screen.getByLabelText('Coverage threshold (%)')).toBeTruthy();
    for (const input of document.querySelectorAll('form input, form select, form textarea')) {
      const labelled =
        input.getAttribute('aria-label') || (input.id && document.querySelector(`label[for="${input.id}"]`)) || input.closest('label');
      expect(labelled, `${input.outerHTML} has no label`).toBeTruthy();
    }
    expect(screen.getAllByTestId('gate-not-configured').map((p) => p.textContent)).toEqual([
      expect.stringContaining('Tests catch faults (mutation testing)'),
      expect.stringContaining('Security scan'),
      expect.stringContaining('Performance benchmarks'),
      expect.stringContaining('Build'),
    ]);
  });

  it('sends only what changed, and shows each of the engine’s problems under its own field', async () => {
    const cycle = await open();
    await fireEvent.input(cycle, { target: { value: '0' } });
    await fireEvent.input(screen.getByLabelText('Command', { selector: '#setting-gates-tests-command' }), {
      target: { value: 'npm "" test' },
    });
    fake.refuse('updateSettings', {
      code: 'bad_request',
      message: 'updateSettings: settings.schedule.duration_minutes is invalid',
      field: 'settings.schedule.duration_minutes',
      fix: 'use a number above 0',
      issues: [
        { field: 'settings.schedule.duration_minutes', fix: 'use a number above 0' },
        { field: 'settings.gates.tests.command.1', fix: 'an argument may not be empty' },
      ],
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(cycle.getAttribute('aria-invalid')).toBe('true'));
    expect(fake.callsOf('updateSettings')).toEqual([
      { project_id: 'shop', settings: { schedule: { duration_minutes: 0 }, gates: { tests: { command: ['npm', '', 'test'] } } } },
    ]);
    const cycleError = document.getElementById(cycle.getAttribute('aria-describedby')!.split(' ')[0]!)!;
    expect(cycleError.textContent).toBe('use a number above 0');
    expect(document.getElementById('setting-gates-tests-command-error')?.textContent).toBe('an argument may not be empty');
    // Focus goes to the first field to fix.
    expect(document.activeElement).toBe(cycle);
  });

  it('adds held-out tests from their folder and command, and shows a refused folder under its field', async () => {
    await open();
    const folder = screen.getByLabelText('Folder') as HTMLInputElement;
    expect(folder.value).toBe('');
    await fireEvent.input(folder, { target: { value: '/work/shop/acceptance' } });
    await fireEvent.input(screen.getByLabelText('Command', { selector: '#setting-gates-holdout-command' }), {
      target: { value: 'node --test {holdout}' },
    });
    const fix =
      '/work/shop/acceptance is inside the project, where the agent can read and change the tests: give a folder outside /work/shop';
    fake.refuse('updateSettings', { code: 'bad_request', message: 'invalid', field: 'settings.gates.holdout.dir', fix });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(folder.getAttribute('aria-invalid')).toBe('true'));
    expect(fake.callsOf('updateSettings')).toEqual([
      { project_id: 'shop', settings: { gates: { holdout: { dir: '/work/shop/acceptance', command: ['node', '--test', '{holdout}'] } } } },
    ]);
    expect(document.getElementById('setting-gates-holdout-dir-error')?.textContent).toBe(fix);
  });

  it('says a change saved mid-cycle waits for the cycle, and when it is in the knowledge base', async () => {
    const cycle = await open();
    await fireEvent.input(cycle, { target: { value: '20' } });
    const after = { ...SETTINGS, schedule: { ...SETTINGS.schedule, duration_minutes: 20 } };
    fake.on('updateSettings', () => ({ settings: after, applied: 'after_cycle', message: 'Saved; takes effect after the current cycle.' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('settings-pending')).textContent).toContain('waits for the cycle to end');
    expect(screen.getByTestId('settings-message').textContent).toContain('takes effect after the current cycle');

    fake.on('getSettings', () => ({ ...RESULT, settings: after }));
    fake.emit({ type: 'status', project_id: 'shop', project: project() });
    await waitFor(() => expect(screen.getByTestId('settings-message').textContent).toContain('now in the knowledge base'));
    expect(screen.queryByTestId('settings-pending')).toBeNull();
    expect(cycle.value).toBe('20');
  });

  it('shows a refusal no field can show — another process drives the project — at the top, with its fix', async () => {
    const cycle = await open();
    await fireEvent.input(cycle, { target: { value: '20' } });
    fake.refuse('updateSettings', {
      code: 'conflict',
      message: '/work/shop is driven by another Goldloop process (pid 4242)',
      field: 'project_id',
      fix: 'stop that run and save again',
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('pid 4242');
    expect(alert.textContent).toContain('Fix: stop that run and save again');
    expect(cycle.getAttribute('aria-invalid')).toBeNull();
  });
});

describe('Settings saved during a cycle', () => {
  it('says so when the engine could not write them when the cycle ended', async () => {
    fake.on('getSettings', () => ({ ...RESULT, pending: true }));
    render(Settings, { project: project(), onclose: () => {} });
    await screen.findByTestId('settings-pending');
    fake.on('getSettings', () => RESULT);
    const message = 'The settings saved during cycle 4 could not be written: schedule.duration_minutes use a number above 0';
    fake.emit({ type: 'alert', project_id: 'shop', level: 'error', message });
    fake.emit({ type: 'status', project_id: 'shop', project: project() });
    await waitFor(() => expect(screen.getByTestId('settings-message').textContent?.trim()).toBe(message));
    expect(screen.getByTestId('settings-message').classList.contains('is-error')).toBe(true);
    await waitFor(() => expect(screen.queryByTestId('settings-pending')).toBeNull());
  });
});
