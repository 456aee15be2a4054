// The evidence folders: named by date and what the phase measured (`2026-12-02T0105-cycle-12`),
// unique within a minute, and those of earlier versions (`cycle-12`, `manual-1764637500000`) still
// found and pruned.
import { existsSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceStamp, findEvidenceFolder, makeEvidenceFolder, pruneEvidence } from '../../../electron/engine/gates/evidence.ts';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const AT = Date.UTC(2026, 11, 2, 1, 5, 42);
const root = (dir: string): string => join(dir, '.goldloop', 'evidence');

/** A KB whose one gate prints an empty SARIF log, which the security gate keeps as evidence. */
const scanningKb = () =>
  KbSchema.parse({
    gates: {
      security: {
        command: [process.execPath, '-e', "console.log(JSON.stringify({ version: '2.1.0', runs: [] }))"],
        report: { format: 'sarif', path: 'stdout' },
      },
    },
  });

describe('evidence folder names', () => {
  it('stamp the minute in UTC, sortable and without a colon', () => {
    expect(evidenceStamp(AT)).toBe('2026-12-02T0105');
    expect(evidenceStamp(Date.UTC(2027, 0, 9, 23, 59, 59))).toBe('2027-01-09T2359');
  });

  it('are unique when two phases of one label run in the same minute', async () => {
    const dir = await temps.make();
    expect(await makeEvidenceFolder(dir, 'cycle-12', AT)).toBe('2026-12-02T0105-cycle-12');
    expect(await makeEvidenceFolder(dir, 'cycle-12-rollback', AT + 1000)).toBe('2026-12-02T0105-cycle-12-rollback');
    expect(await makeEvidenceFolder(dir, 'cycle-12', AT + 2000)).toBe('2026-12-02T0105-cycle-12-2');
    expect(await makeEvidenceFolder(dir, 'cycle-12', AT + 3000)).toBe('2026-12-02T0105-cycle-12-3');
    expect((await readdir(root(dir))).sort()).toEqual([
      '2026-12-02T0105-cycle-12',
      '2026-12-02T0105-cycle-12-2',
      '2026-12-02T0105-cycle-12-3',
      '2026-12-02T0105-cycle-12-rollback',
    ]);
  });

  it('name the folder a gate phase keeps its reports in, when the phase says when it was asked for', async () => {
    const dir = await temps.make();
    const first = await runGates({ projectDir: dir, kb: scanningKb(), label: 'manual', at: AT });
    const second = await runGates({ projectDir: dir, kb: scanningKb(), label: 'manual', at: AT + 5000 });
    const report = (run: typeof first) => run.checklist.find((c) => c.id === 'security')!.evidence.report;
    expect(report(first)).toBe(join(root(dir), '2026-12-02T0105-manual', 'security-sarif.json'));
    expect(report(second)).toBe(join(root(dir), '2026-12-02T0105-manual-2', 'security-sarif.json'));
  });

  it('leave no empty folder of a phase where no command gate ran', async () => {
    const dir = await temps.make();
    await runGates({ projectDir: dir, kb: KbSchema.parse({}), label: 'cycle-1', at: AT });
    expect(await readdir(root(dir)).catch(() => [])).toEqual([]);
  });
});

describe('finding a phase folder', () => {
  it('finds the newest dated folder of a label, else the undated one of an earlier version', async () => {
    const dir = await temps.make();
    for (const name of [
      'cycle-1',
      'cycle-2',
      '2026-12-02T0105-cycle-2',
      '2026-12-02T0105-cycle-2-2',
      '2026-12-01T2359-cycle-2-10',
      '2026-12-02T0109-cycle-22',
    ])
      await mkdir(join(root(dir), name), { recursive: true });
    expect(await findEvidenceFolder(dir, 'cycle-1')).toBe('cycle-1');
    expect(await findEvidenceFolder(dir, 'cycle-2')).toBe('2026-12-02T0105-cycle-2-2');
    expect(await findEvidenceFolder(dir, 'cycle-22')).toBe('2026-12-02T0109-cycle-22');
    expect(await findEvidenceFolder(dir, 'cycle-2-rollback')).toBeUndefined();
    expect(await findEvidenceFolder(dir, 'cycle-3')).toBeUndefined();
  });

  it('finds nothing in a project without evidence', async () => {
    expect(await findEvidenceFolder(await temps.make(), 'cycle-1')).toBeUndefined();
  });
});

describe('pruning', () => {
  it('keeps the newest folders by when they were written, old names and new alike, and never the current one', async () => {
    const dir = await temps.make();
    const names = [
      'manual-1764637500000',
      'cycle-3',
      'baseline-1a2b3c4d',
      '2026-12-02T0105-cycle-4',
      '2026-12-02T0106-manual',
      '2026-12-02T0107-cycle-5',
    ];
    for (const [i, name] of names.entries()) {
      await mkdir(join(root(dir), name), { recursive: true });
      await writeFile(join(root(dir), name, 'report.json'), '{}');
      const t = new Date(AT + i * 60_000);
      await utimes(join(root(dir), name), t, t);
    }
    await pruneEvidence(dir, '2026-12-02T0107-cycle-5', 3);
    expect((await readdir(root(dir))).sort()).toEqual([
      '2026-12-02T0105-cycle-4',
      '2026-12-02T0106-manual',
      '2026-12-02T0107-cycle-5',
      'baseline-1a2b3c4d',
    ]);
    expect(existsSync(join(root(dir), 'manual-1764637500000'))).toBe(false);
  });
});
