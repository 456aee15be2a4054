// What `goldloop init` proposes for a Go project: go test (go test -json, or gotestsum where go.mod has it), govulncheck, go build.
import { describe, expect, it } from 'vitest';
import { detect, JUNIT, note, tools } from './detection.ts';

describe('Go', () => {
  it("writes a coverprofile into {reports} and reads per-test results from go test -json's output without gotestsum", async () => {
    const d = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.22\n' });
    expect(d.gates.tests).toEqual({
      command: ['go', 'test', '-json', '-coverprofile={reports}/cover.out', './...'],
      test_report: { format: 'go-test-json', path: 'stdout' },
      coverage_report: { format: 'gocover', path: '{reports}/cover.out' },
    });
    expect(d.gates.build).toEqual({ command: ['go', 'build', './...'] });
    expect(note(d, 'tests:')).toContain('go test -json');
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

  it('ignores a gotestsum installed on this machine but not in go.mod: go test -json needs nothing the project lacks', async () => {
    const probe = tools({ 'gotestsum --version': 'gotestsum version 1.12.0' });
    const d = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.22\n' }, { probe });
    expect(d.gates.tests?.command.slice(0, 3)).toEqual(['go', 'test', '-json']);
    expect(probe.calls).not.toContainEqual(['gotestsum', '--version']);
  });

  it('advises govulncheck through the tool directive only where go.mod allows it (go 1.24+), and says how otherwise', async () => {
    const old = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.19\n' });
    expect(note(old, 'security:')).toContain('needs go 1.24 or later in go.mod');
    expect(note(old, 'security:')).toContain('go install golang.org/x/vuln/cmd/govulncheck@latest');
    expect(note(old, 'security:')).not.toContain('go get -tool golang');
    const current = await detect({ 'go.mod': 'module example.com/x\n\ngo 1.24.1\n' });
    expect(note(current, 'security:')).toContain('go get -tool golang.org/x/vuln/cmd/govulncheck');
  });
});
