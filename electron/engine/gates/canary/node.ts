/**
 * The canary of the JavaScript runners: node's test runner (with node:assert), vitest (its expect
 * and assert, the project's config and setup files) and jest (its expect, the project's config and
 * setup files). Each loads the project's modules its tests import, so that a module that patches
 * the assertions on import does it to the canary too. See `run.ts`.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exists, readText } from '../detect/ecosystem.ts';
import { junitCanary, optionValue, pickOptions, runnerAt, type CanaryPlan, type CanaryTarget } from './runner.ts';
import { listedFiles, type Listable } from '../project-files.ts';

const TEST_FILE = /(^|\/)(tests?|spec|__tests__)\/.*\.[cm]?[jt]sx?$|[._-](test|spec)s?\.[cm]?[jt]sx?$/;
const MAX_MODULES = 200;
/** How an import without an extension finds its file, as bundlers and TypeScript resolve it. */
const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.js'];
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

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** The project's own modules its test files import by relative path: the canary loads them the same way. */
export async function importedModules(target: Listable): Promise<string[]> {
  const { projectDir } = target;
  const tests = (await listedFiles(target)).filter((f) => TEST_FILE.test(f)).slice(0, 2000);
  const found = new Set<string>();
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const test of tests) {
    const text = await readFile(join(projectDir, test), 'utf8').catch(() => '');
    for (const m of text.matchAll(specifier)) {
      const named = resolve(projectDir, dirname(test), m[1]!);
      for (const ext of EXTENSIONS) {
        const path = named + ext;
        const rel = relative(projectDir, path).replaceAll('\\', '/');
        if (rel.startsWith('..') || TEST_FILE.test(rel)) break;
        if (await isFile(path)) {
          found.add(path);
          break;
        }
      }
    }
  }
  return [...found].sort().slice(0, MAX_MODULES);
}

const HEADER = '// Written by Goldloop: a test that must fail. If it passes, the test harness has been tampered with.';

