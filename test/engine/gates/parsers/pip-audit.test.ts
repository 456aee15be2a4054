// Samples: all pip-audit fixtures are written by hand from pip-audit's documented JSON output
// (pip-audit is neither installed nor installable here, and PyPI cannot be reached):
// pip-audit.json is `pip-audit -f json --desc` for flask 0.12.2 and jinja2 2.10 (real PYSEC
// advisories) with a dependency pip-audit skipped; legacy-array.json is the top-level array
// written by pip-audit before 2.0; clean.json has no vulnerabilities.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePipAudit } from '../../../../electron/engine/gates/parsers/pip-audit.ts';
import { failingFindings } from '../../../../electron/engine/gates/parsers/severity.ts';
import { reasonOf } from './report-error.ts';

const dir = 'test/fixtures/reports/pip-audit';
const read = (name: string) => readFileSync(`${dir}/${name}`, 'utf8');
const report = parsePipAudit(read('pip-audit.json'), `${dir}/pip-audit.json`);

describe('parsePipAudit', () => {
  it('makes one finding per vulnerability of each dependency', () => {
    expect(report.format).toBe('pip-audit');
    expect(report.findings.map((f) => `${f.subject} ${f.id}`)).toEqual([
      'flask@0.12.2 PYSEC-2019-179',
      'flask@0.12.2 PYSEC-2018-66',
      'jinja2@2.10 PYSEC-2019-217',
    ]);
  });

  it('rates every finding unknown, since pip-audit has no severities', () => {
    expect(report.counts).toEqual({ critical: 0, high: 0, moderate: 0, low: 0, info: 0, unknown: 3 });
  });

  it('fails the default security gate on any finding', () => {
    expect(failingFindings(report)).toHaveLength(3);
  });

  it('takes the title from the description and the fix from fix_versions', () => {
    expect(report.findings[2]).toEqual({
      id: 'PYSEC-2019-217',
      severity: 'unknown',
      subject: 'jinja2@2.10',
      title: 'In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.',
      fix: 'jinja2@2.10.1',
    });
  });

  it('does not count a skipped dependency as a finding', () => {
    expect(report.findings.some((f) => f.subject.startsWith('shop-internal'))).toBe(false);
  });

  it('reads the pre-2.0 top-level array', () => {
    const legacy = parsePipAudit(read('legacy-array.json'), `${dir}/legacy-array.json`);
    expect(legacy.findings).toEqual([
      { id: 'PYSEC-2019-217', severity: 'unknown', subject: 'jinja2@2.10', title: 'PYSEC-2019-217', fix: 'jinja2@2.10.1' },
    ]);
  });

  it('uses the aliases as title without a description', () => {
    const text = JSON.stringify({
      dependencies: [{ name: 'a', version: '1', vulns: [{ id: 'PYSEC-1', fix_versions: [], aliases: ['CVE-2020-1'] }] }],
    });
    expect(parsePipAudit(text, 'p.json').findings[0]).toEqual({
      id: 'PYSEC-1',
      severity: 'unknown',
      subject: 'a@1',
      title: 'PYSEC-1 (CVE-2020-1)',
    });
  });

  it('reads a clean audit as no findings', () => {
    expect(parsePipAudit(read('clean.json'), `${dir}/clean.json`).findings).toEqual([]);
  });

  it('names the field that has the wrong type', () => {
    const text = JSON.stringify({ dependencies: [{ name: 'a', vulns: [{ id: 'X', fix_versions: '1.0' }] }] });
    expect(reasonOf(() => parsePipAudit(text, 'p.json'))).toMatch(/^unexpected shape at field 'dependencies\.0\.vulns\.0\.fix_versions'/);
  });

  it('rejects JSON of another shape', () => {
    expect(reasonOf(() => parsePipAudit('{"results": []}', 'p.json'))).toBe(
      "expected an object with 'dependencies' or an array of dependencies (pip-audit -f json)",
    );
  });

  it('rejects malformed JSON', () => {
    expect(reasonOf(() => parsePipAudit('[{"name": "a",', 'p.json'))).toMatch(/^not valid JSON: /);
  });

  it('rejects empty input', () => {
    expect(reasonOf(() => parsePipAudit('', 'p.json'))).toMatch(/^empty report: /);
  });
});
