/**
 * The canary: in every gate phase, a sentinel test that must fail, run by the project's own test
 * runner with the project's code loaded the way its tests load it. Goldloop writes it into the
 * phase's `{reports}` folder under a random name. If it passes, the harness has been made to pass
 * everything — an assertion library patched into no-ops on import, a runner that reports green —
 * and no result of the phase can be believed.
 *
 * Written for node's test runner (`node --test`), with node:assert; other runners are not covered
 * yet, and the phase says nothing of a canary for them.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess } from '../../platform/process.ts';
import type { TestsGateConfig } from '../../store/kb/schema.ts';
import { runGateCommand } from './command.ts';
import type { CanaryRun, GateContext } from './measurement.ts';
import { parseJUnit } from './parsers/junit.ts';

const TEST_FILE = /(^|\/)(tests?|spec|__tests__)\/.*\.[cm]?js$|[._-](test|spec)s?\.[cm]?js$/;
const MAX_MODULES = 200;
/** Node options that take their value as the next argument and load code (a loader, a preload). */
const LOADERS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** The node and the loading options of a tests command that runs node's test runner; undefined for another runner. */
export function nodeTestRunner(command: readonly string[]): { node: string; options: string[] } | undefined {
  const [node, ...args] = command;
  if (!node || !/^node(\.exe)?$/i.test(basename(node)) || !args.includes('--test')) return undefined;
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (LOADERS.has(arg) && args[i + 1] !== undefined) options.push(arg, args[++i]!);
    else if (/^--(import|require|loader|experimental-loader)=/.test(arg)) options.push(arg);
  }
  return { node, options };
}

/** The project's own modules its test files import by relative path: the canary loads them the same way. */
export async function importedModules(projectDir: string): Promise<string[]> {
  const listed = await runProcess(['git', 'ls-files', '-co', '--exclude-standard'], {
    cwd: projectDir,
    timeoutMs: 30_000,
    tailLines: 200_000,
  });
  const tests = listed.exitCode === 0 ? listed.stdoutTail.filter((f) => TEST_FILE.test(f)).slice(0, 2000) : [];
  const found = new Set<string>();
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const test of tests) {
    const text = await readFile(join(projectDir, test), 'utf8').catch(() => '');
    for (const m of text.matchAll(specifier)) {
      const path = resolve(projectDir, dirname(test), m[1]!);
      const rel = relative(projectDir, path).replaceAll('\\', '/');
      if (rel.startsWith('..') || TEST_FILE.test(rel)) continue;
      if (
        await stat(path).then(
          (s) => s.isFile(),
          () => false,
        )
      )
        found.add(path);
    }
  }
  return [...found].sort().slice(0, MAX_MODULES);
}

/** The sentinel file: the project's modules loaded, then two assertions that cannot hold. */
export function canarySource(modules: string[], token: string): string {
  const urls = modules.map((m) => pathToFileURL(m).href);
  return `// Written by Goldloop: a test that must fail. If it passes, the test harness has been tampered with.
import test from 'node:test';
import assert from 'node:assert';
import strict from 'node:assert/strict';

for (const url of ${JSON.stringify(urls)}) {
  try {
    await import(url);
  } catch {}
}

test('goldloop canary ${token} (strict)', () => {
  strict.equal('${token}', 'not ${token}');
});

test('goldloop canary ${token} (legacy)', () => {
  assert.ok(false, '${token}');
});
`;
}

/** Runs the canary through the tests gate's node; undefined when the tests gate runs another runner. */
export async function runCanary(config: TestsGateConfig, ctx: GateContext): Promise<CanaryRun | undefined> {
  const runner = nodeTestRunner(config.command);
  if (!runner) return undefined;
  const token = randomBytes(6).toString('hex');
  const modules = await importedModules(ctx.projectDir);
  const file = `{reports}/canary-${token}.test.mjs`;
  const junit = `{reports}/canary-${token}.xml`;
  const command = [runner.node, ...runner.options, '--test', '--test-reporter=junit', `--test-reporter-destination=${junit}`, file];
  const prepare = (_: unknown, reports: string): Promise<void> => writeFile(join(reports, basename(file)), canarySource(modules, token));
  return runGateCommand(
    { command, timeout_minutes: config.timeout_minutes },
    ctx,
    { reportPaths: [junit], prepare },
    async (run, place) => {
      try {
        const report = parseJUnit(await readFile(place.path(junit), 'utf8'), junit);
        const passed = report.tests.filter((t) => t.status === 'passed').map((t) => t.name);
        return { ...run, total: report.tests.length, passed, modules: modules.length };
      } catch {
        // No report: a runner that failed to start proves nothing, but one that exits 0 passed the canary.
        return { ...run, total: 0, passed: [], modules: modules.length, error: 'the canary wrote no JUnit report' };
      }
    },
  );
}
