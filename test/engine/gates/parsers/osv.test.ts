// Samples: osv-scanner.json and clean.json are written by hand from OSV-Scanner's documented JSON
// output and the OSV schema (OSV-Scanner is not installed here and the OSV database cannot be
// reached); the entries are real advisories for lodash 4.17.20 (npm) and jinja2 2.10 (PyPI),
// where a GHSA and a PYSEC entry describe the same flaw and OSV-Scanner groups them.
// The small inline reports below are hand-written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOsv } from '../../../../electron/engine/gates/parsers/osv.ts';
import { reasonOf } from './report-error.ts';

const dir = 'test/fixtures/reports/osv';
const path = `${dir}/osv-scanner.json`;
const report = parseOsv(readFileSync(path, 'utf8'), path);

/** One package result with the given entries and groups, as OSV-Scanner nests it. */
function single(vulnerabilities: unknown[], groups?: unknown[]): string {
  return JSON.stringify({
    results: [
      {
        source: { path: 'go.mod', type: 'lockfile' },
        packages: [{ package: { name: 'golang.org/x/net', version: '0.7.0', ecosystem: 'Go' }, vulnerabilities, groups }],
      },
    ],
  });
}

describe('parseOsv', () => {
  it('makes one finding per group across all sources', () => {
    expect(report.format).toBe('osv');
    expect(report.findings.map((f) => f.id)).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-29mw-wpgm-hmr9', 'GHSA-462w-v97r-4m45, PYSEC-2019-217']);
  });

  it('counts findings per severity from max_severity', () => {
    expect(report.counts).toEqual({ critical: 0, high: 2, moderate: 1, low: 0, info: 0, unknown: 0 });
  });

  it('fills subject, title and fix from the package and its entries', () => {
    expect(report.findings[0]).toEqual({
      id: 'GHSA-35jh-r3h4-6jhm',
      severity: 'high',
      subject: 'lodash@4.17.20',
      title: 'Command Injection in lodash',
      fix: 'lodash@4.17.21',
    });
  });

  it('lists a fixed version once when grouped entries repeat it', () => {
    expect(report.findings[2]?.fix).toBe('jinja2@2.10.1');
  });

  it('reads a clean scan as no findings', () => {
    const clean = parseOsv(readFileSync(`${dir}/clean.json`, 'utf8'), `${dir}/clean.json`);
    expect(clean.findings).toEqual([]);
    expect(Object.values(clean.counts).every((n) => n === 0)).toBe(true);
  });

  it('falls back to the GitHub severity when max_severity is empty', () => {
    const text = single(
      [{ id: 'GHSA-4374-p667-p6c8', summary: 'HTTP/2 rapid reset', database_specific: { severity: 'MODERATE' } }],
      [{ ids: ['GHSA-4374-p667-p6c8'], max_severity: '' }],
    );
    expect(parseOsv(text, 'osv.json').findings[0]?.severity).toBe('moderate');
  });

  it('rates a group with no score and no rating as unknown', () => {
    const text = single(
      [{ id: 'GO-2023-1988', details: 'Improper rendering of text nodes\nmore detail' }],
      [{ ids: ['GO-2023-1988'], max_severity: '' }],
    );
    expect(parseOsv(text, 'osv.json').findings[0]).toEqual({
      id: 'GO-2023-1988',
      severity: 'unknown',
      subject: 'golang.org/x/net@0.7.0',
      title: 'Improper rendering of text nodes',
    });
  });

  it('makes one finding per entry when the output has no groups', () => {
    const text = single([{ id: 'A-1' }, { id: 'A-2' }]);
    expect(parseOsv(text, 'osv.json').findings.map((f) => f.id)).toEqual(['A-1', 'A-2']);
  });

  it('maps CVSS scores to severities at the band edges', () => {
    const scores = ['9.0', '7.0', '4.0', '0.1', '0'];
    const text = single(
      scores.map((_, i) => ({ id: `X-${i}` })),
      scores.map((s, i) => ({ ids: [`X-${i}`], max_severity: s })),
    );
    expect(parseOsv(text, 'osv.json').findings.map((f) => f.severity)).toEqual(['critical', 'high', 'moderate', 'low', 'info']);
  });

  it('ignores the fixes of other packages an entry covers', () => {
    const affected = [
      { package: { name: 'golang.org/x/net' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }] },
      { package: { name: 'stdlib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.21.3' }] }] },
    ];
    expect(parseOsv(single([{ id: 'GO-2023-2102', affected }]), 'osv.json').findings[0]?.fix).toBe('golang.org/x/net@0.17.0');
  });

  it('rejects a group that names no listed entry', () => {
    expect(reasonOf(() => parseOsv(single([], [{ ids: ['X-9'] }]), 'osv.json'))).toBe(
      "golang.org/x/net@0.7.0: group X-9 names no entry of the package's vulnerabilities",
    );
  });

  it('names the field that has the wrong type', () => {
    const text = JSON.stringify({ results: [{ packages: [{ package: { name: 'a' }, vulnerabilities: [{ id: 5 }] }] }] });
    expect(reasonOf(() => parseOsv(text, 'osv.json'))).toMatch(
      /^unexpected shape at field 'results\.0\.packages\.0\.vulnerabilities\.0\.id'/,
    );
  });

  it('rejects JSON of another shape', () => {
    expect(reasonOf(() => parseOsv('{"vulns": []}', 'osv.json'))).toBe("expected an object with 'results' (osv-scanner --format json)");
  });

  it('rejects malformed JSON', () => {
    expect(reasonOf(() => parseOsv('{"results": [', 'osv.json'))).toMatch(/^not valid JSON: /);
  });

  it('rejects empty input', () => {
    expect(reasonOf(() => parseOsv(' ', 'osv.json'))).toMatch(/^empty report: /);
  });
});
