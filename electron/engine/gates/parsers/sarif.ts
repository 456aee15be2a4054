/**
 * SARIF 2.1.0, the static-analysis exchange format written by CodeQL, Semgrep, Trivy, Bandit,
 * ESLint's SARIF formatter and most security scanners.
 */
import { z } from 'zod';
import { isObject, readJson, validate } from './input.ts';
import { countBySeverity, severityFromCvss } from './severity.ts';
import { ReportError, type SecurityFinding, type SecurityReport, type Severity } from './types.ts';

const EXPECTED = "a SARIF 2.1.0 log (an object with 'version' and 'runs')";

// SARIF's multiformatMessageString: only the plain text is read.
const multiformat = z.looseObject({ text: z.string().optional() });
// GitHub code scanning's convention: a CVSS-like score as a string, on the rule or the result.
const properties = z.looseObject({ 'security-severity': z.union([z.string(), z.number()]).optional() }).optional();

const rule = z.looseObject({
  id: z.string(),
  shortDescription: multiformat.optional(),
  messageStrings: z.record(z.string(), multiformat).optional(),
  defaultConfiguration: z.looseObject({ level: z.string().optional() }).optional(),
  properties,
});

const component = z.looseObject({ name: z.string().optional(), rules: z.array(rule).default([]) });

const result = z.looseObject({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  rule: z
    .looseObject({
      id: z.string().optional(),
      index: z.number().int().optional(),
      toolComponent: z.looseObject({ index: z.number().int().optional() }).optional(),
    })
    .optional(),
  kind: z.string().optional(),
  level: z.string().optional(),
  message: z.looseObject({ text: z.string().optional(), id: z.string().optional(), arguments: z.array(z.string()).optional() }),
  locations: z
    .array(
      z.looseObject({
        physicalLocation: z
          .looseObject({
            artifactLocation: z.looseObject({ uri: z.string().optional(), index: z.number().int().optional() }).optional(),
            region: z.looseObject({ startLine: z.number().int().optional() }).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  suppressions: z.array(z.looseObject({ status: z.string().optional() })).optional(),
  baselineState: z.string().optional(),
  fixes: z.array(z.looseObject({ description: multiformat.optional() })).optional(),
  properties,
});

const run = z.looseObject({
  tool: z.looseObject({ driver: component, extensions: z.array(component).optional() }),
  results: z.array(result).nullable().optional(),
  artifacts: z.array(z.looseObject({ location: z.looseObject({ uri: z.string().optional() }).optional() })).optional(),
});

const schema = z.looseObject({ version: z.literal('2.1.0'), runs: z.array(run) });

type Run = z.infer<typeof run>;
type Result = z.infer<typeof result>;
type Rule = z.infer<typeof rule>;

const LEVELS: Record<string, Severity> = { error: 'high', warning: 'moderate', note: 'low', none: 'info' };

/**
 * Parses a SARIF 2.1.0 log into one finding per open result, its subject the file and line of its
 * first location. Severity comes from the
 * `security-severity` score of the result or its rule when present (CVSS bands), else from the
 * SARIF level: error high, warning moderate, note low, none info. Results that are not open
 * problems are left out: kind `pass`/`notApplicable`, baselineState `absent` (fixed since the
 * baseline), and suppressed results (a suppression with status `accepted` or no status).
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, not SARIF, or not version 2.1.0
 */
export function parseSarif(text: string, file: string): SecurityReport {
  const data = readJson(text, file, EXPECTED);
  if (!isObject(data) || !('runs' in data)) throw new ReportError(file, `expected ${EXPECTED}`);
  if (data.version !== '2.1.0') {
    throw new ReportError(file, `SARIF version ${JSON.stringify(data.version ?? null)} is not supported: expected ${EXPECTED}`);
  }
  const log = validate(schema, data, file, EXPECTED);
  const findings = log.runs.flatMap((r) => (r.results ?? []).filter(isOpen).map((res) => toFinding(res, r)));
  return { format: 'sarif', findings, counts: countBySeverity(findings) };
}

function isOpen(res: Result): boolean {
  if (res.kind === 'pass' || res.kind === 'notApplicable') return false;
  if (res.baselineState === 'absent') return false;
  const suppressed = (res.suppressions ?? []).some((s) => s.status === undefined || s.status === 'accepted');
  return !suppressed;
}

function toFinding(res: Result, r: Run): SecurityFinding {
  const ruleOf = findRule(res, r);
  const id = res.ruleId ?? res.rule?.id ?? ruleOf?.id ?? r.tool.driver.name ?? 'sarif-result';
  const fix = res.fixes?.find((f) => f.description?.text !== undefined)?.description?.text;
  return {
    id,
    severity: severityOf(res, ruleOf),
    subject: locationOf(res, r) ?? id,
    title: firstLine(messageOf(res, ruleOf) ?? id),
    ...(fix !== undefined ? { fix: firstLine(fix) } : {}),
  };
}

// A result names its rule by index (into the driver's rules, or an extension's when
// `rule.toolComponent` says so, as CodeQL does) or by id.
function findRule(res: Result, r: Run): Rule | undefined {
  const extension = res.rule?.toolComponent?.index;
  const owner = extension === undefined ? r.tool.driver : r.tool.extensions?.[extension];
  const index = res.rule?.index ?? res.ruleIndex;
  if (owner !== undefined && index !== undefined && owner.rules[index] !== undefined) return owner.rules[index];
  const id = res.ruleId ?? res.rule?.id;
  if (id === undefined) return undefined;
  return [r.tool.driver, ...(r.tool.extensions ?? [])].flatMap((c) => c.rules).find((candidate) => candidate.id === id);
}

function severityOf(res: Result, ruleOf: Rule | undefined): Severity {
  for (const score of [res.properties?.['security-severity'], ruleOf?.properties?.['security-severity']]) {
    const severity = score === undefined ? undefined : severityFromCvss(score);
    if (severity !== undefined) return severity;
  }
  // SARIF §3.27.10: a result whose kind is not "fail" has level "none"; the default level is
  // the rule's configured level, else "warning".
  const notAFailure = res.kind !== undefined && res.kind !== 'fail';
  const level = res.level ?? (notAFailure ? 'none' : (ruleOf?.defaultConfiguration?.level ?? 'warning'));
  return LEVELS[level] ?? 'unknown';
}

// The file, and the line where the result says (`src/db.js:12`), so the finding can be found.
function locationOf(res: Result, r: Run): string | undefined {
  const physical = res.locations?.[0]?.physicalLocation;
  const artifact = physical?.artifactLocation;
  if (artifact === undefined) return undefined;
  const uri = artifact.uri ?? (artifact.index === undefined ? undefined : r.artifacts?.[artifact.index]?.location?.uri);
  const line = physical?.region?.startLine;
  return uri !== undefined && line !== undefined ? `${uri}:${line}` : uri;
}

// The message is either literal text or an id into the rule's messageStrings, with {0}-style
// placeholders filled from `arguments`.
function messageOf(res: Result, ruleOf: Rule | undefined): string | undefined {
  const template = res.message.text ?? (res.message.id === undefined ? undefined : ruleOf?.messageStrings?.[res.message.id]?.text);
  if (template === undefined) return ruleOf?.shortDescription?.text;
  const args = res.message.arguments ?? [];
  return template.replace(/\{(\d+)\}/g, (placeholder, n: string) => args[Number(n)] ?? placeholder);
}

function firstLine(value: string): string {
  return value.trim().split('\n')[0]!.trim();
}
