#!/usr/bin/env node
// `npm test`: type-check, lint, formatting, the layer rules, then every test runner, ending with
// one plain line `N passed, N failed, N skipped` totalled over all of them (CI reads that line).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

function step(name, command, args) {
  process.stdout.write(`\n== ${name}: ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failedSteps.push(name);
  return result.status === 0;
}

/**
 * The checks, as many at once as there are cores (each is one busy process): each one's output is
 * printed whole once it ends, in the order listed, with its time.
 */
async function checks(list) {
  const outcomes = list.map(() => undefined);
  let next = 0;
  const printed = { upTo: 0 };
  const print = () => {
    for (; printed.upTo < list.length && outcomes[printed.upTo]; printed.upTo++) {
      const [name, command, args] = list[printed.upTo];
      const { status, output, seconds } = outcomes[printed.upTo];
      process.stdout.write(`\n== ${name}: ${[command, ...args].join(' ')} (${seconds.toFixed(1)} s)\n${output}`);
      if (status !== 0) failedSteps.push(name);
    }
  };
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      const [, command, args] = list[i];
      const started = performance.now();
      const child = spawn(command, args, {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const status = await new Promise((resolve) => {
        child.once('error', (error) => ((output += `${error.message}\n`), resolve(1)));
        child.once('close', (code) => resolve(code ?? 1));
      });
      outcomes[i] = { status, output, seconds: (performance.now() - started) / 1000 };
      print();
    }
  };
  await Promise.all(Array.from({ length: Math.min(list.length, Math.max(1, availableParallelism())) }, worker));
}

await checks([
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['lint', bin('eslint'), ['.']],
  ['format', bin('prettier'), ['--check', '--log-level=warn', '.']],
  // The layers of docs/architecture.md, as .dependency-cruiser.cjs states them: a violation prints the rule and the import.
  ['structure', bin('depcruise'), ['electron', 'renderer/src', '--config', '.dependency-cruiser.cjs']],
  ['svelte-check', bin('svelte-check'), ['--workspace', 'renderer', '--tsconfig', './tsconfig.json', '--fail-on-warnings']],
]);

const results = join(root, '.vitest-results.json');
rmSync(results, { force: true });
step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`]);
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  totals.passed += r.numPassedTests;
  // A test file that failed outside its tests (an import error, a failing beforeAll) counts as one
  // failure: its tests never reach numFailedTests (they are missing, or reported as skipped), and the
  // line would read green without them.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'));
  for (const f of brokenFiles) process.stdout.write(`failed to run: ${relative(root, f.name)}: ${f.message.split('\n')[0]}\n`);
  totals.failed += r.numFailedTests + brokenFiles.length;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  if (r.numTotalTests === 0) failedSteps.push('vitest ran no tests');
} else {
  failedSteps.push('vitest wrote no results');
}

// Typecheck, lint, format, structure or svelte-check failures count as one failure each, so the summary line cannot read green.
const CHECKS = ['typecheck', 'lint', 'format', 'structure', 'svelte-check'];
const stepFailures = failedSteps.filter((s) => CHECKS.includes(s)).length;
if (failedSteps.length) process.stdout.write(`\nFailed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed + stepFailures} failed, ${totals.skipped} skipped\n`);
process.exit(failedSteps.length ? 1 : 0);
