/**
 * Reads the tests gate's JUnit report: one XML file, or a folder of them as Maven Surefire
 * (`target/surefire-reports/TEST-*.xml`) and Gradle (`build/test-results/test/*.xml`) write, one
 * file per test class. What is read is copied into the evidence folder first and read from the
 * copy, so an error names a file that is still there after the run.
 */
import { cp, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LEFT_OVER_REASON, type ReportsBefore } from './left-over.ts';
import { mergeJUnit, parseJUnit } from './parsers/junit.ts';
import { ReportError, type TestReport } from './parsers/types.ts';

/** Files read at the same time: a folder of thousands of reports must not run out of file handles. */
const PARALLEL_READS = 16;

/**
 * The report files of a folder, by name: Surefire's and Gradle's `TEST-*.xml` when there are any
 * (TestNG writes XML of its own beside them, such as `testng-results.xml`), else every `*.xml`.
 * Sub-folders are not read: TestNG's `junitreports/` repeats the same tests.
 */
export async function junitFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const xml = entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.xml'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en'));
  const conventional = xml.filter((name) => name.startsWith('TEST-'));
  return conventional.length > 0 ? conventional : xml;
}

async function keepAndParse(source: string, copy: string): Promise<TestReport> {
  await cp(source, copy);
  return parseJUnit(await readFile(copy, 'utf8'), copy);
}

/**
 * Copies the report at `path` (a file, or a folder of files) into `evidenceDir` and parses it.
 * A folder's reports are summed into one; a malformed file fails the whole report with a
 * `ReportError` that names that file (the first by name when several are). A missing `path`
 * rejects with the file system's ENOENT error. With `before`, what stood there before the test
 * command ran is not read: a left-over file fails the report, left-over files in a folder are
 * skipped and named in `notRead`.
 */
export async function readJUnitReport(
  path: string,
  evidenceDir: string,
  before?: ReportsBefore,
): Promise<{ copy: string; report: TestReport; notRead: string[] }> {
  if (!(await stat(path)).isDirectory()) {
    if (await before?.isLeftOver(path)) throw new ReportError(path, LEFT_OVER_REASON);
    const copy = join(evidenceDir, 'junit.xml');
    return { copy, report: await keepAndParse(path, copy), notRead: [] };
  }
  const all = await junitFilesIn(path);
  const stale = await Promise.all(all.map((name) => before?.isLeftOver(join(path, name)) ?? false));
  const names = all.filter((_, i) => !stale[i]);
  const notRead = all.filter((_, i) => stale[i]);
  if (names.length === 0) {
    throw new ReportError(
      path,
      notRead.length
        ? `no JUnit XML file in the folder was written by this run (${notRead.length} file(s) from before the test command started are not read): does the command write its reports there?`
        : 'the folder holds no JUnit XML file (*.xml): did the tests run?',
    );
  }
  const copy = join(evidenceDir, 'junit');
  await mkdir(copy, { recursive: true });
  const results: PromiseSettledResult<TestReport>[] = new Array(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      const name = names[i]!;
      results[i] = await keepAndParse(join(path, name), join(copy, name)).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, names.length) }, worker));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { copy, report: mergeJUnit(results.map((r) => (r as PromiseFulfilledResult<TestReport>).value)), notRead };
}
