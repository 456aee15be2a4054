/**
 * Severity ranking shared by the security parsers and the security gate.
 *
 * Order: critical > high > moderate > low > info. `unknown` is a finding whose severity the
 * report does not say (pip-audit never does; OSV entries may lack one). The gate treats unknown
 * as failing by default: an unrated vulnerability is not evidence of a harmless one, and the
 * agent must not be able to pass the gate by switching to a scanner that does not rate.
 */
import type { SecurityFinding, SecurityReport, Severity } from './types.ts';

/** A severity a gate threshold can name: every severity but `unknown`. */
export type SeverityThreshold = Exclude<Severity, 'unknown'>;

/** Options of the severity comparisons. */
export interface SeverityOptions {
  /** Whether a finding of unknown severity fails the gate. Default: true. */
  unknownFails?: boolean;
}

const RANK: Record<SeverityThreshold, number> = { info: 0, low: 1, moderate: 2, high: 3, critical: 4 };

/** Every severity, most severe first, then `unknown`. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'moderate', 'low', 'info', 'unknown'];

/**
 * True when `severity` is at or above `threshold`. `unknown` is at or above every threshold
 * unless `options.unknownFails` is false.
 */
export function severityAtLeast(severity: Severity, threshold: SeverityThreshold, options: SeverityOptions = {}): boolean {
  if (severity === 'unknown') return options.unknownFails ?? true;
  return RANK[severity] >= RANK[threshold];
}

/**
 * The findings of `report` that fail a security gate whose threshold is `threshold`
 * (default `high`: high and critical fail, and unknown unless `options.unknownFails` is false).
 */
export function failingFindings(
  report: SecurityReport,
  threshold: SeverityThreshold = 'high',
  options: SeverityOptions = {},
): SecurityFinding[] {
  return report.findings.filter((finding) => severityAtLeast(finding.severity, threshold, options));
}

/**
 * Maps a CVSS base score (0..10) to a severity with the CVSS v3 bands, naming "medium" as npm
 * does: >= 9 critical, >= 7 high, >= 4 moderate, > 0 low, 0 info. Returns undefined for a value
 * that is not a score in range, so the caller can fall back to another source.
 */
export function severityFromCvss(score: number | string): SeverityThreshold | undefined {
  const value = typeof score === 'number' ? score : score.trim() === '' ? Number.NaN : Number(score);
  if (!Number.isFinite(value) || value < 0 || value > 10) return undefined;
  if (value >= 9) return 'critical';
  if (value >= 7) return 'high';
  if (value >= 4) return 'moderate';
  if (value > 0) return 'low';
  return 'info';
}

/**
 * Maps a severity word as scanners write it (any case; GitHub's MODERATE, CVSS's MEDIUM,
 * SARIF-ish NONE) to a severity, or undefined when the word is not one.
 */
export function severityFromName(name: string): Severity | undefined {
  const word = name.trim().toLowerCase();
  if (word === 'medium') return 'moderate';
  if (word === 'none' || word === 'informational') return 'info';
  return (SEVERITIES as readonly string[]).includes(word) ? (word as Severity) : undefined;
}

/** Counts findings per severity, with every severity present (0 when none). */
export function countBySeverity(findings: readonly SecurityFinding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
