// Samples: test/fixtures/reports/junit/surefire/ is recorded from Maven 3.8.7 with Surefire 3.2.5,
// JUnit Jupiter 5.11.4 and Java 17 (`mvn -B clean verify` on a two-class project): StockTest has
// two passing tests, one failing and one @Disabled; LabelsTest one passing and one that throws.
// Kept as Surefire wrote them, including its .txt summaries beside the XML, except that each
// file's <properties> block (the JVM's system properties: paths, user name) is emptied. The small
// folders of the other tests are written by hand.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitFilesIn, readJUnitReport } from '../../../../electron/engine/gates/junit-report.ts';
import { mergeJUnit, parseJUnit } from '../../../../electron/engine/gates/parsers/junit.ts';
import { ReportError } from '../../../../electron/engine/gates/parsers/types.ts';

const SUREFIRE = resolve('test/fixtures/reports/junit/surefire');

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-junit-folder-'));
  made.push(dir);
  return dir;
}

/** A folder of report files, written by hand; a name ending in `/` is a sub-folder. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await temp();
  for (const [name, text] of Object.entries(files)) {
    if (name.endsWith('/')) await mkdir(join(dir, name), { recursive: true });
    else await writeFile(join(dir, name), text);
  }
  return dir;
}

const suite = (cls: string, ...cases: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${cls}" tests="${cases.length}">\n${cases.map((c) => `  <testcase name="${c}" classname="${cls}"/>`).join('\n')}\n</testsuite>\n`;

async function errorOf(promise: Promise<unknown>): Promise<ReportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReportError);
  return error as ReportError;
}

describe('readJUnitReport on the folder Maven Surefire writes', () => {
  it('sums the counts of every class file', async () => {
    const { report } = await readJUnitReport(SUREFIRE, await temp());
    expect(report).toMatchObject({ format: 'junit', passed: 3, failed: 1, errored: 1, skipped: 1 });
  });

  it('collects every test with its class, in file-name order', async () => {
    const { report } = await readJUnitReport(SUREFIRE, await temp());
    expect(report.tests.map((t) => `${t.classname} ${t.name} ${t.status}`)).toEqual([
      'com.example.inventory.LabelsTest req005PrintsLabel passed',
      'com.example.inventory.LabelsTest req006ReadsLabelFile errored',
      'com.example.inventory.StockTest req003NeverGoesBelowZero failed',
      'com.example.inventory.StockTest req004Reserves skipped',
      'com.example.inventory.StockTest req002RefusesNegativeCounts passed',
      'com.example.inventory.StockTest req001AddsItems passed',
    ]);
  });

  it('keeps the first line of each failure and error message', async () => {
    const { report } = await readJUnitReport(SUREFIRE, await temp());
    const messages = Object.fromEntries(report.tests.filter((t) => t.message).map((t) => [t.name, t.message]));
    expect(messages).toEqual({
      req006ReadsLabelFile: 'labels.csv',
      req003NeverGoesBelowZero: 'stock went below zero ==> expected: <0> but was: <-1>',
    });
  });

  it('copies the XML files it read, and only those, into a junit/ folder of the evidence', async () => {
    const evidence = await temp();
    const { copy } = await readJUnitReport(SUREFIRE, evidence);
    expect(copy).toBe(join(evidence, 'junit'));
    expect((await readdir(copy)).sort()).toEqual(['TEST-com.example.inventory.LabelsTest.xml', 'TEST-com.example.inventory.StockTest.xml']);
  });

  it('reads the same tests as parsing each file on its own', async () => {
    const { report } = await readJUnitReport(SUREFIRE, await temp());
    const one = async (name: string) => parseJUnit(await readFile(join(SUREFIRE, name), 'utf8'), name);
    const merged = mergeJUnit([
      await one('TEST-com.example.inventory.LabelsTest.xml'),
      await one('TEST-com.example.inventory.StockTest.xml'),
    ]);
    expect(report).toEqual(merged);
  });
});

describe('readJUnitReport on other folders', () => {
  it("reads only Surefire's and Gradle's TEST-*.xml when there are any (TestNG writes XML of its own beside them)", async () => {
    const dir = await folder({
      'TEST-a.ATest.xml': suite('a.ATest', 'one'),
      'testng-results.xml': '<testng-results skipped="0" failed="0" total="1" passed="1"/>',
      'testng-failed.xml': '<suite name="Failed suite"/>',
    });
    expect(await junitFilesIn(dir)).toEqual(['TEST-a.ATest.xml']);
    expect((await readJUnitReport(dir, await temp())).report).toMatchObject({ passed: 1, tests: [{ name: 'one' }] });
  });

  it('reads every *.xml when none is named TEST-*', async () => {
    const dir = await folder({ 'b.xml': suite('B', 'two', 'three'), 'a.XML': suite('A', 'one'), 'notes.txt': 'not a report' });
    expect(await junitFilesIn(dir)).toEqual(['a.XML', 'b.xml']);
    expect((await readJUnitReport(dir, await temp())).report.tests.map((t) => t.name)).toEqual(['one', 'two', 'three']);
  });

  it("does not read sub-folders (Gradle's binary/, TestNG's junitreports/ repeating the same tests)", async () => {
    const dir = await folder({ 'TEST-A.xml': suite('A', 'one'), 'binary/': '', 'junitreports/': '' });
    await writeFile(join(dir, 'junitreports', 'TEST-A.xml'), suite('A', 'one'));
    expect((await readJUnitReport(dir, await temp())).report).toMatchObject({ passed: 1 });
  });

  it('fails naming the file when one of them is malformed, even if the others are fine', async () => {
    const dir = await folder({
      'TEST-A.xml': suite('A', 'one'),
      'TEST-B.xml': '<testsuite name="B">\n<testcase name="two">\n</testsuite>',
      'TEST-C.xml': suite('C', 'three'),
    });
    const evidence = await temp();
    const error = await errorOf(readJUnitReport(dir, evidence));
    expect(error.file).toBe(join(evidence, 'junit', 'TEST-B.xml'));
    expect(error.reason).toMatch(/^not valid XML: .*\(line \d+\)$/);
  });

  it('names the first malformed file by name when several are', async () => {
    const dir = await folder({ 'TEST-Z.xml': '', 'TEST-A.xml': suite('A', 'one'), 'TEST-M.xml': '<html/>' });
    const error = await errorOf(readJUnitReport(dir, await temp()));
    expect(error.file.endsWith('TEST-M.xml')).toBe(true);
    expect(error.reason).toContain('not a JUnit XML report');
  });

  it('fails naming the folder when it holds no XML file', async () => {
    const dir = await folder({ 'TEST-A.txt': 'Tests run: 1' });
    const error = await errorOf(readJUnitReport(dir, await temp()));
    expect(error.file).toBe(dir);
    expect(error.reason).toBe('the folder holds no JUnit XML file (*.xml): did the tests run?');
  });

  it('still reads a single file, copied as junit.xml', async () => {
    const dir = await folder({ 'report.xml': suite('A', 'one', 'two') });
    const evidence = await temp();
    const { copy, report } = await readJUnitReport(join(dir, 'report.xml'), evidence);
    expect(copy).toBe(join(evidence, 'junit.xml'));
    expect(report).toMatchObject({ passed: 2 });
  });

  it('rejects with ENOENT when nothing is at the path, so the gate can say the command did not write it', async () => {
    const dir = await temp();
    await expect(readJUnitReport(join(dir, 'surefire-reports'), await temp())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('mergeJUnit', () => {
  it('sums the counts and keeps the tests in order', () => {
    const a = parseJUnit(suite('A', 'one'), 'a.xml');
    const b = parseJUnit(
      '<testsuite name="B"><testcase name="two"><failure message="no"/></testcase><testcase name="three"><skipped/></testcase></testsuite>',
      'b.xml',
    );
    expect(mergeJUnit([a, b])).toEqual({
      format: 'junit',
      passed: 1,
      failed: 1,
      errored: 0,
      skipped: 1,
      tests: [...a.tests, ...b.tests],
    });
  });

  it('gives an empty report for no reports', () => {
    expect(mergeJUnit([])).toEqual({ format: 'junit', passed: 0, failed: 0, errored: 0, skipped: 0, tests: [] });
  });
});
