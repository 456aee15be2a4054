/**
 * JaCoCo's XML report (`jacoco:report`, Gradle `jacocoTestReport` with `xml.required`). JaCoCo
 * writes the counters itself at every level, so the totals are read, not recomputed.
 */
import { attribute, children, countAttribute, noFilesMeasured, readXmlRoot, type XmlElement } from './input.ts';
import { counter, ReportError, type CoverageCounter, type CoverageReport, type FileCoverage } from './types.ts';

const EXPECTED = 'a JaCoCo XML report';

// JaCoCo's METHOD and INSTRUCTION are the closest to the other formats' functions and statements;
// COMPLEXITY and CLASS have no counterpart and are not read.
const COUNTERS = { LINE: 'lines', BRANCH: 'branches', METHOD: 'functions', INSTRUCTION: 'statements' } as const;

type Counters = Partial<Record<(typeof COUNTERS)[keyof typeof COUNTERS], CoverageCounter>>;

/**
 * Parses a JaCoCo XML report: totals from the report-level `<counter>`s, one file per
 * `<sourcefile>` (named `package/Source.java`) with its own counters and the lines where no
 * instruction ran. Multi-module reports (`<group>`s) are read through.
 * A counter JaCoCo left out (it omits empty ones, e.g. BRANCH for code without branches) is
 * absent from the result rather than reported as 0 of 0.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not XML, not a JaCoCo report, or has no
 *   report-level counters or no source files
 */
export function parseJacoco(text: string, file: string): CoverageReport {
  const root = readXmlRoot(text, file, 'report', EXPECTED);
  const totals = readCounters(root, file, '<report>');
  if (Object.keys(totals).length === 0) {
    throw new ReportError(file, `no report-level <counter> elements: expected ${EXPECTED}`);
  }
  const files = packagesOf(root).flatMap((pkg) => {
    const name = attribute(pkg, 'name') ?? '';
    return children(pkg, 'sourcefile').map((source) => toFileCoverage(name, source, file));
  });
  if (files.length === 0) throw noFilesMeasured(file);
  return { format: 'jacoco', totals, files };
}

function packagesOf(element: XmlElement): XmlElement[] {
  return [...children(element, 'package'), ...children(element, 'group').flatMap(packagesOf)];
}

function toFileCoverage(pkg: string, source: XmlElement, file: string): FileCoverage {
  const name = `${pkg === '' ? '' : `${pkg}/`}${attribute(source, 'name') ?? '?'}`;
  // JaCoCo counts a line as missed when none of its instructions ran (mi > 0, ci = 0).
  const uncoveredLines = children(source, 'line')
    .filter((line) => (countAttribute(line, 'ci', file, `${name}: <line>`) ?? 0) === 0)
    .filter((line) => (countAttribute(line, 'mi', file, `${name}: <line>`) ?? 0) > 0)
    .map((line) => countAttribute(line, 'nr', file, `${name}: <line>`) ?? 0)
    .sort((a, b) => a - b);
  return { file: name, ...readCounters(source, file, name), uncoveredLines };
}

function readCounters(element: XmlElement, file: string, where: string): Counters {
  const result: Counters = {};
  for (const node of children(element, 'counter')) {
    const type = attribute(node, 'type') ?? '';
    if (!(type in COUNTERS)) continue;
    const missed = countAttribute(node, 'missed', file, `${where}: <counter type="${type}">`);
    const covered = countAttribute(node, 'covered', file, `${where}: <counter type="${type}">`);
    if (missed === undefined || covered === undefined) {
      throw new ReportError(file, `${where}: <counter type="${type}"> needs both missed and covered attributes`);
    }
    result[COUNTERS[type as keyof typeof COUNTERS]] = counter(covered, covered + missed);
  }
  return result;
}
