import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageFile } from '../../platform/package-root.ts';
import { initRepository, commitAll } from '../../platform/git.ts';
import { KbSchema, STRYKER_CONFIG, type KbInput, type Priority, TaskSchema } from '../../store/kb/schema.ts';
import type { z } from 'zod';

type TaskInput = z.input<typeof TaskSchema>;
import { saveKb } from '../../store/kb/kb-file.ts';

/** The bundled scripted agent the demo runs (plain JavaScript, so `node` runs it as it is). */
export const DEMO_AGENT = packageFile('electron', 'engine', 'demo', 'scripted-agent.mjs');

const STUB = (name: string, params: string): string => `export function ${name}(${params}) {\n  throw new Error('not implemented');\n}\n`;

const SOURCE = [
  "// textkit: small text helpers. Goldloop's demo agent implements them one task per cycle.",
  '',
  STUB('slugify', 'text'),
  STUB('wordCount', 'text'),
  STUB('truncate', 'text, max'),
  STUB('capitalizeWords', 'text'),
  STUB('reverseWords', 'text'),
  STUB('isPalindrome', 'text'),
].join('\n');

const TESTS = `import test from 'node:test';
import assert from 'node:assert/strict';
import { slugify, wordCount, truncate, capitalizeWords, reverseWords, isPalindrome } from '../src/textkit.js';

test('REQ-001 slugify turns a title into a URL slug', () => {
  assert.equal(slugify('  Hello, Wörld! 2026 '), 'hello-world-2026');
});

test('REQ-002 wordCount counts words separated by any whitespace', () => {
  assert.equal(wordCount(' one two\\tthree\\nfour '), 4);
  assert.equal(wordCount(''), 0);
});

test('REQ-003 truncate shortens at a word boundary with an ellipsis', () => {
  assert.equal(truncate('the quick brown fox', 12), 'the quick…');
  assert.equal(truncate('short', 10), 'short');
});

test('REQ-004 capitalizeWords capitalises every word', () => {
  assert.equal(capitalizeWords('hello wIDE world'), 'Hello Wide World');
  assert.equal(capitalizeWords('élan über-cool'), 'Élan Über-Cool');
});

test('REQ-005 reverseWords reverses the order of words', () => {
  assert.equal(reverseWords('  a b  c '), 'c b a');
});

test('REQ-006 isPalindrome ignores case, accents and punctuation', () => {
  assert.equal(isPalindrome('A man, a plan, a canal: Panamá'), true);
  assert.equal(isPalindrome('textkit'), false);
});
`;

const README = `# textkit

Small text helpers, the demo project of Goldloop.

- \`slugify(text)\`: a URL slug.
- \`wordCount(text)\`: the number of words.
- \`truncate(text, max)\`: at most \`max\` characters, cut at a word boundary.
- \`capitalizeWords(text)\`: every word capitalised.
- \`reverseWords(text)\`: the words in reverse order.
- \`isPalindrome(text)\`: TODO document it once it exists.

Run the tests with \`npm test\`.
`;

const BENCH = `// Prints one JSON line of metrics; Goldloop's performance gate compares it with its thresholds.
import { slugify, wordCount } from '../src/textkit.js';

const title = 'The Quick, Brown Fox Jumps over the Lazy Dog — 2026 Edition';
const rounds = 20000;
let started = performance.now();
for (let i = 0; i < rounds; i++) slugify(title);
const slugifyMs = performance.now() - started;
started = performance.now();
for (let i = 0; i < rounds; i++) wordCount(title);
const wordCountMs = performance.now() - started;
console.log(JSON.stringify({ slugify_us_per_call: (slugifyMs * 1000) / rounds, word_count_us_per_call: (wordCountMs * 1000) / rounds }));
`;

const task = (id: string, description: string, priority: Priority, phase: number, reqs: string[], deps: string[] = []): TaskInput => ({
  task_id: id,
  description,
  priority,
  phase,
  estimated_time: '15 minutes',
  dependencies: deps,
  status: deps.length ? ('blocked' as const) : ('ready' as const),
  requirements: reqs,
  acceptance: `the tests named ${reqs.join(', ')} pass`,
  verify: [process.execPath, '--test', `--test-name-pattern=${reqs.join('|')}`, 'test/textkit.test.js'],
});

