import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PreflightCheck } from '../../../electron/contract/preflight.ts';
import { preflight } from '../../../electron/engine/project/preflight.ts';
import { preflightChecks, type PreflightFacts } from '../../../electron/engine/project/preflight-checks.ts';
import { KB_FILE, loadKb } from '../../../electron/store/kb/kb-file.ts';
import { KbSchema, type Kb } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const FOUND: PreflightFacts = {
  agent: {
    kind: 'found',
    name: 'Claude Code',
    path: '/usr/bin/claude',
    version: '2.1.197',
    mode: 'acceptEdits',
    modeSet: false,
    readOnlyModes: ['default', 'plan'],
  },
  git: 'git version 2.43.0',
  repository: true,
};

/** A KB with one task and every gate configured; `change` takes pieces away. */
type Raw = { gates: Record<string, unknown>; [key: string]: unknown };

function kb(change: (raw: Raw) => void = () => {}): Kb {
  const raw: Raw = {
    task_queue: { high_priority: [{ task_id: 'T1', description: 'do it', priority: 'P0' }] },
    gates: {
      tests: { command: ['npm', 'test'] },
      mutation: { command: ['npx', 'stryker', 'run'] },
      security: { command: ['npm', 'audit', '--json'], report: { format: 'npm-audit', path: 'stdout' } },
      performance: { command: ['node', 'bench.js'], thresholds: { ms: { max: 5 } } },
      build: { command: ['npm', 'run', 'build'] },
    },
  };
  change(raw);
  return KbSchema.parse(raw);
}

const failing = (checks: PreflightCheck[]): PreflightCheck[] => checks.filter((c) => !c.ok);
const check = (checks: PreflightCheck[], id: string, gate?: string): PreflightCheck =>
  checks.find((c) => c.id === id && (gate === undefined || c.gate === gate))!;

describe('the preflight, judged from what was found', () => {
  it('passes a configured project with its agent found, and shows the version', () => {
    const checks = preflightChecks(kb(), FOUND, '/p');
    expect(failing(checks)).toEqual([]);
    expect(check(checks, 'agent').detail).toBe('Claude Code 2.1.197 at /usr/bin/claude');
    expect(check(checks, 'permission_mode').detail).toBe('acceptEdits, the default that lets it edit inside the project');
  });

  it('names the missing CLI and how to install it', () => {
    const facts: PreflightFacts = {
      ...FOUND,
      agent: {
        kind: 'missing',
        name: 'Claude Code',
        program: 'claude',
        installHint: 'npm install -g @anthropic-ai/claude-code',
        command: false,
      },
    };
    const [agent] = failing(preflightChecks(kb(), facts, '/p'));
    expect(agent).toMatchObject({ id: 'agent', detail: 'Claude Code: claude is not installed (not found on PATH)' });
    expect(agent!.fix).toContain('npm install -g @anthropic-ai/claude-code');
    expect(agent!.action).toEqual({ kind: 'install', command: 'npm install -g @anthropic-ai/claude-code' });
  });

  it('refuses a permission mode that keeps the agent from editing, naming the setting', () => {
    const facts: PreflightFacts = {
      ...FOUND,
      agent: { ...(FOUND.agent as Extract<PreflightFacts['agent'], { kind: 'found' }>), mode: 'plan', modeSet: true },
    };
    const [mode] = failing(preflightChecks(kb(), facts, '/p'));
    expect(mode).toMatchObject({ id: 'permission_mode', action: { kind: 'setting', field: 'settings.agent.permission_mode' } });
    expect(mode!.detail).toContain('"plan" does not let Claude Code edit files');
    expect(mode!.fix).toContain('agent.permission_mode');
  });

  it('asks for an agent when none is configured', () => {
    const [agent] = failing(preflightChecks(kb(), { ...FOUND, agent: { kind: 'none' } }, '/p'));
    expect(agent).toMatchObject({ id: 'agent', detail: 'no agent is configured' });
    expect(agent!.fix).toContain('agent.type');
  });

  it('needs git installed and the folder a repository, with git init as the fix', () => {
    const checks = failing(preflightChecks(kb(), { agent: FOUND.agent, repository: false }, '/p'));
    expect(checks.map((c) => c.id)).toEqual(['git', 'repository']);
    expect(checks[0]!.fix).toContain('install git');
    expect(checks[1]).toMatchObject({ detail: '/p is not a git repository', action: { kind: 'init_git' } });
  });

  it('needs the test command', () => {
    const [tests] = failing(
      preflightChecks(
        kb((r) => delete r.gates.tests),
        FOUND,
        '/p',
      ),
    );
    expect(tests).toMatchObject({ id: 'test_command', action: { kind: 'gate', gate: 'tests' } });
    expect(tests!.fix).toContain('gates.tests.command');
  });

  it('needs every gate configured or switched off on purpose: a waived gate passes, a missing one fails', () => {
    const checks = preflightChecks(
      kb((r) => {
        delete r.gates.performance;
        delete r.gates.build;
        r.gates.mutation = { enabled: false };
      }),
      FOUND,
      '/p',
    );
    expect(failing(checks).map((c) => c.gate)).toEqual(['performance', 'build']);
    expect(check(checks, 'gate', 'build')).toMatchObject({ action: { kind: 'gate', gate: 'build' } });
    expect(check(checks, 'gate', 'build').fix).toContain('switch it off (gates.build.enabled: false)');
    expect(check(checks, 'gate', 'mutation')).toMatchObject({ ok: true, detail: 'switched off by you: its line shows as waived' });
  });

  it('counts a security scan the KB does not require as switched off on purpose', () => {
    const checks = preflightChecks(
      kb((r) => {
        delete r.gates.security;
        r.autonomous_operation = { quality_gates: { security_scan_must_pass: false } };
      }),
      FOUND,
      '/p',
    );
    expect(check(checks, 'gate', 'security')).toMatchObject({ ok: true });
  });

  it('needs at least one task, offering to plan from the documents', () => {
    const [plan] = failing(
      preflightChecks(
        kb((r) => delete r.task_queue),
        FOUND,
        '/p',
      ),
    );
    expect(plan).toMatchObject({ id: 'plan', action: { kind: 'plan' } });
    expect(plan!.fix).toContain('Plan from documents');
  });

  it('leaves the agent out when the host gives its own runner', () => {
    const checks = preflightChecks(kb(), { ...FOUND, agent: { kind: 'given' } }, '/p');
    expect(checks.some((c) => c.id === 'agent' || c.id === 'permission_mode')).toBe(false);
  });
});

