// Samples: all SARIF fixtures are written by hand from the SARIF 2.1.0 specification and the
// layouts the tools emit (no SARIF-producing scanner is installed here): codeql.sarif in CodeQL's
// layout (rules in a query-pack extension, results pointing at them by toolComponent index,
// security-severity scores), semgrep.sarif in Semgrep OSS's layout (rules in the driver, a level
// on every result, no scores, one fix suggestion, one result suppressed in source), and
// clean.sarif with no results. The small inline logs below are hand-written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSarif } from '../../../../electron/engine/gates/parsers/sarif.ts';
import { reasonOf } from './report-error.ts';

const dir = 'test/fixtures/reports/sarif';
const read = (name: string) => parseSarif(readFileSync(`${dir}/${name}`, 'utf8'), `${dir}/${name}`);

/** A one-run log of the given results, with rules in the driver. */
function log(results: unknown[], rules: unknown[] = []): string {
  return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Scanner', rules } }, results }] });
}
const at = (uri: string) => [{ physicalLocation: { artifactLocation: { uri } } }];

describe('parseSarif', () => {
  it('rates CodeQL results by the security-severity of their rules', () => {
    const report = read('codeql.sarif');
    expect(report.format).toBe('sarif');
    expect(report.findings.map((f) => [f.id, f.severity])).toEqual([
      ['js/sql-injection', 'high'],
      ['js/reflected-xss', 'moderate'],
      ['js/unused-local-variable', 'low'],
    ]);
  });

  it('takes the subject (file and line) from the first location and the title from the message', () => {
    expect(read('codeql.sarif').findings[0]).toEqual({
      id: 'js/sql-injection',
      severity: 'high',
      subject: 'src/db/orders.js:14',
      title: 'This query string depends on a [user-provided value](1).',
    });
  });

  it('rates results without scores by level and leaves suppressed ones out', () => {
    const report = read('semgrep.sarif');
    expect(report.counts).toEqual({ critical: 0, high: 1, moderate: 1, low: 1, info: 0, unknown: 0 });
    expect(report.findings.some((f) => f.subject.startsWith('scripts/legacy.js'))).toBe(false);
  });

  it('keeps the first line of the message and of the fix', () => {
    const build = read('semgrep.sarif').findings.find((f) => f.subject === 'scripts/build.js:12');
    expect(build).toEqual({
      id: 'javascript.lang.security.audit.detect-child-process.detect-child-process',
      severity: 'high',
      subject: 'scripts/build.js:12',
      title:
        'Detected calls to child_process from a function argument `cmd`. This could lead to a command injection if the input is user controllable.',
      fix: 'Use execFile with an argument array instead of exec with a string.',
    });
  });

  it('reads a log without results as no findings', () => {
    expect(read('clean.sarif').findings).toEqual([]);
  });

  it('prefers the result score over the rule score', () => {
    const rules = [{ id: 'r', properties: { 'security-severity': '9.1' } }];
    const text = log([{ ruleId: 'r', message: { text: 'm' }, properties: { 'security-severity': '3.0' } }], rules);
    expect(parseSarif(text, 's.sarif').findings[0]?.severity).toBe('low');
  });

  it('maps each level when there is no score', () => {
    const results = ['error', 'warning', 'note', 'none'].map((level) => ({ ruleId: level, level, message: { text: level } }));
    expect(parseSarif(log(results), 's.sarif').findings.map((f) => f.severity)).toEqual(['high', 'moderate', 'low', 'info']);
  });

  it("falls back to the rule's default level, then to warning", () => {
    const rules = [{ id: 'strict', defaultConfiguration: { level: 'error' } }];
    const text = log(
      [
        { ruleId: 'strict', message: { text: 'a' } },
        { ruleId: 'plain', message: { text: 'b' } },
      ],
      rules,
    );
    expect(parseSarif(text, 's.sarif').findings.map((f) => f.severity)).toEqual(['high', 'moderate']);
  });

  it('rates an informational result without level as info', () => {
    const text = log(
      [{ ruleId: 'r', kind: 'informational', message: { text: 'fyi' } }],
      [{ id: 'r', defaultConfiguration: { level: 'error' } }],
    );
    expect(parseSarif(text, 's.sarif').findings[0]?.severity).toBe('info');
  });

  it('leaves out passes, not-applicable results and results fixed since the baseline', () => {
    const text = log([
      { ruleId: 'a', kind: 'pass', message: { text: 'ok' } },
      { ruleId: 'b', kind: 'notApplicable', message: { text: 'n/a' } },
      { ruleId: 'c', baselineState: 'absent', level: 'error', message: { text: 'gone' } },
      { ruleId: 'd', baselineState: 'unchanged', level: 'error', message: { text: 'still here' } },
    ]);
    expect(parseSarif(text, 's.sarif').findings.map((f) => f.id)).toEqual(['d']);
  });

  it('keeps a result whose suppression is only under review or rejected', () => {
    const text = log([
      { ruleId: 'a', level: 'error', message: { text: 'a' }, suppressions: [{ kind: 'external', status: 'underReview' }] },
      { ruleId: 'b', level: 'error', message: { text: 'b' }, suppressions: [{ kind: 'external', status: 'rejected' }] },
      { ruleId: 'c', level: 'error', message: { text: 'c' }, suppressions: [{ kind: 'external', status: 'accepted' }] },
    ]);
    expect(parseSarif(text, 's.sarif').findings.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('finds the rule by index and fills a message template from its arguments', () => {
    const rules = [{ id: 'other' }, { id: 'py/weak-hash', messageStrings: { default: { text: 'Weak hash {0} used in {1}' } } }];
    const text = log([{ ruleIndex: 1, message: { id: 'default', arguments: ['md5', 'login()'] }, locations: at('app/auth.py') }], rules);
    expect(parseSarif(text, 's.sarif').findings[0]).toEqual({
      id: 'py/weak-hash',
      severity: 'moderate',
      subject: 'app/auth.py',
      title: 'Weak hash md5 used in login()',
    });
  });

  it('resolves a location given only as an artifact index', () => {
    const text = JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'S' } },
          artifacts: [{ location: { uri: 'lib/a.rb' } }],
          results: [{ ruleId: 'r', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { index: 0 } } }] }],
        },
      ],
    });
    expect(parseSarif(text, 's.sarif').findings[0]?.subject).toBe('lib/a.rb');
  });

  it('uses the rule id as subject when the result has no location', () => {
    expect(parseSarif(log([{ ruleId: 'config/missing-csp', message: { text: 'm' } }]), 's.sarif').findings[0]?.subject).toBe(
      'config/missing-csp',
    );
  });

  it('reads every run', () => {
    const run = (name: string) => ({ tool: { driver: { name } }, results: [{ ruleId: name, message: { text: 'm' } }] });
    const text = JSON.stringify({ version: '2.1.0', runs: [run('one'), run('two')] });
    expect(parseSarif(text, 's.sarif').findings.map((f) => f.id)).toEqual(['one', 'two']);
  });

  it('rejects another SARIF version', () => {
    expect(reasonOf(() => parseSarif(JSON.stringify({ version: '2.0.0', runs: [] }), 's.sarif'))).toMatch(
      /^SARIF version "2\.0\.0" is not supported/,
    );
  });

  it('names the field that has the wrong type', () => {
    expect(reasonOf(() => parseSarif(log([{ ruleId: 'r', message: 'text' }]), 's.sarif'))).toMatch(
      /^unexpected shape at field 'runs\.0\.results\.0\.message'/,
    );
  });

  it('rejects JSON of another shape', () => {
    expect(reasonOf(() => parseSarif('{"results": []}', 's.sarif'))).toBe(
      "expected a SARIF 2.1.0 log (an object with 'version' and 'runs')",
    );
  });

  it('rejects malformed JSON', () => {
    expect(reasonOf(() => parseSarif('{"version": "2.1.0", "runs": [', 's.sarif'))).toMatch(/^not valid JSON: /);
  });

  it('rejects empty input', () => {
    expect(reasonOf(() => parseSarif('', 's.sarif'))).toMatch(/^empty report: expected a SARIF 2\.1\.0 log/);
  });
});
