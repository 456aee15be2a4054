import { describe, expect, it } from 'vitest';
import {
  countBySeverity,
  failingFindings,
  severityAtLeast,
  severityFromCvss,
  severityFromName,
} from '../../../../electron/engine/gates/parsers/severity.ts';
import type { SecurityFinding, SecurityReport, Severity } from '../../../../electron/engine/gates/parsers/types.ts';

const finding = (severity: Severity): SecurityFinding => ({ id: `ID-${severity}`, severity, subject: 'pkg', title: severity });
const all: Severity[] = ['critical', 'high', 'moderate', 'low', 'info', 'unknown'];
const report: SecurityReport = { format: 'osv', findings: all.map(finding), counts: countBySeverity(all.map(finding)) };

describe('severityAtLeast', () => {
  it('orders critical > high > moderate > low > info', () => {
    expect(all.slice(0, 5).filter((s) => severityAtLeast(s, 'moderate'))).toEqual(['critical', 'high', 'moderate']);
  });

  it('counts a severity equal to the threshold as reaching it', () => {
    expect(severityAtLeast('low', 'low')).toBe(true);
  });

  it('counts unknown as reaching every threshold by default', () => {
    expect(severityAtLeast('unknown', 'critical')).toBe(true);
  });

  it('lets an option stop unknown from failing', () => {
    expect(severityAtLeast('unknown', 'info', { unknownFails: false })).toBe(false);
  });
});

describe('failingFindings', () => {
  it('fails high, critical and unknown with the default threshold', () => {
    expect(failingFindings(report).map((f) => f.severity)).toEqual(['critical', 'high', 'unknown']);
  });

  it('applies a lower threshold', () => {
    expect(failingFindings(report, 'low').map((f) => f.severity)).toEqual(['critical', 'high', 'moderate', 'low', 'unknown']);
  });

  it('leaves unknown out when told to', () => {
    expect(failingFindings(report, 'critical', { unknownFails: false }).map((f) => f.severity)).toEqual(['critical']);
  });
});

describe('severityFromCvss', () => {
  it('maps scores to the CVSS v3 bands', () => {
    expect([10, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromCvss)).toEqual([
      'critical',
      'critical',
      'high',
      'high',
      'moderate',
      'moderate',
      'low',
      'low',
      'info',
    ]);
  });

  it('reads a score written as a string', () => {
    expect(severityFromCvss('8.8')).toBe('high');
  });

  it('gives undefined for something that is not a score', () => {
    expect(['', 'CVSS:3.1/AV:N', '11', '-1'].map(severityFromCvss)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('severityFromName', () => {
  it('reads scanner spellings in any case', () => {
    expect(['CRITICAL', 'High', 'MODERATE', 'medium', 'low', 'NONE', 'info'].map(severityFromName)).toEqual([
      'critical',
      'high',
      'moderate',
      'moderate',
      'low',
      'info',
      'info',
    ]);
  });

  it('gives undefined for an unknown word', () => {
    expect(severityFromName('severe')).toBeUndefined();
  });
});

describe('countBySeverity', () => {
  it('has every severity, zero when absent', () => {
    expect(countBySeverity([finding('high'), finding('high')])).toEqual({ critical: 0, high: 2, moderate: 0, low: 0, info: 0, unknown: 0 });
  });
});
