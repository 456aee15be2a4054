/**
 * The tests gate: one run of the test command writes the JUnit report and the coverage report,
 * and the test files' requirement tags are matched to the report's tests.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { TestsGateConfig } from '../../../store/kb/schema.ts';
import { keep, runGateCommand, unreadable } from '../command.ts';
import { readCoverage } from '../coverage.ts';
import type { GateContext, TestsRun } from '../measurement.ts';
import { ReportError } from '../parsers/types.ts';
import { attachTags, indexTags, type TagIndex } from '../tags.ts';
import { scopeCoverage } from '../coverage-scope.ts';
import { hintFacts } from '../hint-facts.ts';
import { readTestReport } from '../test-report.ts';
import { testReportOf, type TestReportConfig } from '../test-report-config.ts';

export async function measureTests(config: TestsGateConfig, ctx: GateContext, background?: Promise<unknown>): Promise<TestsRun> {
  // The requirement tags of the test files need no results: they are read while the tests run,
  // so only matching them to the report is left for after the run.
  const empty: TagIndex = { files: new Set(), byTitle: new Map() };
  const results = testReportOf(config);
  const tags = results ? indexTags(ctx).catch(() => empty) : Promise.resolve(empty);
  const reportPaths = [results?.path, config.coverage_report?.path];
  const keepStdout = results?.path === 'stdout';
  // Read while the tests run, for the hints of a line that cannot be measured (or of tests that could not be collected).
  const facts = hintFacts(ctx.projectDir).catch(() => undefined);
  return runGateCommand(
    config,
    ctx,
    { reportPaths, keepStdout, ...(background ? { background } : {}) },
    async (run, place, evidenceDir) => {
      const { stdout, ...out }: TestsRun = { ...run };
      const perTest = async (shown: TestReportConfig): Promise<void> => {
        try {
          const { copy, report, notRead } = await readTestReport(shown, place, evidenceDir, stdout);
          out.junitCopy = copy;
          out.report = report;
          if (notRead.length) out.junitNotRead = notRead;
          await attachTags(ctx.projectDir, report.tests, tags);
          // Files as the project names them (jest reports absolute paths).
          for (const t of report.tests) {
            const rel = t.file && isAbsolute(t.file) ? relative(ctx.projectDir, t.file) : undefined;
            if (rel && !rel.startsWith('..') && !isAbsolute(rel)) t.file = rel.split(sep).join('/');
          }
        } catch (error) {
          out.reportError = error instanceof ReportError ? error.message : unreadable(error, shown.path);
        }
      };
      const coverage = async ({ format, path, include, exclude }: NonNullable<TestsGateConfig['coverage_report']>): Promise<void> => {
        try {
          const { copy } = await keep(place.path(path), place, evidenceDir);
          out.coverageCopy = copy;
          out.coverage = scopeCoverage(await readCoverage(format, copy), ctx.projectDir, {
            ...(include ? { include } : {}),
            ...(exclude ? { exclude } : {}),
          });
        } catch (error) {
          out.coverageError = error instanceof ReportError ? error.message : unreadable(error, path);
        }
      };
      // Both reports are read together: the test run is usually the longest gate, and what follows
      // it is the gate phase's tail.
      await Promise.all([results && perTest(results), config.coverage_report && coverage(config.coverage_report)]);
      const hints = await facts;
      if (hints) out.hints = hints;
      return out;
    },
  );
}