/** The demo's gate: one run of node's test runner writes JUnit and lcov coverage into Goldloop's report folder. */
export const DEMO_TEST_COMMAND = [
  process.execPath,
  '--test',
  '--experimental-test-coverage',
  '--test-reporter=junit',
  '--test-reporter-destination={reports}/junit.xml',
  '--test-reporter=lcov',
  '--test-reporter-destination={reports}/lcov.info',
  '--test-reporter=dot',
  '--test-reporter-destination=stdout',
  'test/textkit.test.js',
];

/** Goldloop's own StrykerJS, which the demo's mutation gate runs (the demo has no node_modules of its own). */
function strykerBin(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
  } catch {
    return undefined;
  }
}

/**
 * The demo's mutation gate: Stryker's command runner over the test file run directly by node (one
 * process per mutant instead of the test runner's two), with TAP output naming the tests that fail.
 */
function demoMutationGate(on: boolean): NonNullable<NonNullable<KbInput['gates']>['mutation']> {
  const bin = strykerBin();
  return {
    // Where Goldloop was installed without StrykerJS the gate is switched off, visibly, rather than faked.
    ...(bin && on ? {} : { enabled: false }),
    command: bin ? [process.execPath, bin, 'run', STRYKER_CONFIG] : ['stryker', 'run', STRYKER_CONFIG],
    timeout_minutes: 10,
    stryker: {
      test_runner: 'command',
      command: [process.execPath, '--test-reporter=tap', 'test/textkit.test.js'],
      mutate: ['src/**/*.js'],
    },
  };
}

/** The demo's security scanner, shipped with Goldloop: ESLint's rule set and its SARIF formatter. */
export const DEMO_SECURITY_CONFIG = packageFile('electron', 'engine', 'demo', 'security', 'eslint.config.mjs');
export const DEMO_SECURITY_FORMATTER = packageFile('electron', 'engine', 'demo', 'security', 'sarif-formatter.mjs');

/**
 * Goldloop's own ESLint, when the plugin the rule set loads resolves from beside it too (the demo
 * has no node_modules of its own). Undefined in an install without them (the desktop app ships no
 * dev dependencies).
 */
export function eslintBin(): string | undefined {
  try {
    createRequire(DEMO_SECURITY_CONFIG).resolve('eslint-plugin-security');
    return join(dirname(createRequire(import.meta.url).resolve('eslint/package.json')), 'bin', 'eslint.js');
  } catch {
    return undefined;
  }
}

/** Why the demo's security line is waived, or undefined when it measures. */
export const demoSecurityNote = (): string | undefined =>
  eslintBin()
    ? undefined
    : "ESLint or eslint-plugin-security is not installed with this Goldloop, so the demo's security scan is switched off (its line shows as waived)";

/**
 * The demo's security gate: ESLint with eslint-plugin-security over the whole project, offline,
 * reported as SARIF. The rule set comes from Goldloop (--config), not from the project, and no
 * comment in the code can switch a rule off (--no-inline-config).
 */
export function demoSecurityGate(bin: string | undefined): NonNullable<NonNullable<KbInput['gates']>['security']> {
  const report = { format: 'sarif' as const, path: '{reports}/eslint.sarif' };
  if (!bin) return { enabled: false, command: ['npm', 'audit', '--json'], report: { format: 'npm-audit', path: 'stdout' } };
  return {
    command: [
      process.execPath,
      bin,
      '--config',
      DEMO_SECURITY_CONFIG,
      '--no-inline-config',
      '--format',
      DEMO_SECURITY_FORMATTER,
      '--output-file',
      report.path,
      '.',
    ],
    timeout_minutes: 2,
    report,
    fail_on: 'high',
  };
}

export interface DemoOptions {
  /** The mutation gate measures (default); false switches it off, as tests of other behaviour do: a Stryker run costs seconds. */
  mutation?: boolean;
  /** The canary runs in every gate phase (default); false switches it off, as the tests of what it catches do to show the run without it. */
  canary?: boolean;
}

