/**
 * StrykerJS over a Node project's tests, where `@stryker-mutator/core` is installed: through its
 * vitest or jest plugin when the project runs that runner and has the plugin, else through its
 * command runner over the project's own test command, asking for TAP output where the runner has
 * it, so that each killed mutant names the tests that failed on it.
 */
import { STRYKER_CONFIG } from '../../../store/kb/schema.ts';
import type { MutationInput } from './ecosystem.ts';
import { stripOptions } from './node-runners.ts';
import type { ScriptRunner } from './node-scripts.ts';

/** The project's test command for Stryker's command runner, with TAP output where the runner writes it. */
function commandRunnerTests(tokens: string[]): { command: string[]; tap: boolean } {
  const [first, ...args] = tokens;
  if (first === 'node' && tokens.includes('--test')) {
    const reporters = {
      '--test-reporter': 'value',
      '--test-reporter-destination': 'value',
      '--experimental-test-coverage': 'flag',
    } as const;
    return { command: [...stripOptions(tokens, reporters), '--test-reporter=tap'], tap: true };
  }
  if (first === 'mocha') {
    const reporters = { '--reporter': 'value', '-R': 'value', '--reporter-options': 'value', '-O': 'value' } as const;
    return { command: ['npx', '--no', '--', 'mocha', ...stripOptions(args, reporters), '--reporter', 'tap'], tap: true };
  }
  if (first === 'vitest') {
    const rest = args[0] === 'run' || args[0] === 'watch' ? args.slice(1) : args;
    const own = { '--reporter': 'value', '--watch': 'flag', '-w': 'flag', '--coverage': 'flag' } as const;
    return { command: ['npx', '--no', '--', 'vitest', 'run', ...stripOptions(rest, own), '--reporter=tap'], tap: true };
  }
  if (first === 'jest') return { command: ['npx', '--no', '--', 'jest', '--ci', ...stripOptions(args, { '--watch': 'flag' })], tap: false };
  return { command: ['npm', 'test'], tap: false };
}

export function strykerProposal(
  found: ScriptRunner | undefined,
  has: (name: string) => boolean,
): { mutation?: MutationInput; notes: string[] } {
  if (!has('@stryker-mutator/core')) {
    return {
      notes: [
        'mutation: StrykerJS is not installed; add @stryker-mutator/core to devDependencies (with @stryker-mutator/vitest-runner or @stryker-mutator/jest-runner for those runners) and run goldloop init --redetect, so that the "Tests catch faults" line is measured',
      ],
    };
  }
  const runner = found?.tokens[0];
  const base = { command: ['npx', '--no', '--', 'stryker', 'run', STRYKER_CONFIG] };
  for (const name of ['vitest', 'jest'] as const) {
    if (runner !== name && !(found === undefined && has(name))) continue;
    if (has(`@stryker-mutator/${name}-runner`)) {
      return {
        mutation: { ...base, stryker: { test_runner: name } },
        notes: [`mutation: StrykerJS with its ${name} runner: each mutant runs only the tests that reach it, and names those that fail`],
      };
    }
  }
  const tests = commandRunnerTests(found?.tokens ?? []);
  const notes = [
    `mutation: StrykerJS with its command runner over \`${tests.command.join(' ')}\`, run once per mutant${
      tests.tap
        ? ', with TAP output so that each killed mutant names the tests that failed'
        : ': it does not say which tests failed, so requirements are traced by the weaker rule'
    }`,
  ];
  if (runner === 'vitest' || runner === 'jest')
    notes.push(
      `mutation: add @stryker-mutator/${runner}-runner to devDependencies and run goldloop init --redetect: it runs only the tests that reach each mutant`,
    );
  return { mutation: { ...base, stryker: { test_runner: 'command', command: tests.command } }, notes };
}
