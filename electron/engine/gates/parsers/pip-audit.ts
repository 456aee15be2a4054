/**
 * pip-audit's JSON output (`pip-audit -f json`). pip-audit does not rate vulnerabilities, so
 * every finding has severity `unknown`, and the security gate treats unknown as failing by
 * default (see `severityAtLeast`): with pip-audit, any known vulnerability fails the gate unless
 * the user turns `unknownFails` off for the project.
 */
import { z } from 'zod';
import { readJson, validate } from './input.ts';
import { countBySeverity } from './severity.ts';
import { ReportError, type SecurityFinding, type SecurityReport } from './types.ts';

const EXPECTED = "an object with 'dependencies' or an array of dependencies (pip-audit -f json)";

const dependency = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  // A dependency pip-audit could not audit has `skip_reason` and no `vulns`.
  vulns: z
    .array(
      z.looseObject({
        id: z.string(),
        fix_versions: z.array(z.string()).default([]),
        aliases: z.array(z.string()).optional(),
        description: z.string().optional(),
      }),
    )
    .default([]),
});

const dependencies = z.array(dependency);
const current = z.looseObject({ dependencies });

/**
 * Parses pip-audit JSON, both the current `{"dependencies": [...]}` form and the top-level array
 * written by pip-audit before 2.0. One finding per vulnerability of each dependency.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, or not pip-audit output
 */
export function parsePipAudit(text: string, file: string): SecurityReport {
  const data = readJson(text, file, EXPECTED);
  if (!Array.isArray(data) && !(typeof data === 'object' && data !== null && 'dependencies' in data)) {
    throw new ReportError(file, `expected ${EXPECTED}`);
  }
  // Picking the schema by shape (not a zod union) keeps the failing field's path in the message.
  const list = Array.isArray(data) ? validate(dependencies, data, file, EXPECTED) : validate(current, data, file, EXPECTED).dependencies;
  const findings: SecurityFinding[] = list.flatMap((dep) =>
    dep.vulns.map((vuln) => ({
      id: vuln.id,
      severity: 'unknown' as const,
      subject: dep.version === undefined ? dep.name : `${dep.name}@${dep.version}`,
      title: titleOf(vuln),
      ...(vuln.fix_versions.length > 0 ? { fix: vuln.fix_versions.map((v) => `${dep.name}@${v}`).join(' or ') } : {}),
    })),
  );
  return { format: 'pip-audit', findings, counts: countBySeverity(findings) };
}

// Descriptions are long advisory texts (present with --desc); the first line is enough for a
// checklist line, and without one the aliases (CVE ids) are what a user can look up.
function titleOf(vuln: { id: string; aliases?: string[]; description?: string }): string {
  const firstLine = vuln.description?.trim().split('\n')[0]?.trim();
  if (firstLine !== undefined && firstLine !== '') return firstLine;
  if (vuln.aliases !== undefined && vuln.aliases.length > 0) return `${vuln.id} (${vuln.aliases.join(', ')})`;
  return vuln.id;
}
