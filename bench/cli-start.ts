// How fast the goldloop command starts, against starting Node itself, measured in turns:
//  1. `goldloop --help` (target: within 1.5x the wall time of `node -e 0`);
//  2. `goldloop status <demo project>` (target: within 2.5x), and its peak RSS (target < 70 MiB;
//     Linux, through python3's getrusage of the finished child).
// The command runs from its bundle (out/cli/, built by `npm ci`), as an installed one does.
// Run alone with `node bin/tsx.js bench/cli-start.ts`; `npm run bench` runs it at its end.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoProject } from '../electron/engine/demo/project.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'goldloop.js');
const ROUNDS = 15;
const rows: { name: string; value: string; target: string; ok: boolean }[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of one run, in ms; throws when it fails. */
function timed(argv: string[]): number {
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const took = performance.now() - started;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return took;
}

/** Peak RSS (MiB) of the finished child, from getrusage; undefined where python3 is missing. */
function peakRss(argv: string[]): number | undefined {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/python3')) return undefined;
  const script =
    'import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...argv], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) / 1024 : undefined;
}

if (!existsSync(join(ROOT, 'out', 'cli', 'main.mjs')))
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
const dir = await mkdtemp(join(tmpdir(), 'goldloop-bench-cli-'));
try {
  await createDemoProject(dir);
  const commands = {
    node: [process.execPath, '-e', '0'],
    help: [process.execPath, BIN, '--help'],
    status: [process.execPath, BIN, 'status', dir],
  };
  const times: Record<keyof typeof commands, number[]> = { node: [], help: [], status: [] };
  for (const argv of Object.values(commands)) timed(argv); // Warm the file cache.
  for (let i = 0; i < ROUNDS; i++) {
    const order = (i % 2 ? ['status', 'help', 'node'] : ['node', 'help', 'status']) as (keyof typeof commands)[];
    for (const name of order) times[name].push(timed(commands[name]));
  }
  const node = median(times.node);
  const help = median(times.help);
  const status = median(times.status);
  rows.push({ name: `node -e 0 (median of ${ROUNDS}, in turns)`, value: `${node.toFixed(0)} ms`, target: '(yardstick)', ok: true });
  rows.push({ name: 'goldloop --help', value: `${help.toFixed(0)} ms`, target: '', ok: true });
  rows.push({ name: 'goldloop --help / node -e 0', value: (help / node).toFixed(2), target: '<= 1.5', ok: help / node <= 1.5 });
  rows.push({ name: 'goldloop status <demo>', value: `${status.toFixed(0)} ms`, target: '', ok: true });
  rows.push({ name: 'goldloop status / node -e 0', value: (status / node).toFixed(2), target: '<= 2.5', ok: status / node <= 2.5 });
  const rss = peakRss(commands.status);
  rows.push(
    rss === undefined
      ? { name: 'goldloop status peak RSS: not measured here (Linux with python3 only)', value: '—', target: '< 70 MiB', ok: false }
      : { name: 'goldloop status peak RSS', value: `${rss.toFixed(1)} MiB`, target: '< 70 MiB', ok: rss < 70 },
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r.name.length));
console.log('\nCLI start-up\n');
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${r.value.padStart(10)}  ${r.target.padEnd(16)} ${r.target.startsWith('(') || !r.target ? '' : r.ok ? 'met' : 'MISSED'}`,
  );
