import { readFile } from 'node:fs/promises';
import type { TestsGateConfig } from '../../store/kb/schema.ts';
import { parseCobertura } from './parsers/cobertura.ts';
import { parseCoveragePy } from './parsers/coveragepy.ts';
import { parseGoCoverProfile } from './parsers/gocover.ts';
import { parseIstanbulFinal, parseIstanbulSummary } from './parsers/istanbul.ts';
import { parseJacoco } from './parsers/jacoco.ts';
import { readLcov } from './parsers/lcov.ts';
import { ReportError, type CoverageReport } from './parsers/types.ts';

type Format = NonNullable<TestsGateConfig['coverage_report']>['format'];

const TEXT_PARSERS: Record<Exclude<Format, 'lcov'>, (text: string, file: string) => CoverageReport> = {
  'istanbul-summary': parseIstanbulSummary,
  'istanbul-final': parseIstanbulFinal,
  cobertura: parseCobertura,
  coveragepy: parseCoveragePy,
  gocover: parseGoCoverProfile,
  jacoco: parseJacoco,
};

/** Reads a coverage report in any supported format; lcov is streamed. Throws ReportError naming the file. */
export async function readCoverage(format: Format, path: string): Promise<CoverageReport> {
  if (format === 'lcov') return readLcov(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError(
      path,
      code === 'ENOENT' ? 'not found: the test command did not write it' : `cannot read: ${(error as Error).message}`,
    );
  }
  return TEXT_PARSERS[format](text, path);
}