/** node:test's sentinel file: the project's modules loaded, then two assertions that cannot hold. */
export function canarySource(modules: string[], token: string): string {
  const urls = modules.map((m) => pathToFileURL(m).href);
  return `${HEADER}
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

export async function nodeTestCanary(target: CanaryTarget): Promise<CanaryPlan | undefined> {
  const { command, token } = target;
  const runner = nodeTestRunner(command);
  if (!runner) return undefined;
  const modules = await importedModules(target);
  const file = `canary-${token}.test.mjs`;
  const junit = `{reports}/canary-${token}.xml`;
  return {
    command: [
      runner.node,
      ...runner.options,
      '--test',
      '--test-reporter=junit',
      `--test-reporter-destination=${junit}`,
      `{reports}/${file}`,
    ],
    files: () => ({ [file]: canarySource(modules, token) }),
    report: junit,
    parse: (text) => junitCanary(text, junit),
    modules: modules.length,
  };
}

/** Vitest's sentinel file: its own expect and assert, after the project's modules. */
export function vitestSource(modules: string[], token: string): string {
  return `${HEADER}
import { assert, expect, test } from 'vitest';

for (const path of ${JSON.stringify(modules)}) {
  try {
    await import(path);
  } catch {}
}

test('goldloop canary ${token} (expect)', () => {
  expect('${token}').toBe('not ${token}');
});

test('goldloop canary ${token} (assert)', () => {
  assert.ok(false, '${token}');
});
`;
}

const CONFIG = new Set(['--config', '-c']);
const VITEST_CONFIGS = ['vitest', 'vite'].flatMap((name) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `${name}.config.${ext}`));

/**
 * The project's vitest config, with only the canary to run: vitest has no option for a test file
 * outside the include globs, so a config of Goldloop's imports the project's and narrows it. The
 * project's setup files, environment and plugins stay; its own include, exclude and test name pattern
 * (which could hide the canary), its coverage and its projects go.
 */
export function vitestConfig(projectConfig: string | undefined, file: string, reports: string): string {
  return `// Written by Goldloop: the project's vitest config, running only the canary.
${projectConfig ? `import * as project from ${JSON.stringify(projectConfig)};` : 'const project = {};'}

export default async (env) => {
  const given = project.default;
  const config = (typeof given === 'function' ? await given(env) : await given) ?? {};
  const test = { ...config.test, include: [${JSON.stringify(file)}], exclude: ['**/node_modules/**'], dir: ${JSON.stringify(reports)} };
  test.passWithNoTests = false;
  delete test.testNamePattern;
  test.coverage = { ...test.coverage, enabled: false };
  delete test.projects;
  return { ...config, test };
};
`;
}

/** The config file vitest would read: the command's `--config`, else the first of the default names. */
async function vitestConfigFile(projectDir: string, args: string[]): Promise<string | undefined> {
  const named = optionValue(args, CONFIG);
  if (named) return resolve(projectDir, named);
  const rootDir = resolve(projectDir, optionValue(args, new Set(['--root', '-r'])) ?? '.');
  for (const name of VITEST_CONFIGS) if (await exists(rootDir, name)) return join(rootDir, name);
  return undefined;
}

export async function vitestCanary(target: CanaryTarget): Promise<CanaryPlan | undefined> {
  const { projectDir, command, token } = target;
  const at = runnerAt(command, 'vitest');
  if (!at) return undefined;
  const kept = pickOptions(at.args, new Set(['--root', '-r', '--mode', '--environment']));
  const projectConfig = await vitestConfigFile(projectDir, at.args);
  const modules = await importedModules(target);
  const file = `canary-${token}.test.mjs`;
  const config = `canary-${token}.config.mjs`;
  const junit = `{reports}/canary-${token}.xml`;
  return {
    command: [...at.prefix, 'run', ...kept, `--config={reports}/${config}`, '--reporter=junit', `--outputFile.junit=${junit}`],
    files: (reports) => ({ [file]: vitestSource(modules, token), [config]: vitestConfig(projectConfig, file, reports) }),
    report: junit,
    parse: (text) => junitCanary(text, junit),
    modules: modules.length,
  };
}

/** Jest's sentinel file (CommonJS: jest runs a file outside the project that way): its own expect. */
export function jestSource(modules: string[], token: string): string {
  return `${HEADER}
const { expect, test } = require('@jest/globals');

for (const path of ${JSON.stringify(modules)}) {
  try {
    require(path);
  } catch {}
}

test('goldloop canary ${token} (expect)', () => {
  expect('${token}').toBe('not ${token}');
});

test('goldloop canary ${token} (equal)', () => {
  expect({ token: '${token}' }).toEqual({ token: 'not ${token}' });
});
`;
}

/** Jest's `--json` results: each test's full name and status. */
export function jestResults(text: string): { total: number; passed: string[] } {
  const json = JSON.parse(text) as { testResults?: { assertionResults?: { fullName?: string; title?: string; status?: string }[] }[] };
  const tests = (json.testResults ?? []).flatMap((f) => f.assertionResults ?? []);
  return { total: tests.length, passed: tests.filter((t) => t.status !== 'failed').map((t) => t.fullName ?? t.title ?? '') };
}

/** Whether the project's jest config picks tests by testRegex (jest refuses testMatch beside it). */
async function usesTestRegex(projectDir: string, args: string[]): Promise<boolean> {
  const named = optionValue(args, CONFIG);
  const names = named ? [named] : ['package.json', ...['js', 'ts', 'mjs', 'cjs', 'json'].map((ext) => `jest.config.${ext}`)];
  for (const name of names) if ((await readText(projectDir, name))?.includes('testRegex')) return true;
  return false;
}

export async function jestCanary(target: CanaryTarget): Promise<CanaryPlan | undefined> {
  const { projectDir, command, token } = target;
  const at = runnerAt(command, 'jest');
  if (!at) return undefined;
  const kept = pickOptions(at.args, new Set(['--config', '-c', '--rootDir', '--env', '--testEnvironment']));
  const modules = await importedModules(target);
  const file = `canary-${token}.test.js`;
  const results = `{reports}/canary-${token}.json`;
  // The project's config, setup files and environment; its roots, test patterns and ignore patterns (which could hide the canary) replaced.
  const pick = (await usesTestRegex(projectDir, at.args)) ? ['--testRegex', `${token}\\.test\\.js$`] : ['--testMatch', `**/${file}`];
  return {
    command: [
      ...at.prefix,
      ...kept,
      '--ci',
      '--roots={reports}',
      ...pick,
      '--testPathIgnorePatterns=/node_modules/',
      '--coverage=false',
      `--testNamePattern=goldloop canary ${token}`,
      '--json',
      `--outputFile=${results}`,
    ],
    files: () => ({ [file]: jestSource(modules, token) }),
    report: results,
    parse: jestResults,
    modules: modules.length,
  };
}
