import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/contract/api.ts';
import { ApiError } from '../../electron/server/supervisor.ts';
import { KB_FILE } from '../../electron/store/kb/kb-file.ts';
import { waitFor } from '../helpers/project.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

const { temp, supervisor } = useSupervisors();

describe('Supervisor: the preflight', () => {
  it('refuses Start on a fresh project with every failing check and its fix; the view lists the same, with a control per fix', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.make(), init_git: true, create_kb: true });
    const failing = project.preflight!.checks.filter((c) => !c.ok);
    expect(failing.map((c) => c.gate ?? c.id)).toEqual(['agent', 'test_command', 'mutation', 'security', 'performance', 'build', 'plan']);
    expect(failing.map((c) => c.action?.kind)).toEqual(['setting', 'gate', 'gate', 'gate', 'gate', 'gate', 'plan']);
    const e = await s.call('start', { project_id: project.id }).catch((error: unknown) => error as ApiError);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).body.code).toBe('preflight_failed');
    expect((e as ApiError).body.message).toContain('7 preflight checks failed; no cycle started');
    expect((e as ApiError).body.issues!.map((i) => i.field)).toEqual(failing.map((c) => `preflight.${c.gate ?? c.id}`));
    const status = await s.api.getStatus({ project_id: project.id });
    expect(status).toMatchObject({ state: 'idle', live: false, run_iterations: 0 });
  });

  it('checks again on request: git init is the fix of a folder that is no longer a repository', async () => {
    const s = await supervisor();
    const dir = await temp.demo();
    const { project } = await s.api.addProject({ path: dir });
    expect(project.preflight!.ok).toBe(true);
    await rm(join(dir, '.git'), { recursive: true });
    const lost = (await s.api.checkProject({ project_id: project.id })).project.preflight!;
    expect(lost.checks.find((c) => !c.ok)).toMatchObject({ id: 'repository', action: { kind: 'init_git' } });
    const fixed = (await s.api.checkProject({ project_id: project.id, init_git: true })).project.preflight!;
    expect(fixed.ok).toBe(true);
  });

  it('checks again when a settings change is written between cycles, and ends the run before the next cycle when it fails', async () => {
    const s = await supervisor({ overrides: { breakMs: 60_000 } });
    const events: ApiEvent[] = [];
    s.on((e) => events.push(e));
    const { project } = await s.api.addProject({ path: await temp.demo() });
    await s.api.start({ project_id: project.id });
    await waitFor(async () => (await s.api.getStatus({ project_id: project.id })).state === 'break', 90_000, 'the break after cycle 1');
    const saved = await s.api.updateSettings({
      project_id: project.id,
      settings: { agent: { type: 'claude-code', executable: './no-such-claude' } },
    });
    expect(saved.applied).toBe('now');
    await waitFor(async () => !(await s.api.listProjects({}))[0]!.driven, 30_000, 'the run to end');
    const status = await s.api.getStatus({ project_id: project.id });
    expect(status.state).toBe('error');
    expect(status.message).toContain(
      'the settings changed and the preflight now fails, so no further cycle starts: Agent CLI: Claude Code',
    );
    expect(status.iteration).toBe(1);
    const view = (await s.api.listProjects({}))[0]!;
    expect(view.preflight!.checks.find((c) => !c.ok)).toMatchObject({ id: 'agent' });
  });
});

describe('Supervisor: an unconfigured gate, fixed in place', () => {
  it('switched off: {enabled: false} alone is valid, its line shows as waived, and the preflight passes it', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.make(), init_git: true, create_kb: true });
    const gate = (id: string) => s.api.listProjects({}).then((list) => list[0]!.preflight!.checks.find((c) => c.gate === id)!);
    expect(await gate('build')).toMatchObject({ ok: false });
    await s.api.updateSettings({ project_id: project.id, settings: { gates: { build: { enabled: false } } } });
    expect(await gate('build')).toMatchObject({ ok: true, detail: 'switched off by you: its line shows as waived' });
    const kb = JSON.parse(await readFile(join(project.path, KB_FILE), 'utf8'));
    expect(kb.gates.build).toEqual({ enabled: false });
    const status = await s.api.getStatus({ project_id: project.id });
    expect(status.checklist.find((c) => c.id === 'build')).toMatchObject({ passed: true, disabled: true, value: 'off' });
    expect(status.waived).toContain('build');
  });

  it('configured: a security scan with its command and report; switched on without a command it is refused, naming the field', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.make(), init_git: true, create_kb: true });
    const saved = await s.api.updateSettings({
      project_id: project.id,
      settings: { gates: { security: { command: ['npm', 'audit', '--json'], report: { format: 'npm-audit', path: 'stdout' } } } },
    });
    expect(saved.settings.gates.security).toMatchObject({ enabled: true, command: ['npm', 'audit', '--json'] });
    const view = (await s.api.listProjects({}))[0]!;
    expect(view.preflight!.checks.find((c) => c.gate === 'security')).toMatchObject({ ok: true, detail: 'npm audit --json' });
    const e = await s
      .call('updateSettings', { project_id: project.id, settings: { gates: { performance: { enabled: true } } } })
      .catch((error: unknown) => error as ApiError);
    expect((e as ApiError).body).toMatchObject({ field: 'settings.gates.performance.command' });
    expect((e as ApiError).body.fix).toContain('or switch the gate off with enabled: false');
  });
});
