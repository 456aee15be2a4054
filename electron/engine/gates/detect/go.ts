/**
 * Go: go test -json with a coverprofile (per-test results from go's own events), through
 * gotestsum for JUnit where it is a tool in go.mod; govulncheck where go.mod declares it; go build.
 */
import { JUNIT, readText, type Context, type Proposal, type TestsInput } from './ecosystem.ts';

/** Tools declared in go.mod with Go 1.24's `tool` directive, single or in a block. */
function goTools(mod: string): string[] {
  const tools: string[] = [];
  for (const m of mod.matchAll(/^tool\s+([^\s(]+)/gm)) tools.push(m[1]!);
  for (const block of mod.matchAll(/^tool\s*\(([^)]*)\)/gm)) {
    for (const line of block[1]!.split('\n')) {
      const path = line.replace(/\/\/.*$/, '').trim();
      if (path) tools.push(path);
    }
  }
  return tools;
}

/** go.mod's `go` line is at least major.minor (no line: Go's default of 1.16, below any tool directive). */
function goVersionAtLeast(mod: string, major: number, minor: number): boolean {
  const m = /^go\s+(\d+)\.(\d+)/m.exec(mod);
  if (!m) return false;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

export async function detectGo(ctx: Context): Promise<Proposal | undefined> {
  const mod = await readText(ctx.dir, 'go.mod');
  if (mod === undefined) return undefined;
  const notes: string[] = [];
  const tools = goTools(mod);
  const profile = '-coverprofile={reports}/cover.out';
  const coverage = { format: 'gocover' as const, path: '{reports}/cover.out' };
  let tests: TestsInput;
  if (tools.some((t) => t.endsWith('/gotestsum'))) {
    // gotestsum where the project has it as a tool; else go test's own -json events.
    tests = {
      command: ['go', 'tool', 'gotestsum', '--junitfile', JUNIT, '--', profile, './...'],
      junit_report: JUNIT,
      coverage_report: coverage,
    };
    notes.push('tests: go test through gotestsum (a tool in go.mod): JUnit and Go coverprofile from one run');
  } else {
    tests = {
      command: ['go', 'test', '-json', profile, './...'],
      test_report: { format: 'go-test-json', path: 'stdout' },
      coverage_report: coverage,
    };
    notes.push(
      "tests: go test -json (go.mod): per-test results, subtests included, from go's own test2json events, and Go coverprofile from one run",
    );
  }
  const out: Proposal = { ecosystem: 'Go', tests, build: { command: ['go', 'build', './...'] }, notes };
  notes.push('build: go build ./...');
  notes.push(
    'mutation: no Go mutation tool is detected yet (none is standard, and none writes a report Goldloop reads): the "Tests catch faults" line fails until gates.mutation is set, or switched off with enabled: false',
  );
  if (tools.some((t) => t.endsWith('/govulncheck'))) {
    out.security = { command: ['go', 'tool', 'govulncheck', '-format', 'sarif', './...'], report: { format: 'sarif', path: 'stdout' } };
    notes.push('security: govulncheck, SARIF (a tool in go.mod)');
  } else {
    notes.push(
      goVersionAtLeast(mod, 1, 24)
        ? 'security: no scanner in go.mod; add govulncheck (`go get -tool golang.org/x/vuln/cmd/govulncheck`) and run goldloop init --redetect'
        : 'security: no scanner in go.mod; go.mod\'s tool directive (`go get -tool`) needs go 1.24 or later in go.mod, so install govulncheck (`go install golang.org/x/vuln/cmd/govulncheck@latest`) and set gates.security to { "command": ["govulncheck", "-format", "sarif", "./..."], "report": { "format": "sarif", "path": "stdout" } }',
    );
  }
  return out;
}
