// The tests gate reading a folder of JUnit files, one per test class, as Maven Surefire and Gradle
// write them. The "test command" is a small real program that copies the recorded Surefire folder
// (test/fixtures/reports/junit/surefire/, see test/engine/gates/parsers/junit-folder.test.ts) to where the
// gate's configuration says, standing in for `mvn -B clean verify`.
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import { LEFT_OVER_REASON } from '../../../electron/engine/gates/left-over.ts';
import { detectTampering } from '../../../electron/engine/guard/tamper.ts';
import type { ChecklistItem, GateRun } from '../../../electron/engine/gates/types.ts';
import { commitAll, initRepository } from '../../../electron/platform/git.ts';
import { KbSchema, type Kb, type KbInput } from '../../../electron/store/kb/schema.ts';
import { openSnapshots } from '../../../electron/store/state-folder.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const SUREFIRE = resolve('test/fixtures/reports/junit/surefire');

/** Copies the recorded Surefire folder to argv[1] (after `{reports}` is filled in), then adds argv[2..] as extra files. */
const COPY = `
  const fs = require('node:fs');
  const [to, ...extra] = process.argv.slice(1);
  fs.cpSync(${JSON.stringify(SUREFIRE)}, to, { recursive: true });
  for (const e of extra) { const [name, text] = e.split('='); fs.writeFileSync(require('node:path').join(to, name), text); }`;

const kbOf = (tests: NonNullable<KbInput['gates']>['tests']): Kb => KbSchema.parse({ gates: { tests, docs: { enabled: false } } });
const testsLine = (run: GateRun): ChecklistItem => run.checklist.find((c) => c.id === 'tests')!;

describe('the tests gate with a folder of JUnit files', () => {
  it('counts the tests of every file in the folder', async () => {
    const dir = await temps.make();
    const kb = kbOf({ command: [process.execPath, '-e', COPY, '{reports}/surefire-reports'], junit_report: '{reports}/surefire-reports' });
    const line = testsLine(await runGates({ projectDir: dir, kb, label: 'one' }));
    expect(line).toMatchObject({ passed: false, value: '3/5 passing, 1 skipped' });
    expect(line.evidence.detail).toBe(
      'failing: com.example.inventory.LabelsTest > req006ReadsLabelFile; com.example.inventory.StockTest > req003NeverGoesBelowZero',
    );
  });

  it('keeps copies of the files it read in .goldloop/evidence/<label>/junit/', async () => {
    const dir = await temps.make();
    const kb = kbOf({ command: [process.execPath, '-e', COPY, '{reports}/surefire-reports'], junit_report: '{reports}/surefire-reports' });
    const line = testsLine(await runGates({ projectDir: dir, kb, label: 'one' }));
    const copies = join(dir, '.goldloop', 'evidence', 'one', 'junit');
    expect(line.evidence.report).toBe(copies);
    expect((await readdir(copies)).sort()).toEqual([
      'TEST-com.example.inventory.LabelsTest.xml',
      'TEST-com.example.inventory.StockTest.xml',
    ]);
  });

  it('reads a folder inside the project, as Maven writes target/surefire-reports', async () => {
    const dir = await temps.make();
    const kb = kbOf({ command: [process.execPath, '-e', COPY, 'target/surefire-reports'], junit_report: 'target/surefire-reports' });
    expect(testsLine(await runGates({ projectDir: dir, kb, label: 'one' })).value).toBe('3/5 passing, 1 skipped');
  });

  it('fails the line naming the malformed file of the folder', async () => {
    const dir = await temps.make();
    const kb = kbOf({
      command: [process.execPath, '-e', COPY, '{reports}/r', 'TEST-com.example.inventory.CsvTest.xml=<testsuite><testcase name="cut off">'],
      junit_report: '{reports}/r',
    });
    const line = testsLine(await runGates({ projectDir: dir, kb, label: 'one' }));
    expect(line.passed).toBe(false);
    expect(line.evidence.detail).toMatch(
      new RegExp(
        `^${join(dir, '.goldloop', 'evidence', 'one', 'junit', 'TEST-com.example.inventory.CsvTest.xml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid XML`,
      ),
    );
  });

  it('says the command did not write the folder when it is not there', async () => {
    const dir = await temps.make();
    const kb = kbOf({ command: [process.execPath, '-e', '0'], junit_report: 'target/surefire-reports' });
    expect(testsLine(await runGates({ projectDir: dir, kb, label: 'one' })).evidence.detail).toBe(
      'target/surefire-reports: not found: the command did not write it',
    );
  });
});

describe('tampering with a report folder', () => {
  it('flags a file the agent wrote under a report folder Goldloop reads from inside the project', async () => {
    const dir = await temps.make();
    await writeFile(join(dir, 'README.md'), '# x\n');
    await initRepository(dir);
    await commitAll(dir, 'start');
    const repo = await openSnapshots(dir);
    const start = (await repo.snapshot('refs/test/start', 'start')).commit;
    await mkdir(join(dir, 'reports', 'junit'), { recursive: true });
    await writeFile(join(dir, 'reports', 'junit', 'TEST-Forged.xml'), '<testsuite><testcase name="REQ-001 all good"/></testsuite>');
    const kb = kbOf({ command: [process.execPath, '-e', '0'], junit_report: 'reports/junit' });
    const current: GateRun = {
      at: '',
      duration_ms: 0,
      gold: false,
      checklist: [],
      tests: [],
      uncovered_requirements: [],
      least_covered_files: [],
    };
    const end = (await repo.snapshot('refs/test/end', 'end')).commit;
    const findings = await detectTampering({ snapshots: { repo, start, end }, current, restored: [], kb });
    expect(findings).toContainEqual({
      kind: 'report_written',
      message: 'the agent wrote reports/junit/TEST-Forged.xml, a report file Goldloop reads',
    });
  });
});

