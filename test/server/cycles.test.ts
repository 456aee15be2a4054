/**
 * The cycle history through the API: paged newest first so a thousand cycles cost one page, and
 * one cycle with what its row links to (its log, its diff from Goldloop's snapshots, its evidence).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../electron/engine/loop/project-loop.ts';
import { ApiError } from '../../electron/server/supervisor.ts';
import { demoAgent } from '../helpers/project.ts';
import { writeMadeUpHistory } from '../helpers/history.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

const { temp, supervisor } = useSupervisors();

describe('listCycles', () => {
  it('pages a history of 1,000 cycles newest first, a range at a time', async () => {
    const s = await supervisor();
    const dir = await temp.demo();
    await writeMadeUpHistory(dir, 1000);
    const { project } = await s.api.addProject({ path: dir });

    const first = await s.api.listCycles({ project_id: project.id, limit: 25 });
    expect(first.total).toBe(1000);
    expect(first.from).toBe(0);
    expect(first.cycles.map((c) => c.iteration)).toEqual(Array.from({ length: 25 }, (_, k) => 1000 - k));

    const middle = await s.api.listCycles({ project_id: project.id, from: 500, limit: 3 });
    expect(middle.cycles.map((c) => c.iteration)).toEqual([500, 499, 498]);
    expect(middle.cycles[0]).toMatchObject({ work: 'TASK_250', changes: { files: 3, added: 1500, removed: 3 } });

    const last = await s.api.listCycles({ project_id: project.id, from: 990 });
    expect(last.cycles.map((c) => c.iteration)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect((await s.api.listCycles({ project_id: project.id })).cycles).toHaveLength(50);
    expect(await s.api.listCycles({ project_id: project.id, from: 5000 })).toEqual({ total: 1000, from: 1000, cycles: [] });
  });

  it('refuses a page of more than 500 cycles, naming the field', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.demo() });
    const refused = await s.call('listCycles', { project_id: project.id, limit: 5000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).body).toMatchObject({ code: 'bad_request', field: 'limit', fix: 'limit is at most 500' });
  });
});

describe('getCycle', () => {
  it("gives a real cycle's log, the agent's diff from the snapshots, its figures and its gate evidence", async () => {
    const dir = await temp.demo();
    await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } }).run();
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: dir });

    const detail = await s.api.getCycle({ project_id: project.id, cycle: 1 });
    expect(detail.log).toBe('.goldloop/logs/cycle-000001.log');
    const diff = detail.diff!;
    expect(diff.lines[0]).toMatch(/^diff --git a\/src\//);
    expect(diff.total).toBe(diff.lines.length);
    const added = diff.lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
    const removed = diff.lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
    expect(detail.cycle.changes).toEqual({ files: diff.lines.filter((l) => l.startsWith('diff --git')).length, added, removed });
    expect(added).toBeGreaterThan(0);
    // Named by date and cycle: `2026-12-02T0105-cycle-1`.
    expect(detail.evidence?.folder).toMatch(/^\.goldloop\/evidence\/\d{4}-\d{2}-\d{2}T\d{4}-cycle-1$/);
    expect(detail.evidence?.files).toContain('junit.xml');
  });

  it('finds the evidence of a cycle in a folder named by an earlier version (cycle-1), and the newest dated one first', async () => {
    const dir = await temp.demo();
    await writeMadeUpHistory(dir, 3);
    const evidence = join(dir, '.goldloop', 'evidence');
    for (const [folder, file] of [
      ['cycle-1', 'junit.xml'],
      ['cycle-2', 'old.xml'],
      ['2026-12-02T0105-cycle-2', 'first.xml'],
      ['2026-12-02T0105-cycle-2-2', 'second.xml'],
      ['2026-12-02T0107-cycle-3-rollback', 'lcov.info'],
      ['2026-12-02T0109-cycle-33', 'other.xml'],
    ]) {
      await mkdir(join(evidence, folder!), { recursive: true });
      await writeFile(join(evidence, folder!, file!), 'x');
    }
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: dir });
    const evidenceOf = async (cycle: number) => (await s.api.getCycle({ project_id: project.id, cycle })).evidence;
    expect(await evidenceOf(1)).toEqual({ folder: '.goldloop/evidence/cycle-1', files: ['junit.xml'] });
    expect(await evidenceOf(2)).toEqual({ folder: '.goldloop/evidence/2026-12-02T0105-cycle-2-2', files: ['second.xml'] });
    expect(await evidenceOf(3)).toEqual({ folder: '.goldloop/evidence/2026-12-02T0107-cycle-3-rollback', files: ['lcov.info'] });
  });

  it('names the cycle the history does not have', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.demo() });
    const refused = await s.api.getCycle({ project_id: project.id, cycle: 7 }).catch((e: unknown) => e);
    expect((refused as ApiError).body).toMatchObject({ code: 'not_found', message: 'the history has no cycle 7', field: 'cycle' });
  });
});
