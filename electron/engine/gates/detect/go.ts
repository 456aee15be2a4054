/**
 * Go: go test with a coverprofile, through gotestsum for JUnit where it is a tool in go.mod or
 * installed; govulncheck where go.mod declares it; go build.
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

export async function detectGo(ctx: Context): Promise<Proposal | undefined> {
  const mod = await readText(ctx.dir, 'go.mod');
  if (mod === undefined) return undefined;
  const notes: string[] = [];
  const tools = goTools(mod);
  const profile = '-coverprofile={reports}/cover.out';
  const coverage = { format: 'gocover' as const, path: '{reports}/cover.out' };
  let gotestsum: string[] | undefined;
  if (tools.some((t) => t.endsWith('/gotestsum'))) gotestsum = ['go', 'tool', 'gotestsum'];
  else if (await ctx.probe(['gotestsum', '--version'])) gotestsum = ['gotestsum'];
  let tests: TestsInput;
  if (gotestsum) {
    tests = { command: [...gotestsum, '--junitfile', JUNIT, '--', profile, './...'], junit_report: JUNIT, coverage_report: coverage };
    const from =
      gotestsum[0] === 'go' ? 'a tool in go.mod' : 'installed on this machine, not in go.mod: the gate needs it wherever Goldloop runs';
    notes.push(`tests: go test through gotestsum (${from}): JUnit and Go coverprofile from one run`);
  } else {
    tests = { command: ['go', 'test', profile, './...'], coverage_report: coverage };
    notes.push(
      'tests: go test with a coverprofile (go.mod); pass or fail by the exit code, because go test writes no JUnit: add gotestsum (`go get -tool gotest.tools/gotestsum`) and run goldloop init --redetect for per-test results',
    );
    if (/go-junit-report/.test(mod))
      notes.push(
        'tests: go-junit-report reads go test output from a pipe, which a gate command (one argv, no shell) cannot build; gotestsum runs go test itself',
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
      'security: no scanner in go.mod; add govulncheck (`go get -tool golang.org/x/vuln/cmd/govulncheck`) and run goldloop init --redetect',
    );
  }
  return out;
}