describe('report files left from before the gate ran', () => {
  const FORGED = '<testsuite name="Forged"><testcase classname="Forged" name="REQ-001 all good"/></testsuite>';

  it('does not read a file put in an ignored report folder before the run, and names it', async () => {
    const dir = await temps.make();
    // Maven without `clean`: target/ is ignored by git, and what stands in it survives the build.
    await mkdir(join(dir, 'target', 'surefire-reports'), { recursive: true });
    await writeFile(join(dir, 'target', 'surefire-reports', 'TEST-Forged.xml'), FORGED);
    const kb = kbOf({ command: [process.execPath, '-e', COPY, 'target/surefire-reports'], junit_report: 'target/surefire-reports' });
    const run = await runGates({ projectDir: dir, kb, label: 'one' });
    const line = testsLine(run);
    expect(line.value).toBe('3/5 passing, 1 skipped');
    expect(line.evidence.detail).toBe(
      'failing: com.example.inventory.LabelsTest > req006ReadsLabelFile; com.example.inventory.StockTest > req003NeverGoesBelowZero; not read, left from before this run: TEST-Forged.xml',
    );
    expect(run.tests.map((t) => t.name)).not.toContain('Forged > REQ-001 all good');
    expect(await readdir(join(dir, '.goldloop', 'evidence', 'one', 'junit'))).not.toContain('TEST-Forged.xml');
  });

  it('reads a file the command wrote over, though it stood there before', async () => {
    const dir = await temps.make();
    await mkdir(join(dir, 'target', 'surefire-reports'), { recursive: true });
    await writeFile(join(dir, 'target', 'surefire-reports', 'TEST-com.example.inventory.StockTest.xml'), FORGED);
    const kb = kbOf({ command: [process.execPath, '-e', COPY, 'target/surefire-reports'], junit_report: 'target/surefire-reports' });
    const line = testsLine(await runGates({ projectDir: dir, kb, label: 'one' }));
    expect(line.value).toBe('3/5 passing, 1 skipped');
    expect(line.evidence.detail).not.toContain('not read');
  });

  it('fails the line when every file of the folder is from before the run', async () => {
    const dir = await temps.make();
    await mkdir(join(dir, 'target', 'surefire-reports'), { recursive: true });
    await writeFile(join(dir, 'target', 'surefire-reports', 'TEST-Forged.xml'), FORGED);
    const kb = kbOf({ command: [process.execPath, '-e', '0'], junit_report: 'target/surefire-reports' });
    const line = testsLine(await runGates({ projectDir: dir, kb, label: 'one' }));
    expect(line).toMatchObject({ passed: false, value: null });
    expect(line.evidence.detail).toBe(
      `${join(dir, 'target', 'surefire-reports')}: no JUnit XML file in the folder was written by this run (1 file(s) from before the test command started are not read): does the command write its reports there?`,
    );
  });

  it('fails the line on a single JUnit file the command did not write, though its modification time is in the future', async () => {
    const dir = await temps.make();
    const file = join(dir, 'out', 'junit.xml');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, FORGED);
    // A time stamp anyone can set says nothing about who wrote the file when.
    const tomorrow = new Date(Date.now() + 86_400_000);
    await utimes(file, tomorrow, tomorrow);
    const kb = kbOf({ command: [process.execPath, '-e', '0'], junit_report: 'out/junit.xml' });
    const line = testsLine(await runGates({ projectDir: dir, kb, label: 'one' }));
    expect(line.passed).toBe(false);
    expect(line.evidence.detail).toBe(`${file}: ${LEFT_OVER_REASON}`);
  });

  /** A project holding coverage/lcov.info from an earlier run (100% of one line); returns it and the file. */
  async function withOldLcov(): Promise<{ dir: string; lcov: string }> {
    const dir = await temps.make();
    const lcov = join(dir, 'coverage', 'lcov.info');
    await mkdir(dirname(lcov), { recursive: true });
    await writeFile(lcov, 'SF:src/a.js\nDA:1,1\nLF:1\nLH:1\nend_of_record\n');
    return { dir, lcov };
  }

  it('fails the coverage line on a coverage file left from an earlier run', async () => {
    const { dir, lcov } = await withOldLcov();
    const kb = kbOf({
      command: [process.execPath, '-e', COPY, '{reports}/r'],
      junit_report: '{reports}/r',
      coverage_report: { format: 'lcov', path: 'coverage/lcov.info' },
    });
    const coverage = (await runGates({ projectDir: dir, kb, label: 'one' })).checklist.find((c) => c.id === 'coverage')!;
    expect(coverage).toMatchObject({ passed: false, value: null });
    expect(coverage.evidence.detail).toBe(`${lcov}: ${LEFT_OVER_REASON}`);
  });

  it('reads a coverage file at the same path once the command writes it anew', async () => {
    const { dir, lcov } = await withOldLcov();
    const write = `require('node:fs').writeFileSync(${JSON.stringify(lcov)}, 'SF:src/a.js\\nDA:1,1\\nDA:2,0\\nLF:2\\nLH:1\\nend_of_record\\n')`;
    const kb = kbOf({ command: [process.execPath, '-e', write], coverage_report: { format: 'lcov', path: 'coverage/lcov.info' } });
    const coverage = (await runGates({ projectDir: dir, kb, label: 'one' })).checklist.find((c) => c.id === 'coverage')!;
    expect(coverage).toMatchObject({ passed: false, value: 50 });
  });
});
