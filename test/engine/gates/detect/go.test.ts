// What `goldloop init` proposes for a Go project: go test (through gotestsum), govulncheck, go build.
import { describe, expect, it } from 'vitest';
import { detect, JUNIT, note, tools } from './detection.ts';

describe('Go', () => {
  it('writes a coverprofile into {reports}; tests by exit code without gotestsum', async () => {
    const d = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.22\n' });
    expect(d.gates.tests).toEqual({
      command: ['go', 'test', '-coverprofile={reports}/cover.out', './...'],
      coverage_report: { format: 'gocover', path: '{reports}/cover.out' },
    });
    expect(d.gates.build).toEqual({ command: ['go', 'build', './...'] });
    expect(note(d, 'tests:')).toContain('gotestsum');
  });

  it("runs go test through gotestsum from go.mod's tools for JUnit, and govulncheck as the security gate", async () => {
    const d = await detect({
      'go.mod': 'module example.com/x\n\ngo 1.24\n\ntool (\n\tgolang.org/x/vuln/cmd/govulncheck\n\tgotest.tools/gotestsum\n)\n',
    });
    expect(d.gates.tests).toEqual({
      command: ['go', 'tool', 'gotestsum', '--junitfile', JUNIT, '--', '-coverprofile={reports}/cover.out', './...'],
      junit_report: JUNIT,
      coverage_report: { format: 'gocover', path: '{reports}/cover.out' },
    });
    expect(d.gates.security).toEqual({
      command: ['go', 'tool', 'govulncheck', '-format', 'sarif', './...'],
      report: { format: 'sarif', path: 'stdout' },
    });
  });

  it('uses an installed gotestsum and says the gate depends on it', async () => {
    const d = await detect(
      { 'go.mod': 'module example.com/x\n\ngo 1.22\n' },
      { probe: tools({ 'gotestsum --version': 'gotestsum version 1.12.0' }) },
    );
    expect(d.gates.tests?.command[0]).toBe('gotestsum');
    expect(note(d, 'tests:')).toContain('installed on this machine');
  });

  it('explains that go-junit-report needs a pipe a gate cannot build', async () => {
    const d = await detect({ 'go.mod': 'module x\n\ngo 1.22\n\nrequire github.com/jstemmer/go-junit-report/v2 v2.1.0\n' });
    expect(note(d, 'tests:')).toContain('go-junit-report reads go test output from a pipe');
  });
});
