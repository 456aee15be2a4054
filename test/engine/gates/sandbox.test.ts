// The sandbox of a gate command, on Linux with bubblewrap: what the project's own commands (which
// run the agent's code) can reach. Real bubblewrap, real programs; skipped where none runs.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gateArgv } from '../../../electron/engine/gates/sandbox.ts';
import { stateDir } from '../../../electron/platform/app-dirs.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { noBubblewrap } from '../../helpers/sandbox.ts';
import { TempDirs, VISIBLE_TEMP } from '../../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());
const NO_BWRAP = noBubblewrap('engine/gates/sandbox.test.ts');

/** What a shell script sees in the gate sandbox: one line per probe, `yes` or `no`. */
const PROBE = `
for p in "$@"; do
  case "$p" in
    read:*) if cat "\${p#read:}" >/dev/null 2>&1; then echo "$p yes"; else echo "$p no"; fi ;;
    write:*) if (echo x > "\${p#write:}") 2>/dev/null; then echo "$p yes"; else echo "$p no"; fi ;;
  esac
done`;

async function setting(agentSandbox?: 'off') {
  const project = await temps.make('goldloop-gate-sandbox-');
  const holdout = await temps.make('goldloop-gate-holdout-', VISIBLE_TEMP);
  const reports = await temps.make('goldloop-reports-');
  await writeFile(join(holdout, 'held.test.js'), '// held out\n');
  await mkdir(stateDir(), { recursive: true });
  await writeFile(join(stateDir(), 'kept.json'), '{}\n');
  const kb = KbSchema.parse({
    gates: { holdout: { dir: holdout, command: ['true'] } },
    ...(agentSandbox ? { agent: { type: 'command', command: ['true'], sandbox: agentSandbox } } : {}),
  });
  return { ctx: { projectDir: project, kb, label: 'sandbox-test' }, project, holdout, reports };
}

function probe(argv: string[]): string[] {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.trim().split('\n');
}

describe('a gate command in the sandbox', () => {
  it.skipIf(NO_BWRAP)("writes the project, its reports and home, and neither sees Goldloop's state nor the held-out tests", async () => {
    const { ctx, project, holdout, reports } = await setting();
    const home = join(homedir(), `.goldloop-gate-test-${process.pid}`);
    const probes = [
      `write:${join(project, 'coverage.out')}`,
      `write:${join(reports, 'junit.xml')}`,
      `write:${home}`,
      `read:${join(stateDir(), 'kept.json')}`,
      `write:${join(stateDir(), 'forged.json')}`,
      `read:${join(holdout, 'held.test.js')}`,
      `write:${join(project, '.goldloop', 'state.json')}`,
    ];
    const boxed = await gateArgv(ctx, ['sh', '-c', PROBE, 'sh', ...probes], { reports });
    try {
      expect(probe(boxed.argv)).toEqual([
        `${probes[0]} yes`,
        `${probes[1]} yes`,
        `${probes[2]} yes`,
        `${probes[3]} no`,
        `${probes[4]} no`,
        `${probes[5]} no`,
        `${probes[6]} no`,
      ]);
    } finally {
      spawnSync('rm', ['-f', home]);
    }
  });

  it.skipIf(NO_BWRAP)('shows the held-out tests to their own gate, read-only', async () => {
    const { ctx, holdout, reports } = await setting();
    const probes = [`read:${join(holdout, 'held.test.js')}`, `write:${join(holdout, 'held.test.js')}`];
    const boxed = await gateArgv(ctx, ['sh', '-c', PROBE, 'sh', ...probes], { reports, shown: [holdout] });
    expect(probe(boxed.argv)).toEqual([`${probes[0]} yes`, `${probes[1]} no`]);
  });

  it.skipIf(NO_BWRAP)('starts a background gate at its lower priority, in its caller’s session', async () => {
    const { ctx, reports } = await setting();
    const boxed = await gateArgv(ctx, ['nice'], { reports, niceness: 10 });
    expect(boxed.nicesItself).toBe(true);
    // Its session's autogroup carries the priority the gate phase sets, and sets back (schedule.test.ts).
    expect(boxed.argv).not.toContain('--new-session');
    expect(probe(boxed.argv)).toEqual(['10']);
  });

  it('leaves alone a program that cannot start (the gate names what to install), and any command where the KB turns the sandbox off', async () => {
    const { ctx, reports } = await setting();
    expect((await gateArgv(ctx, ['no-such-program-goldloop', '--x'], { reports })).argv).toEqual(['no-such-program-goldloop', '--x']);
    const off = await setting('off');
    expect((await gateArgv(off.ctx, ['sh', '-c', 'true'], { reports })).argv).toEqual(['sh', '-c', 'true']);
  });
});
