/**
 * go test's canary: a failing test in every package folder that has tests, in the package's own
 * name, so that it is built with the package and run by its TestMain. Goldloop writes the files
 * into `{reports}` and lays them into the folders with go's `-overlay` (nothing is written into
 * the project). go test's `-json` output says which ran and how they ended; a run that exits 0
 * with a failing canary has a TestMain that hides failures. See `run.ts`.
 */
import { join } from 'node:path';
import { readText } from '../detect/ecosystem.ts';
import { pickOptions, runnerAt, type CanaryPlan, type CanaryResult, type CanaryTarget } from './runner.ts';
import { listedFiles } from '../project-files.ts';

/** go test's flags that take a value as the next argument, so that it is not taken for a package. */
const VALUED = new Set(
  'run skip bench benchtime count cpu parallel timeout coverprofile covermode coverpkg cpuprofile memprofile blockprofile mutexprofile outputdir trace tags mod modfile p o exec gcflags ldflags asmflags toolexec pkgdir overlay shuffle fuzz fuzztime list vet C'
    .split(' ')
    .flatMap((f) => [`-${f}`, `--${f}`]),
);
/** The build settings the canary keeps, so that the packages build as the tests command builds them. */
const KEPT = new Set(['-tags', '--tags', '-mod', '--mod', '-modfile', '--modfile']);
const MAX_PACKAGES = 500;

/** The go command and the tests command's arguments to go test (after gotestsum's `--`). */
function goTest(command: readonly string[]): { go: string; args: string[] } | undefined {
  const gotestsum = runnerAt(command, 'gotestsum');
  if (gotestsum) {
    const dashes = gotestsum.args.indexOf('--');
    return { go: 'go', args: dashes < 0 ? [] : gotestsum.args.slice(dashes + 1) };
  }
  const go = runnerAt(command, 'go');
  if (!go || go.args[0] !== 'test') return undefined;
  return { go: go.prefix[go.prefix.length - 1]!, args: go.args.slice(1) };
}

/** The packages the tests command names (`./...` when it names none). */
export function goPackages(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-args' || arg === '--args') break;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && VALUED.has(arg)) i++;
      continue;
    }
    out.push(arg);
  }
  return out.length ? out : ['./...'];
}

/** Each folder with tests, and the package its test files are in (the first one's `package` clause). */
async function testFolders(target: CanaryTarget): Promise<[string, string][]> {
  const { projectDir } = target;
  const folders = new Map<string, string>();
  for (const file of (await listedFiles(target)).filter((f) => f.endsWith('_test.go'))) {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    if (folders.has(dir) || /(^|\/)(vendor|testdata)(\/|$)|(^|\/)[._]/.test(dir)) continue;
    const name = /^package\s+(\w+)/m.exec((await readText(projectDir, file)) ?? '')?.[1];
    if (name) folders.set(dir, name);
    if (folders.size >= MAX_PACKAGES) break;
  }
  return [...folders];
}

export function goSource(pkg: string, token: string): string {
  return `// Written by Goldloop: a test that must fail. If it passes, the test harness has been tampered with.
package ${pkg}

import "testing"

func TestGoldloopCanary${token}(t *testing.T) {
\tt.Fatal("goldloop canary ${token}")
}
`;
}

/** The canary's tests in go test's `-json` events: those that ended other than failed passed it. */
export function goResults(stdout: string, test: string): CanaryResult {
  const ended = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { Action?: string; Package?: string; Test?: string })
    .filter((e) => e.Test === test && ['pass', 'fail', 'skip'].includes(e.Action ?? ''));
  return { total: ended.length, passed: ended.filter((e) => e.Action !== 'fail').map((e) => `${e.Package ?? ''} ${test}`) };
}

export async function goCanary(target: CanaryTarget): Promise<CanaryPlan | undefined> {
  const { projectDir, command, token } = target;
  const found = goTest(command);
  if (!found) return undefined;
  const folders = await testFolders(target);
  if (folders.length === 0) return undefined;
  const test = `TestGoldloopCanary${token}`;
  const overlay = `canary-${token}-overlay.json`;
  const files = (reports: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const replace: Record<string, string> = {};
    folders.forEach(([dir, pkg], i) => {
      out[`canary-${token}-${i}_test.go`] = goSource(pkg, token);
      replace[join(projectDir, dir, `goldloop_canary_${token}_test.go`)] = join(reports, `canary-${token}-${i}_test.go`);
    });
    out[overlay] = JSON.stringify({ Replace: replace });
    return out;
  };
  return {
    // -vet=off: vet does not read the overlay.
    command: [
      found.go,
      'test',
      ...pickOptions(found.args, KEPT),
      '-vet=off',
      `-overlay={reports}/${overlay}`,
      '-count=1',
      '-json',
      '-run',
      `^${test}$`,
      ...goPackages(found.args),
    ],
    files,
    report: 'stdout',
    parse: (stdout) => goResults(stdout, test),
    modules: folders.length,
  };
}
