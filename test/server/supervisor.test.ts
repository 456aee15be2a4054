import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initRepository } from '../../electron/platform/git.ts';
import { KB_FILE } from '../../electron/store/kb/kb-file.ts';
import { lockHolder } from '../../electron/store/lock.ts';
import { ApiError, type Supervisor } from '../../electron/server/supervisor.ts';
import type { ApiEvent } from '../../electron/contract/api.ts';
import { AGENT_MARK, agentPath, markAgents, scriptedAgent, waitFor } from '../helpers/project.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

const { temp, supervisor } = useSupervisors();

/** The ApiError a call rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the request to be refused');
}

function record(s: Supervisor): ApiEvent[] {
  const events: ApiEvent[] = [];
  s.on((e) => events.push(e));
  return events;
}

describe('Supervisor: the process', () => {
  it('opens the registry without taking over SIGINT or SIGTERM (Ctrl-C stays graceful)', async () => {
    // In a fresh process: conf's dependency when-exit hooks signals when first imported.
    const script = join(await temp.make(), 'signals.mts');
    const supervisorModule = fileURLToPath(new URL('../../electron/server/supervisor.ts', import.meta.url));
    await writeFile(
      script,
      `import { openRegistry } from ${JSON.stringify(supervisorModule)};\n` +
        `await openRegistry(${JSON.stringify(await temp.make('goldloop-config-'))});\n` +
        `console.log(JSON.stringify(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))));\n`,
    );
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/tsx.js', import.meta.url)), script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([0, 0, 0]);
  });
});

describe('Supervisor: adding projects', () => {
  it('refuses a relative path, naming the field and the fix', async () => {
    const s = await supervisor();
    const e = await refusal(s.call('addProject', { path: 'code/project' }));
    expect(e.body).toMatchObject({ code: 'bad_request', field: 'path' });
    expect(e.body.fix).toContain('absolute path');
  });

  it('refuses a folder that does not exist', async () => {
    const s = await supervisor();
    const e = await refusal(s.call('addProject', { path: join(await temp.make(), 'nope') }));
    expect(e.body).toMatchObject({ code: 'not_found', field: 'path' });
    expect(e.body.fix).toContain('existing folder');
  });

  it('refuses unknown fields and wrong types instead of ignoring them', async () => {
    const s = await supervisor();
    const unknown = await refusal(s.call('addProject', { path: '/tmp', initgit: true }));
    expect(unknown.body.fix).toContain('remove initgit');
    const wrongType = await refusal(s.call('getLog', { project_id: 'abc', limit: 'all' }));
    expect(wrongType.body).toMatchObject({ code: 'bad_request', field: 'limit' });
    const missing = await refusal(s.call('start', {}));
    expect(missing.body).toMatchObject({ field: 'project_id' });
    expect((await refusal(s.call('deleteEverything', {}))).body.code).toBe('not_found');
  });

  it('refuses a system folder, a root or a home outright, before offering git init there', async () => {
    const s = await supervisor();
    // Asked without init_git, so that a regression answers "needs_git" (the offer) rather than running git init in /.
    for (const path of ['/', '/etc', '/proc', '/proc/self', '/usr', homedir()]) {
      const e = await refusal(s.call('addProject', { path }));
      expect(e.body, path).toMatchObject({ code: 'bad_request', field: 'path' });
      expect(e.body.message, path).toMatch(/root of a file system|folder of the operating system|home folder|kernel's own files/);
    }
  });

  it('offers git init and a knowledge base, and changes nothing until asked', async () => {
    const s = await supervisor();
    const dir = await temp.make();
    const noGit = await refusal(s.call('addProject', { path: dir }));
    expect(noGit.body).toMatchObject({ code: 'needs_git', field: 'init_git' });
    // Both missing: both asked for in one answer.
    expect(noGit.body.issues?.map((i) => i.field)).toEqual(['init_git', 'create_kb']);
    expect(existsSync(join(dir, '.git'))).toBe(false);
    const noKb = await refusal(s.call('addProject', { path: dir, init_git: true }));
    expect(noKb.body).toMatchObject({ code: 'needs_kb', field: 'create_kb' });
    expect(existsSync(join(dir, '.git'))).toBe(false);

    const added = await s.api.addProject({ path: dir, init_git: true, create_kb: true });
    expect(existsSync(join(dir, '.git'))).toBe(true);
    expect(existsSync(join(dir, KB_FILE))).toBe(true);
    expect(added.notes.join('\n')).toContain('git repository');
    expect(added.project.status?.state).toBe('idle');
    expect((await refusal(s.call('addProject', { path: dir }))).body.code).toBe('conflict');
  });

  it('refuses a knowledge base that does not validate, with its own message, and leaves it as it was', async () => {
    const s = await supervisor();
    const dir = await temp.make();
    await initRepository(dir);
    await writeFile(join(dir, KB_FILE), '{ "task_queue": { "high_priority": [ { "task_id": 7 } ] } }');
    const e = await refusal(s.call('addProject', { path: dir }));
    expect(e.body.code).toBe('conflict');
    expect(e.body.message).toContain(KB_FILE);
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toContain('"task_id": 7');
  });

  it('keeps the registry across restarts, skipping (and keeping) entries it cannot read', async () => {
    const configDir = await temp.make('goldloop-config-');
    const first = await supervisor({ configDir });
    const dir = await temp.demo();
    const { project } = await first.api.addProject({ path: dir });
    const file = first.configPath;
    const stored = JSON.parse(await readFile(file, 'utf8'));
    stored.projects.push({ id: 'NOT VALID', path: 3 });
    await writeFile(file, JSON.stringify(stored));

    const second = await supervisor({ configDir });
    const list = await second.api.listProjects({});
    expect(list.map((p) => p.id)).toEqual([project.id]);
    expect(list[0]!.status?.name).toBe('textkit (Goldloop demo)');
    await second.api.removeProject({ project_id: project.id });
    expect(await second.api.listProjects({})).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8')).projects).toEqual([{ id: 'NOT VALID', path: 3 }]);
  });
});

describe('Supervisor: running projects', () => {
  it('drives the demo to gold with the agent from its KB, fanning out every event with the project id', async () => {
    const s = await supervisor();
    const events = record(s);
    const { project } = await s.api.addProject({ path: await temp.demo() });
    const started = await s.api.start({ project_id: project.id });
    expect(started.project.driven).toBe(true);
    await waitFor(() => events.some((e) => e.type === 'gold'), 90_000, 'gold');
    await waitFor(async () => !(await s.api.listProjects({}))[0]!.driven, 10_000, 'the run to end');

    const types = new Set(events.map((e) => e.type));
    for (const t of ['snapshot', 'state', 'cycle_start', 'agent_line', 'gates', 'cycle_end', 'report', 'gold', 'status'] as const)
      expect(types).toContain(t);
    for (const e of events) if (e.type !== 'snapshot') expect(e.project_id).toBe(project.id);
    const status = await s.api.getStatus({ project_id: project.id });
    expect(status).toMatchObject({ state: 'complete', gold: true });
    expect(status.phases.every((p) => p.done === p.total)).toBe(true);

    const log = await s.api.getLog({ project_id: project.id });
    expect(log.cycles).toHaveLength(6);
    expect(log.lines.map((l) => l.text).join('\n')).toContain('demo agent: done with');
    const first = await s.api.getLog({ project_id: project.id, cycle: 1, from: -1, limit: 1 });
    expect(first.lines).toHaveLength(1);
    expect(first.from).toBe(first.total - 1);
    expect(await s.api.getHistory({ project_id: project.id })).toHaveLength(6);
    const reports = await s.api.listReports({ project_id: project.id });
    expect(reports.map((r) => r.kind)).toContain('final');
    const final = reports.find((r) => r.kind === 'final')!;
    expect((await s.api.readReport({ project_id: project.id, name: final.name })).markdown).toContain('#');
    expect((await refusal(s.call('readReport', { project_id: project.id, name: '../state.json' }))).body.field).toBe('name');
  });

  it('pauses a slow agent mid-cycle (its process ends), resumes, and stops', async () => {
    const mark = markAgents();
    Object.assign(process.env, mark.env);
    try {
      const s = await supervisor({ agentFor: async () => scriptedAgent(agentPath('slow.mjs')) });
      const events = record(s);
      const { project } = await s.api.addProject({ path: await temp.demo() });
      await s.api.start({ project_id: project.id });
      expect((await refusal(s.call('start', { project_id: project.id }))).body.code).toBe('conflict');
      expect((await refusal(s.call('runGatesNow', { project_id: project.id }))).body.code).toBe('conflict');
      expect((await refusal(s.call('removeProject', { project_id: project.id }))).body.code).toBe('conflict');
      await waitFor(() => events.some((e) => e.type === 'agent_line' && e.line === 'slow agent: thinking'), 30_000, 'the agent to start');
      expect((await mark.processes()).length).toBeGreaterThan(0);

      const paused = await s.api.pause({ project_id: project.id });
      expect(paused.project).toMatchObject({ driven: false, status: { state: 'paused' } });
      await waitFor(async () => (await mark.processes()).length === 0, 5_000, 'the agent to end');

      const resumed = await s.api.resume({ project_id: project.id });
      expect(resumed.project.driven).toBe(true);
      expect((await refusal(s.call('resume', { project_id: project.id }))).body.code).toBe('conflict');
      const stopped = await s.api.stop({ project_id: project.id });
      expect(stopped.project).toMatchObject({ driven: false, status: { state: 'stopped' } });
    } finally {
      delete process.env[AGENT_MARK];
    }
  });

  it('runs the gates now, pushing the result', async () => {
    const s = await supervisor();
    const events = record(s);
    const { project } = await s.api.addProject({ path: await temp.demo() });
    const run = await s.api.runGatesNow({ project_id: project.id });
    expect(run.gold).toBe(false);
    expect(run.checklist.find((c) => c.id === 'tests')?.passed).toBe(false);
    expect(events.some((e) => e.type === 'gates' && e.project_id === project.id)).toBe(true);
    const status = await s.api.getStatus({ project_id: project.id });
    expect(status.measured_at).toBe(run.at);
  });

  it('refuses to start a project whose KB names no agent, saying where to set one', async () => {
    const s = await supervisor();
    const dir = await temp.make();
    await mkdir(dir, { recursive: true });
    const { project } = await s.api.addProject({ path: dir, init_git: true, create_kb: true });
    const e = await refusal(s.call('start', { project_id: project.id }));
    expect(e.body).toMatchObject({ code: 'preflight_failed', field: 'preflight' });
    expect(e.body.issues).toContainEqual({
      field: 'preflight.agent',
      fix: expect.stringContaining('agent.type in .ai-knowledge-base.json'),
    });
    expect((await s.api.getStatus({ project_id: project.id })).live).toBe(false);
  });
});

describe('Supervisor: planning from the dashboard', () => {
  const SPEC = '# Shop spec\n\n- REQ-001: a cart sums its items\n- REQ-002: coupons reduce the total\n- REQ-003: orders are paid by card\n';

  async function planned(env: Record<string, string> = {}) {
    const s = await supervisor({ agentFor: async () => scriptedAgent(agentPath('plan-from-docs.mjs')) });
    const events = record(s);
    const dir = await temp.make();
    await writeFile(join(dir, 'SPEC.md'), SPEC);
    const { project } = await s.api.addProject({ path: dir, init_git: true, create_kb: true });
    Object.assign(process.env, env);
    return { s, events, dir, id: project.id };
  }

  it('lists the documents, runs one planning cycle in the background and merges a valid proposal', async () => {
    const { s, events, dir, id } = await planned();
    expect(await s.api.planDocuments({ project_id: id })).toEqual({ documents: ['SPEC.md'] });
    const started = await s.api.planProject({ project_id: id });
    expect(started.project.plan).toMatchObject({ state: 'running', documents: ['SPEC.md'] });
    // Nothing else may use the project meanwhile: not the gates, not a settings save (the planning
    // restores the KB it started from), not a `goldloop run` elsewhere (the lock is held).
    expect((await refusal(s.call('runGatesNow', { project_id: id }))).body.message).toContain('planning');
    expect(
      (await refusal(s.call('updateSettings', { project_id: id, settings: { schedule: { duration_minutes: 7 } } }))).body.message,
    ).toContain('planning');
    expect((await refusal(s.call('planProject', { project_id: id }))).body.message).toContain('already running');
    expect(await lockHolder(dir)).toMatchObject({ pid: process.pid });
    await waitFor(() => events.some((e) => e.type === 'plan' && e.plan.state !== 'running'), 30_000, 'the planning cycle to end');
    const [view] = await s.api.listProjects({});
    expect(view!.plan).toMatchObject({ state: 'merged', added: { tasks: 3, requirements: 3 } });
    expect(existsSync(join(dir, view!.plan!.log!))).toBe(true);
    const status = await s.api.getStatus({ project_id: id });
    expect(status.tasks.map((t) => t.task_id)).toEqual(['PLAN_001', 'PLAN_002', 'PLAN_003']);
    expect(await lockHolder(dir)).toBeUndefined();
  });

  it('keeps the knowledge base as it was when the proposal is invalid, and says each problem', async () => {
    const { s, events, dir, id } = await planned({ PLAN_CYCLE: '1' });
    try {
      const before = await readFile(join(dir, KB_FILE), 'utf8');
      await s.api.planProject({ project_id: id });
      await waitFor(() => events.some((e) => e.type === 'plan' && e.plan.state !== 'running'), 30_000, 'the planning cycle to end');
      const plan = (await s.api.listProjects({}))[0]!.plan!;
      expect(plan.state).toBe('failed');
      expect(plan.message).toContain('is not a valid proposal');
      expect(plan.problems?.[0]?.message).toContain('cycle');
      expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(before);
    } finally {
      delete process.env.PLAN_CYCLE;
    }
  });

  it('refuses to plan without documents, or from a path outside the project', async () => {
    const s = await supervisor({ agentFor: async () => scriptedAgent(agentPath('plan-from-docs.mjs')) });
    const { project } = await s.api.addProject({ path: await temp.make(), init_git: true, create_kb: true });
    expect((await refusal(s.call('planProject', { project_id: project.id }))).body).toMatchObject({ code: 'bad_request', field: 'docs' });
    expect((await refusal(s.call('planProject', { project_id: project.id, docs: ['../secret.md'] }))).body).toMatchObject({
      code: 'bad_request',
      field: 'docs.0',
    });
    expect((await refusal(s.call('planProject', { project_id: project.id, docs: ['missing.md'] }))).body.message).toContain(
      'missing.md: no such file',
    );
  });
});

describe('Supervisor: requests that change a project, one at a time', () => {
  it('keeps both of two settings saves sent at the same moment', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.demo() });
    const saves = [];
    for (let i = 0; i < 6; i++) {
      saves.push(
        s.api.updateSettings({
          project_id: project.id,
          settings: i % 2 ? { schedule: { duration_minutes: 10 + i } } : { gates: { test_coverage_threshold: 70 + i } },
        }),
      );
    }
    await Promise.all(saves);
    const { settings } = await s.api.getSettings({ project_id: project.id });
    expect(settings.schedule.duration_minutes).toBe(15);
    expect(settings.gates.test_coverage_threshold).toBe(74);
    // One refused request does not stall the ones after it.
    const bad = s
      .call('updateSettings', { project_id: project.id, settings: { schedule: { duration_minutes: 0 } } })
      .catch((e: unknown) => e);
    const good = s.api.updateSettings({ project_id: project.id, settings: { schedule: { break_between_cycles_minutes: 2 } } });
    expect(await bad).toBeInstanceOf(ApiError);
    await good;
    expect((await s.api.getSettings({ project_id: project.id })).settings.schedule.break_between_cycles_minutes).toBe(2);
  });
});
