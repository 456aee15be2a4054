/**
 * Where the tests gate's per-test results are, from its KB config alone. Apart from the readers
 * (`test-report.ts`) so that a checklist re-read (`goldloop status`) loads no parser.
 */
import type { TestsGateConfig } from '../../store/kb/schema.ts';

export type TestReportConfig = NonNullable<TestsGateConfig['test_report']>;

/** Where the tests gate's per-test results are: `test_report`, or `junit_report` as a JUnit one. */
export function testReportOf(config: Pick<TestsGateConfig, 'junit_report' | 'test_report'>): TestReportConfig | undefined {
  if (config.test_report) return config.test_report;
  return config.junit_report ? { format: 'junit', path: config.junit_report } : undefined;
}
