/**
 * `npm audit --json` from npm 7 or later (`auditReportVersion: 2`). One finding per vulnerable
 * package, as npm itself counts them in `metadata.vulnerabilities` and in its summary line, so
 * the checklist shows the numbers the user sees when running npm audit.
 */
import { z } from 'zod';
import { isObject, readJson, validate } from './input.ts';
import { countBySeverity, severityFromName } from './severity.ts';
import { ReportError, type SecurityFinding, type SecurityReport } from './types.ts';

const EXPECTED = "an object with 'vulnerabilities' (npm audit --json, npm 7 or later)";

const advisory = z.looseObject({
  source: z.union([z.number(), z.string()]).optional(),
  name: z.string(),
  title: z.string().optional(),
  url: z.string().optional(),
  severity: z.string(),
});

const entry = z.looseObject({
  name: z.string(),
  severity: z.string(),
  // An object is an advisory against this package; a string names a vulnerable dependency.
  via: z.array(z.union([z.string(), advisory])),
  range: z.string().optional(),
  fixAvailable: z
    .union([z.boolean(), z.looseObject({ name: z.string(), version: z.string(), isSemVerMajor: z.boolean().optional() })])
    .optional(),
});

const schema = z.looseObject({ vulnerabilities: z.record(z.string(), entry) });

type Entry = z.infer<typeof entry>;

/**
 * Parses `npm audit --json` output. A package vulnerable only through a dependency gets npm's
 * wording ("Depends on vulnerable versions of ...") and the ids of the advisories it inherits.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty or not JSON, when npm audit itself failed (its
 *   error object is reported), for the npm 6 format, or for any other shape
 */
export function parseNpmAudit(text: string, file: string): SecurityReport {
  const data = readJson(text, file, EXPECTED);
  if (!isObject(data) || !('vulnerabilities' in data)) throw new ReportError(file, whyNotAReport(data));
  const report = validate(schema, data, file, EXPECTED);
  const findings = Object.values(report.vulnerabilities).map((e) => toFinding(e, report.vulnerabilities));
  return { format: 'npm-audit', findings, counts: countBySeverity(findings) };
}

function toFinding(e: Entry, all: Record<string, Entry>): SecurityFinding {
  const direct = e.via.filter((v) => typeof v !== 'string');
  const through = e.via.filter((v) => typeof v === 'string');
  const ids = [...new Set(inheritedAdvisories(e, all, new Set()).map(advisoryId))];
  const titles = direct.map((a) => a.title ?? advisoryId(a));
  if (through.length > 0) titles.push(`Depends on vulnerable versions of ${through.join(', ')}`);
  return {
    id: ids.length > 0 ? ids.join(', ') : e.name,
    severity: severityFromName(e.severity) ?? 'unknown',
    subject: e.range === undefined ? e.name : `${e.name} ${e.range}`,
    title: titles.join('; '),
    ...fixOf(e),
  };
}

// Follows `via` names down to the advisories; `seen` stops at dependency cycles.
function inheritedAdvisories(e: Entry, all: Record<string, Entry>, seen: Set<string>): z.infer<typeof advisory>[] {
  if (seen.has(e.name)) return [];
  seen.add(e.name);
  return e.via.flatMap((v) => {
    if (typeof v !== 'string') return [v];
    const dependency = all[v];
    return dependency === undefined ? [] : inheritedAdvisories(dependency, all, seen);
  });
}

// The GitHub advisory id is what users search for; npm's numeric source is the fallback.
function advisoryId(a: z.infer<typeof advisory>): string {
  const ghsa = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/i.exec(a.url ?? '')?.[0];
  if (ghsa !== undefined) return ghsa;
  return a.source === undefined ? a.name : `npm-advisory-${a.source}`;
}

function fixOf(e: Entry): { fix?: string } {
  const fix = e.fixAvailable;
  if (fix === true) return { fix: 'npm audit fix' };
  if (fix === undefined || fix === false) return {};
  const target = `${fix.name}@${fix.version}`;
  return { fix: fix.isSemVerMajor === true ? `${target} (semver-major: npm audit fix --force)` : target };
}

function whyNotAReport(data: unknown): string {
  if (isObject(data)) {
    const error = isObject(data.error) ? data.error : {};
    const message = [error.summary, data.message, error.code].find((m) => typeof m === 'string' && m.trim() !== '');
    if (message !== undefined) return `npm audit failed: ${String(message).split('\n')[0]}`;
    if ('advisories' in data) return `this is the npm 6 audit format ('advisories'): expected ${EXPECTED}`;
  }
  return `expected ${EXPECTED}`;
}
