import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KB_FILE, loadKb } from '../../../electron/store/kb/kb-file.ts';
import { allTasks } from '../../../electron/engine/tasks/queue.ts';
import { agentPath, TempDirs } from '../../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const SPEC = '# Shop spec\n\n- REQ-001: a cart sums its items\n- REQ-002: coupons reduce the total\n- REQ-003: orders are paid by card\n';
function plan(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      'init',
      dir,
      '--git',
      '--plan',
      '--agent',
      'command',
      '--agent-cmd',
      `"${process.execPath}" "${agentPath('plan-from-docs.mjs')}"`,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('goldloop init --plan', () => {
  it('turns the spec into phases, requirements and tasks in a new knowledge base', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'SPEC.md'), SPEC);
    const r = plan(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Read SPEC.md');
    expect(r.stdout).toContain('3 task(s), 3 requirement(s)');
    const kb = await loadKb(dir);
    expect(kb.requirements.map((q) => q.id)).toEqual(['REQ-001', 'REQ-002', 'REQ-003']);
    expect(kb.task_queue.high_priority.map((t) => t.task_id)).toEqual(['PLAN_001']);
    expect(kb.task_queue.medium_priority.map((t) => [t.task_id, t.dependencies, t.requirements])).toEqual([
      ['PLAN_002', ['PLAN_001'], ['REQ-002']],
      ['PLAN_003', ['PLAN_002'], ['REQ-003']],
    ]);
    expect(kb.phases.slice(0, 2)).toEqual([
      { phase: 1, name: 'Checkout core' },
      { phase: 2, name: 'Payments' },
    ]);
  });

  it('adds to an existing knowledge base, keeping its tasks', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'SPEC.md'), SPEC);
    expect(spawnSync(process.execPath, [BIN, 'init', dir, '--git'], { encoding: 'utf8' }).status).toBe(0);
    const kbText = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    kbText.task_queue = { high_priority: [{ task_id: 'MINE', description: 'mine' }] };
    await writeFile(join(dir, KB_FILE), JSON.stringify(kbText));
    expect(plan(dir).code).toBe(0);
    expect(allTasks(await loadKb(dir)).map((t) => t.task.task_id)).toEqual(['MINE', 'PLAN_001', 'PLAN_002', 'PLAN_003']);
  });

  it('refuses a proposal with a dependency cycle: exit 1, the path and the fix, knowledge base unchanged', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'SPEC.md'), SPEC);
    expect(spawnSync(process.execPath, [BIN, 'init', dir, '--git'], { encoding: 'utf8' }).status).toBe(0);
    const before = await readFile(join(dir, KB_FILE), 'utf8');
    const r = plan(dir, { PLAN_CYCLE: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.goldloop/plan/proposal.json is not a valid proposal; nothing was added to .ai-knowledge-base.json');
    expect(r.stderr).toContain('$.tasks[0].dependencies: dependency cycle: PLAN_001 -> PLAN_003 -> PLAN_002 -> PLAN_001');
    expect(r.stderr).toContain('fix: remove one of these dependencies');
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(before);
  });

  it('drafts held-out tests into the held-out folder for review, keeps a file that is there, and takes them out of the proposal', async () => {
    const dir = await temp.make();
    const holdout = await temp.make('goldloop-holdout-');
    await writeFile(join(dir, 'SPEC.md'), SPEC);
    expect(spawnSync(process.execPath, [BIN, 'init', dir, '--git'], { encoding: 'utf8' }).status).toBe(0);
    const kbText = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
    kbText.gates = { ...kbText.gates, holdout: { dir: holdout, command: [process.execPath, '--test', '{holdout}'] } };
    await writeFile(join(dir, KB_FILE), JSON.stringify(kbText));
    await writeFile(join(holdout, 'REQ-002.test.js'), '// mine\n');
    const r = plan(dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `Drafted 2 held-out acceptance test(s) in ${holdout} (REQ-001.test.js, REQ-003.test.js); kept 1 file(s) that were there already: REQ-002.test.js`,
    );
    const draft = await readFile(join(holdout, 'REQ-001.test.js'), 'utf8');
    expect(draft.split('\n')[0]).toBe(
      '// DRAFT held-out acceptance test, written by `goldloop init --plan` for REQ-001: a cart sums its items.',
    );
    expect(draft).toContain("test('REQ-001 a cart sums its items'");
    expect(await readFile(join(holdout, 'REQ-002.test.js'), 'utf8')).toBe('// mine\n');
    expect(await readFile(join(dir, '.goldloop/plan/proposal.json'), 'utf8')).not.toContain('holdout_tests');
    // The planning session is not asked for them: they come from a session of their own.
    expect(await readFile(join(dir, '.goldloop/plan-prompt.md'), 'utf8')).not.toContain('Held-out');
  });

  it('asks for held-out drafts only where the knowledge base has held-out tests', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'SPEC.md'), SPEC);
    expect(plan(dir).code).toBe(0);
    expect(await readFile(join(dir, '.goldloop/plan-prompt.md'), 'utf8')).not.toContain('Held-out');
    expect(await readFile(join(dir, '.goldloop/plan/proposal.json'), 'utf8')).not.toContain('holdout_tests');
  });

  it('says where it looked when there is nothing to plan from', async () => {
    const dir = await temp.make();
    const r = plan(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no documents to plan from');
    expect(r.stderr).toContain('--doc <path>');
  });
});
