// The processes one Goldloop gate phase started, recorded as it ran them (program, arguments,
// folder, environment, when each started and ended), and the same processes started again by a
// plain shell on the same schedule: each one once every process that had ended before it started
// (in the recording) has ended. What the phase takes over what the shell takes is Goldloop's own
// cost: starting the processes, reading their reports, the evidence it writes, and its scheduling.
import { ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine } from '../electron/cli/render.ts';

export interface Spawned {
  file: string;
  args: string[];
  cwd?: string;
  env: string[];
  start: number;
  end?: number;
}

/** What Node's ChildProcess.prototype.spawn is given: `args` starts with argv[0]. */
interface SpawnOptions {
  file: string;
  args?: string[];
  cwd?: string;
  envPairs?: string[];
}

type SpawnMethod = (this: ChildProcess, options: SpawnOptions) => unknown;

/** Records every child process this process starts with `spawn` until the returned function is called. */
export function recordSpawns(): () => Spawned[] {
  const proto = ChildProcess.prototype as unknown as { spawn: SpawnMethod };
  const original = proto.spawn;
  const seen: Spawned[] = [];
  proto.spawn = function (this: ChildProcess, options: SpawnOptions) {
    const record: Spawned = {
      file: options.file,
      args: (options.args ?? []).slice(1),
      ...(options.cwd ? { cwd: String(options.cwd) } : {}),
      env: options.envPairs ?? [],
      start: performance.now(),
    };
    seen.push(record);
    this.once('exit', () => (record.end = performance.now()));
    return original.call(this, options);
  };
  return () => {
    proto.spawn = original;
    return seen;
  };
}

/**
 * A shell script that starts the recorded processes again, in the order they started: before each,
 * it waits for every one that had ended before that one started. Output goes to /dev/null; the
 * temporary folders the processes were given are made first and removed at the end.
 */
export function replayScript(spawned: readonly Spawned[]): string {
  const ran = [...spawned].filter((s) => s.end !== undefined).sort((a, b) => a.start - b.start);
  // The folders Goldloop made for the processes' reports were removed once it read them: made again here,
  // and only those (a sandbox's argv names the project's folder too, which must be left alone).
  const made = new RegExp(`${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/goldloop-[\\w-]+`, 'g');
  const named = ran.flatMap((s) => [...s.args, ...s.env].flatMap((a) => a.match(made) ?? []));
  const folders = [...new Set(named)].filter((f) => !existsSync(f));
  const lines = ['#!/bin/sh', ...folders.map((f) => `mkdir -p ${commandLine([f])}`)];
  const waited = new Set<number>();
  ran.forEach((s, i) => {
    const before = ran.flatMap((o, j) => (j < i && !waited.has(j) && o.end! <= s.start ? [j] : []));
    if (before.length) lines.push(`wait ${before.map((j) => `$p${j}`).join(' ')}`);
    before.forEach((j) => waited.add(j));
    const run = `env -i ${commandLine(s.env)} ${commandLine([s.file, ...s.args])} </dev/null >/dev/null 2>&1`;
    lines.push(`(cd ${commandLine([s.cwd ?? process.cwd()])} && exec ${run}) &`, `p${i}=$!`);
  });
  lines.push('wait', ...folders.map((f) => `rm -rf ${commandLine([f])}`));
  return `${lines.join('\n')}\n`;
}

/** Runs a replay script with `sh`; resolves with its wall time in ms. */
export function replay(script: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'goldloop-bench-replay-'));
  try {
    const file = join(dir, 'replay.sh');
    writeFileSync(file, script);
    const started = performance.now();
    spawnSync('sh', [file], { stdio: 'ignore' });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
