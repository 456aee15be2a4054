/**
 * Cobertura XML coverage, as written by coverage.py (`coverage xml`), istanbul's `cobertura`
 * reporter, gcovr, Cobertura itself and many CI converters.
 */
import { attribute, children, countAttribute, noFilesMeasured, readXmlRoot, type XmlElement } from './input.ts';
import { counter, ReportError, type CoverageCounter, type CoverageReport, type FileCoverage } from './types.ts';

const EXPECTED = 'a Cobertura XML coverage report';

/** What is known about one source file, merged over every <class> that names it. */
interface FileHits {
  lines: Map<number, number>;
  branches: Map<number, { covered: number; total: number }>;
  methods: { covered: number; total: number };
}

/**
 * Parses a Cobertura XML report. The root's `lines-valid`/`lines-covered` and
 * `branches-valid`/`branches-covered` give the totals; reports that lack them (Cobertura 1.x)
 * get totals computed from the `<line hits>` of every class. Classes that share a file (inner
 * classes, several classes per module) are merged into one entry per file.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not XML, not a Cobertura report, or lists no files
 */
export function parseCobertura(text: string, file: string): CoverageReport {
  const root = readXmlRoot(text, file, 'coverage', EXPECTED);
  const byFile = new Map<string, FileHits>();
  let hasBranchData = false;

  for (const pkg of children(root, 'packages').flatMap((packages) => children(packages, 'package'))) {
    for (const cls of children(pkg, 'classes').flatMap((classes) => children(classes, 'class'))) {
      const name = attribute(cls, 'filename');
      if (name === undefined) {
        throw new ReportError(file, `<class name="${attribute(cls, 'name') ?? '?'}"> has no filename attribute`);
      }
      const hits = byFile.get(name) ?? { lines: new Map(), branches: new Map(), methods: { covered: 0, total: 0 } };
      byFile.set(name, hits);
      for (const line of linesOf(cls)) {
        const where = `${name}: <line>`;
        const number = countAttribute(line, 'number', file, where);
        const count = countAttribute(line, 'hits', file, where);
        if (number === undefined || count === undefined) {
          throw new ReportError(file, `${where} needs both number and hits attributes`);
        }
        hits.lines.set(number, Math.max(hits.lines.get(number) ?? 0, count));
        const conditions = conditionCoverage(line);
        if (conditions !== undefined) {
          hasBranchData = true;
          const seen = hits.branches.get(number);
          hits.branches.set(number, seen !== undefined && seen.covered >= conditions.covered ? seen : conditions);
        }
      }
      for (const method of children(cls, 'methods').flatMap((methods) => children(methods, 'method'))) {
        hits.methods.total += 1;
        if (methodRan(method)) hits.methods.covered += 1;
      }
    }
  }
  if (byFile.size === 0) throw noFilesMeasured(file);

  const rootBranches = rootCounter(root, 'branches', file);
  // coverage.py without branch measurement writes branches-valid="0": no data, not 100% of nothing.
  const reportsBranches = hasBranchData || (rootBranches !== undefined && rootBranches.total > 0);
  const files = [...byFile].map(([name, hits]) => toFileCoverage(name, hits, reportsBranches));
  const sum = (pick: (f: FileCoverage) => CoverageCounter | undefined) =>
    counter(
      files.reduce((n, f) => n + (pick(f)?.covered ?? 0), 0),
      files.reduce((n, f) => n + (pick(f)?.total ?? 0), 0),
    );
  const hasMethods = files.some((f) => f.functions !== undefined);

  return {
    format: 'cobertura',
    totals: {
      lines: rootCounter(root, 'lines', file) ?? sum((f) => f.lines),
      ...(reportsBranches ? { branches: rootBranches ?? sum((f) => f.branches) } : {}),
      ...(hasMethods ? { functions: sum((f) => f.functions) } : {}),
    },
    files,
  };
}

function toFileCoverage(name: string, hits: FileHits, reportsBranches: boolean): FileCoverage {
  const uncoveredLines = [...hits.lines]
    .filter(([, count]) => count === 0)
    .map(([line]) => line)
    .sort((a, b) => a - b);
  const branches = [...hits.branches.values()];
  return {
    file: name,
    lines: counter(hits.lines.size - uncoveredLines.length, hits.lines.size),
    ...(reportsBranches
      ? {
          branches: counter(
            branches.reduce((n, b) => n + b.covered, 0),
            branches.reduce((n, b) => n + b.total, 0),
          ),
        }
      : {}),
    ...(hits.methods.total > 0 ? { functions: counter(hits.methods.covered, hits.methods.total) } : {}),
    uncoveredLines,
  };
}

// Class-level <lines> only: the <method> blocks repeat the same lines and would count them twice.
function linesOf(cls: XmlElement): XmlElement[] {
  return children(cls, 'lines').flatMap((lines) => children(lines, 'line'));
}

// `condition-coverage="50% (1/2)"`: the pair in brackets is what is counted; the percentage is rounded.
function conditionCoverage(line: XmlElement): { covered: number; total: number } | undefined {
  const match = /\((\d+)\/(\d+)\)/.exec(attribute(line, 'condition-coverage') ?? '');
  if (match === null) return undefined;
  return { covered: Number(match[1]), total: Number(match[2]) };
}

function methodRan(method: XmlElement): boolean {
  const lines = children(method, 'lines').flatMap((l) => children(l, 'line'));
  if (lines.length > 0) return lines.some((line) => Number(attribute(line, 'hits') ?? 0) > 0);
  return Number(attribute(method, 'line-rate') ?? 0) > 0;
}

function rootCounter(root: XmlElement, kind: 'lines' | 'branches', file: string): CoverageCounter | undefined {
  const total = countAttribute(root, `${kind}-valid`, file, '<coverage>');
  const covered = countAttribute(root, `${kind}-covered`, file, '<coverage>');
  if (total === undefined || covered === undefined) return undefined;
  if (covered > total) {
    throw new ReportError(file, `<coverage>: ${kind}-covered (${covered}) is greater than ${kind}-valid (${total})`);
  }
  return counter(covered, total);
}
