import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import AddProject from '../../../renderer/src/components/AddProject.svelte';
import { fake, project } from './harness.ts';

async function typePath(value: string): Promise<void> {
  const input = screen.getByLabelText('Project folder (absolute path)');
  await fireEvent.input(input, { target: { value } });
}

describe('AddProject', () => {
  it('shows the engine’s error with its fix, and drops it once the path is edited', async () => {
    fake.refuse('addProject', {
      code: 'bad_request',
      message: 'addProject: path is invalid',
      field: 'path',
      fix: 'give an absolute path, e.g. /home/me/code/project',
    });
    render(AddProject);
    await typePath('code/shop');
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('addProject: path is invalid');
    expect(alert.textContent).toContain('Fix: give an absolute path');

    await typePath('/work/shop');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers git init only after the engine asked for it, and sends it when ticked', async () => {
    fake.refuse('addProject', {
      code: 'needs_git',
      message: '/work/shop is not a git repository',
      field: 'init_git',
      fix: 'pass init_git: true',
    });
    render(AddProject);
    expect(screen.queryByLabelText(/Make it a git repository/)).toBeNull();
    await typePath('/work/shop');
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    // The API's field name means nothing here: the fix names the checkbox instead.
    expect((await screen.findByRole('alert')).textContent).toContain('tick “Make it a git repository”');

    fake.on('addProject', () => ({ project: project(), notes: ['ran git init'] }));
    await fireEvent.click(screen.getByLabelText(/Make it a git repository/));
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    expect(await screen.findByText('ran git init')).toBeTruthy();
    expect(fake.callsOf('addProject').at(-1)).toEqual({ path: '/work/shop', init_git: true });
    expect(screen.queryByRole('alert')).toBeNull();
    // The project is shown at once, and the URL names it.
    expect(location.hash).toBe('#/project/shop');
  });

  it('offers both boxes at once for a folder with neither git nor a knowledge base', async () => {
    fake.refuse('addProject', {
      code: 'needs_git',
      message: '/work/shop is not a git repository, and it has no .ai-knowledge-base.json',
      field: 'init_git',
      fix: 'pass init_git: true',
      issues: [
        { field: 'init_git', fix: 'pass init_git: true' },
        { field: 'create_kb', fix: 'pass create_kb: true' },
      ],
    });
    render(AddProject);
    await typePath('/work/shop');
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    expect((await screen.findByRole('alert')).textContent).toContain('tick “Make it a git repository” and “Create a knowledge base” above');
    fake.on('addProject', () => ({ project: project(), notes: ['ran git init', 'wrote the KB'] }));
    await fireEvent.click(screen.getByLabelText(/Make it a git repository/));
    await fireEvent.click(screen.getByLabelText(/Create a knowledge base/));
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    expect(await screen.findByText('wrote the KB')).toBeTruthy();
    expect(fake.callsOf('addProject').at(-1)).toEqual({ path: '/work/shop', init_git: true, create_kb: true });
  });

  it('forgets an offer when the path changes: it was about another folder', async () => {
    fake.refuse('addProject', {
      code: 'needs_kb',
      message: '/work/a has no knowledge base',
      field: 'create_kb',
      fix: 'pass create_kb: true',
    });
    render(AddProject);
    await typePath('/work/a');
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    expect(await screen.findByLabelText(/Create a knowledge base/)).toBeTruthy();
    await typePath('/work/b');
    expect(screen.queryByLabelText(/Create a knowledge base/)).toBeNull();
  });
});