export function demoKb(options: DemoOptions = {}): KbInput {
  return {
    project: { name: 'textkit (Goldloop demo)' },
    autonomous_operation: {
      work_cycle: { duration_minutes: 2, break_between_cycles_minutes: 0, max_cycles_per_hour: 60 },
    },
    task_queue: {
      high_priority: [
        task('TASK_001', 'Implement slugify()', 'P0', 1, ['REQ-001']),
        task('TASK_002', 'Implement wordCount()', 'P0', 1, ['REQ-002']),
      ],
      medium_priority: [
        task('TASK_003', 'Implement truncate() on word boundaries', 'P1', 2, ['REQ-003'], ['TASK_001']),
        task('TASK_004', 'Implement capitalizeWords()', 'P1', 2, ['REQ-004']),
        task('TASK_005', 'Implement reverseWords()', 'P1', 3, ['REQ-005'], ['TASK_002']),
      ],
      low_priority: [task('TASK_006', 'Implement isPalindrome() on top of slugify()', 'P2', 4, ['REQ-006'], ['TASK_003'])],
    },
    requirements: [
      { id: 'REQ-001', text: 'slugify turns a title into a URL slug', source: 'README.md' },
      { id: 'REQ-002', text: 'wordCount counts words separated by any whitespace', source: 'README.md' },
      { id: 'REQ-003', text: 'truncate shortens at a word boundary with an ellipsis', source: 'README.md' },
      { id: 'REQ-004', text: 'capitalizeWords capitalises every word', source: 'README.md' },
      { id: 'REQ-005', text: 'reverseWords reverses the order of words', source: 'README.md' },
      { id: 'REQ-006', text: 'isPalindrome ignores case, accents and punctuation', source: 'README.md' },
    ],
    gates: {
      tests: {
        command: DEMO_TEST_COMMAND,
        timeout_minutes: 2,
        junit_report: '{reports}/junit.xml',
        coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
      },
      mutation: demoMutationGate(options.mutation !== false),
      ...(options.canary === false ? { canary: { enabled: false } } : {}),
      security: demoSecurityGate(eslintBin()),
      performance: {
        command: [process.execPath, 'bench/bench.js'],
        timeout_minutes: 1,
        thresholds: { slugify_us_per_call: { max: 50 }, word_count_us_per_call: { max: 50 } },
      },
      docs: { files: ['README.md'] },
      build: { command: [process.execPath, '--input-type=module', '-e', "await import('./src/textkit.js')"], timeout_minutes: 1 },
    },
    agent: { type: 'command', command: [process.execPath, DEMO_AGENT] },
  };
}

/** The demo's folder cannot take it: the CLI prints the message, with no stack trace. */
export class DemoError extends Error {
  override name = 'DemoError';
}

/**
 * Why the demo cannot be written into `dir`, or undefined: it writes its own README, package.json,
 * sources and KB there, so only a new or empty folder takes it (`goldloop demo --dir` pointed at a
 * real project would have overwritten that project's files).
 */
async function demoFolderProblem(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return `${dir} is a file (or lies under one), not a folder: give a new or empty folder for the demo`;
    throw error;
  }
  if (names.length === 0) return undefined;
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
  return `${dir} is not empty (it holds ${shown}): the demo writes its own files there and would overwrite them; give a new or empty folder, or leave out --dir for a temp folder`;
}

/**
 * Writes the demo project — a git repository with six failing tests, one requirement per test, a
 * benchmark, a README with an unfinished entry, and a four-phase plan in its KB — into `dir`, a
 * new or empty folder (anything else is refused with a DemoError, and nothing is written).
 */
export async function createDemoProject(dir: string, options: DemoOptions = {}): Promise<void> {
  const problem = await demoFolderProblem(dir);
  if (problem) throw new DemoError(problem);
  await mkdir(join(dir, 'src'), { recursive: true });
  await mkdir(join(dir, 'test'), { recursive: true });
  await mkdir(join(dir, 'bench'), { recursive: true });
  await writeFile(join(dir, 'bench', 'bench.js'), BENCH);
  await writeFile(join(dir, 'src', 'textkit.js'), SOURCE);
  await writeFile(join(dir, 'test', 'textkit.test.js'), TESTS);
  await writeFile(join(dir, 'README.md'), README);
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'textkit', version: '0.0.0', private: true, type: 'module', scripts: { test: 'node --test test/' } }, null, 2)}\n`,
  );
  await writeFile(join(dir, '.gitignore'), 'node_modules/\n');
  await saveKb(dir, KbSchema.parse(demoKb(options)));
  await initRepository(dir);
  await commitAll(dir, 'textkit: failing tests for six requirements, and the plan');
}
