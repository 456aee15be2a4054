import { detectSandbox } from '../../electron/platform/sandbox.ts';

/** This machine's sandbox, as the agent runner finds it. */
export const SANDBOX = detectSandbox();

/** True (and says why, once per test file) when no bubblewrap sandbox runs here: a test that needs one skips. */
export function noBubblewrap(file: string): boolean {
  if (SANDBOX.status.kind === 'bubblewrap') return false;
  const why = SANDBOX.status.kind === 'none' ? SANDBOX.status.why : `the sandbox here is ${SANDBOX.status.kind}`;
  process.stdout.write(`${file}: skipping the tests that need bubblewrap: ${why}\n`);
  return true;
}