describe('the preflight on a real folder', () => {
  it('passes the demo project with its command agent', async () => {
    const dir = await temp.demo();
    const p = await preflight({
      projectDir: dir,
      kb: await loadKb(dir),
      agent: { type: 'command', command: [process.execPath, 'agent.mjs'] },
    });
    expect(failing(p.checks)).toEqual([]);
    expect(p.ok).toBe(true);
    expect(check(p.checks, 'agent').detail).toContain(process.execPath);
    expect(check(p.checks, 'git').detail).toMatch(/^git version /);
  });

  it("runs the CLI's --version and shows it; a missing program fails with its install hint", async () => {
    const dir = await temp.demo();
    const cli = join(dir, 'fake-claude');
    await writeFile(cli, '#!/bin/sh\necho "9.8.7 (Claude Code)"\n');
    await chmod(cli, 0o755);
    const found = await preflight({ projectDir: dir, kb: await loadKb(dir), agent: { type: 'claude-code', executable: './fake-claude' } });
    expect(check(found.checks, 'agent')).toMatchObject({ ok: true, detail: `Claude Code 9.8.7 (Claude Code) at ${cli}` });
    const missing = await preflight({
      projectDir: dir,
      kb: await loadKb(dir),
      agent: { type: 'claude-code', executable: './no-such-cli' },
    });
    expect(missing.ok).toBe(false);
    expect(check(missing.checks, 'agent').detail).toBe(`Claude Code: ${join(dir, 'no-such-cli')} is not installed (not found)`);
  });

  it('refuses a model or mode the CLI does not list, as a cycle would', async () => {
    const dir = await temp.demo();
    const kbFile = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    const p = await preflight({ projectDir: dir, kb: KbSchema.parse(kbFile), agent: { type: 'claude-code', permission_mode: 'yolo' } });
    expect(check(p.checks, 'agent')).toMatchObject({ ok: false });
    expect(check(p.checks, 'agent').detail).toContain('Claude Code permission mode "yolo" is not one of');
  });
});
