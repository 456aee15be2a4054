/**
 * OSV-Scanner's JSON output (`osv-scanner --format json`). OSV-Scanner groups the entries that
 * are aliases of one another (a GHSA and the PYSEC for the same flaw) into `groups`; one finding
 * per group keeps one flaw from being counted twice.
 */
import { z } from 'zod';
import { isObject, readJson, validate } from './input.ts';
import { countBySeverity, SEVERITIES, severityFromCvss, severityFromName } from './severity.ts';
import { ReportError, type SecurityFinding, type SecurityReport, type Severity } from './types.ts';

const EXPECTED = "an object with 'results' (osv-scanner --format json)";

const vulnerability = z.looseObject({
  id: z.string(),
  summary: z.string().optional(),
  details: z.string().optional(),
  affected: z
    .array(
      z.looseObject({
        package: z.looseObject({ name: z.string().optional() }).optional(),
        ranges: z.array(z.looseObject({ events: z.array(z.record(z.string(), z.unknown())) })).optional(),
      }),
    )
    .optional(),
  database_specific: z.looseObject({ severity: z.string().optional() }).optional(),
});

const group = z.looseObject({ ids: z.array(z.string()), max_severity: z.string().optional() });

const packageResult = z.looseObject({
  package: z.looseObject({ name: z.string(), version: z.string().optional(), ecosystem: z.string().optional() }),
  vulnerabilities: z.array(vulnerability).default([]),
  groups: z.array(group).optional(),
});

const schema = z.looseObject({
  results: z.array(z.looseObject({ packages: z.array(packageResult).default([]) })).nullable(),
});

type Vulnerability = z.infer<typeof vulnerability>;
type PackageResult = z.infer<typeof packageResult>;

/**
 * Parses OSV-Scanner JSON. A group's severity comes from its `max_severity` CVSS score; without
 * one, from the highest `database_specific.severity` of its entries (GitHub's rating); without
 * either it is `unknown`.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, or not OSV-Scanner output
 */
export function parseOsv(text: string, file: string): SecurityReport {
  const data = readJson(text, file, EXPECTED);
  if (!isObject(data) || !('results' in data)) throw new ReportError(file, `expected ${EXPECTED}`);
  const report = validate(schema, data, file, EXPECTED);
  const findings = (report.results ?? []).flatMap((result) => result.packages.flatMap((pkg) => packageFindings(pkg, file)));
  return { format: 'osv', findings, counts: countBySeverity(findings) };
}

function packageFindings(pkg: PackageResult, file: string): SecurityFinding[] {
  const byId = new Map(pkg.vulnerabilities.map((v) => [v.id, v]));
  // Older OSV-Scanner versions wrote no groups: then every entry stands alone.
  const groups = pkg.groups ?? pkg.vulnerabilities.map((v) => ({ ids: [v.id], max_severity: undefined }));
  const subject = pkg.package.version === undefined ? pkg.package.name : `${pkg.package.name}@${pkg.package.version}`;
  return groups.map((g) => {
    const entries = g.ids.map((id) => byId.get(id)).filter((v) => v !== undefined);
    if (entries.length === 0) {
      throw new ReportError(file, `${subject}: group ${g.ids.join(', ')} names no entry of the package's vulnerabilities`);
    }
    const first = entries[0]!;
    const fixed = fixedVersions(entries, pkg.package.name);
    return {
      id: g.ids.join(', '),
      severity: groupSeverity(g.max_severity, entries),
      subject,
      title: first.summary ?? first.details?.split('\n')[0] ?? first.id,
      ...(fixed.length > 0 ? { fix: fixed.map((v) => `${pkg.package.name}@${v}`).join(' or ') } : {}),
    };
  });
}

function groupSeverity(maxSeverity: string | undefined, entries: Vulnerability[]): Severity {
  const fromScore = maxSeverity === undefined ? undefined : severityFromCvss(maxSeverity);
  if (fromScore !== undefined) return fromScore;
  const named = new Set(entries.map((v) => severityFromName(v.database_specific?.severity ?? '')));
  // SEVERITIES is ordered most severe first (unknown last), so the first one named is the highest.
  return SEVERITIES.find((s) => named.has(s)) ?? 'unknown';
}

// The `fixed` events of the ranges that concern this package; an entry can cover several
// packages (e.g. a library and its fork), whose fixes would mislead here.
function fixedVersions(entries: Vulnerability[], name: string): string[] {
  const versions = entries.flatMap((v) =>
    (v.affected ?? [])
      .filter((a) => a.package?.name === undefined || a.package.name === name)
      .flatMap((a) => a.ranges ?? [])
      .flatMap((r) => r.events)
      .map((event) => event.fixed)
      .filter((fixed): fixed is string => typeof fixed === 'string'),
  );
  return [...new Set(versions)];
}
