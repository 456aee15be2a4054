import { readFileSync } from 'node:fs';
import { chmod, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess, type RunOptions, type RunResult } from '../../electron/platform/process.ts';
import { alive } from '../helpers/project.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
const spawnedPids: number[] = [];

afterEach(async () => {
  // A failing test must not leave its sleepers behind.
  for (const pid of spawnedPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await temps.cleanup();
});

/** Waits (briefly) for every pid to be gone; returns those still alive. */
async function survivors(pids: number[], withinMs = 10_000): Promise<number[]> {
  const until = Date.now() + withinMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs `node -e script` and collects its lines per stream. */
async function node(
  script: string,
  options: Partial<RunOptions> = {},
): Promise<RunResult & { lines: { stdout: string[]; stderr: string[] } }> {
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const cwd = options.cwd ?? (await temps.make('goldloop-proc-'));
  const result = await runProcess([process.execPath, '-e', script], {
    ...options,
    cwd,
    onLine: (line, stream) => {
      lines[stream].push(line);
      options.onLine?.(line, stream);
    },
  });
  return { ...result, lines };
}

// A child that starts a grandchild sleeping for a minute, prints both pids, then sleeps itself.
const TREE = `
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
console.log('pids ' + process.pid + ' ' + g.pid);
setTimeout(() => {}, 60000);
`;

/** Records the pids a TREE script prints, for the assertions and for cleanup. */
function pidCollector(): { pids: number[]; onLine: (line: string) => void } {
  const pids: number[] = [];
  return {
    pids,
    onLine: (line) => {
      if (!line.startsWith('pids ')) return;
      for (const p of line.split(' ').slice(1).map(Number)) {
        pids.push(p);
        spawnedPids.push(p);
      }
    },
  };
}

describe('runProcess: output', () => {
  it('streams stdout and stderr lines, each with its stream', async () => {
    const r = await node(`console.log('out 1'); console.error('err 1'); console.log('out 2');`);
    expect(r.lines.stdout).toEqual(['out 1', 'out 2']);
    expect(r.lines.stderr).toEqual(['err 1']);
  });

  it('removes CRLF line endings', async () => {
    const r = await node(`process.stdout.write('one\\r\\ntwo\\r\\n'); process.stderr.write('three\\r\\n');`);
    expect(r.lines.stdout).toEqual(['one', 'two']);
    expect(r.lines.stderr).toEqual(['three']);
  });

  it('keeps the head and tail of a huge line and says how much was cut between them', async () => {
    // 40 MB with no newline, then one more line: the first arrives as one line of about 16 KB.
    const r = await node(
      `const chunk = 'x'.repeat(1 << 20); process.stdout.write('START'); for (let i = 0; i < 40; i++) process.stdout.write(chunk); process.stdout.write('END\\nnext\\n');`,
    );
    expect(r.lines.stdout).toHaveLength(2);
    const [huge, next] = r.lines.stdout as [string, string];
    expect(huge.startsWith('STARTxxx')).toBe(true);
    expect(huge.endsWith('xxxEND')).toBe(true);
    expect(huge).toMatch(/ … \[\d+ characters cut\] … /);
    expect(Number(/\[(\d+) characters cut\]/.exec(huge)![1]) + 12_288 + 4_096).toBe(40 * (1 << 20) + 'STARTEND'.length);
    expect(huge.length).toBeLessThan(17_000);
    expect(next).toBe('next');
  });

  it('flushes a last line that has no newline', async () => {
    const r = await node(`process.stdout.write('first\\nno newline at the end');`);
    expect(r.lines.stdout).toEqual(['first', 'no newline at the end']);
  });

  it('joins a line written in two pieces', async () => {
    const r = await node(`process.stdout.write('hal'); setTimeout(() => process.stdout.write('f\\nnext\\n'), 100);`);
    expect(r.lines.stdout).toEqual(['half', 'next']);
  });

  it('keeps empty lines', async () => {
    const r = await node(`process.stdout.write('a\\n\\nb\\n');`);
    expect(r.lines.stdout).toEqual(['a', '', 'b']);
  });

  it('keeps the last lines of each stream in the result', async () => {
    const r = await node(`for (let i = 1; i <= 10; i++) console.log('line ' + i); console.error('oops');`, { tailLines: 3 });
    expect(r.stdoutTail).toEqual(['line 8', 'line 9', 'line 10']);
    expect(r.stderrTail).toEqual(['oops']);
  });
});

describe('runProcess: input, environment, exit', () => {
  it('delivers stdin and closes it', async () => {
    const r = await node(`let d = ''; process.stdin.on('data', (c) => (d += c)).on('end', () => console.log(JSON.stringify(d)));`, {
      stdin: 'the prompt\nsecond line',
    });
    expect(r.lines.stdout).toEqual([JSON.stringify('the prompt\nsecond line')]);
  });

  it('delivers a large stdin in full', async () => {
    const big = 'x'.repeat(300_000);
    const r = await node(`let n = 0; process.stdin.on('data', (c) => (n += c.length)).on('end', () => console.log(n));`, { stdin: big });
    expect(r.lines.stdout).toEqual(['300000']);
  });

  it('closes stdin at once when there is none to give', async () => {
    const r = await node(`let d = ''; process.stdin.on('data', (c) => (d += c)).on('end', () => console.log('eof ' + d.length));`, {
      timeoutMs: 10_000,
    });
    expect(r.lines.stdout).toEqual(['eof 0']);
    expect(r.killedBy).toBeUndefined();
  });

  it('reports the exit of a program that does not read its stdin', async () => {
    const r = await node(`process.exit(3);`, { stdin: 'y'.repeat(2_000_000) });
    expect(r.exitCode).toBe(3);
  });

  it('adds env to the current environment', async () => {
    const r = await node(
      `console.log(process.env.GOLDLOOP_TEST_VALUE); console.log(process.env.PATH === ${JSON.stringify(process.env.PATH)});`,
      {
        env: { GOLDLOOP_TEST_VALUE: 'given' },
      },
    );
    expect(r.lines.stdout).toEqual(['given', 'true']);
  });

  it('runs in the given folder', async () => {
    const dir = await temps.make('goldloop-cwd-');
    const r = await node(`console.log(process.cwd());`, { cwd: dir });
    expect(r.lines.stdout).toEqual([await realpath(dir)]);
  });

  it('reports the exit code', async () => {
    const r = await node(`process.exit(7);`);
    expect(r).toMatchObject({ exitCode: 7, signal: null });
    expect(r.killedBy).toBeUndefined();
    expect(r.spawnError).toBeUndefined();
  });

  it('reports exit 0 and the argv it ran', async () => {
    const r = await node(`console.log('ok');`);
    expect(r.exitCode).toBe(0);
    expect(r.argv).toEqual([process.execPath, '-e', `console.log('ok');`]);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a signal that ended the program by itself, without claiming it', async () => {
    const r = await node(`process.kill(process.pid, 'SIGKILL');`);
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(r.killedBy).toBeUndefined();
  });

  it('rejects an empty argv', async () => {
    await expect(runProcess([], { cwd: '.' })).rejects.toThrow('empty argv');
  });
});

describe('runProcess: programs that cannot start', () => {
  it('says "command not found" for a program that is not installed', async () => {
    const cwd = await temps.make();
    const r = await runProcess(['goldloop-no-such-program-7f3a', '--version'], { cwd });
    expect(r.spawnError).toBe('command not found: goldloop-no-such-program-7f3a (is it installed and on PATH?)');
    expect(r.exitCode).toBeNull();
  });

  it('says "not executable" for a file without the execute permission', async () => {
    const cwd = await temps.make();
    const file = join(cwd, 'tool.sh');
    await writeFile(file, '#!/bin/sh\necho hi\n');
    await chmod(file, 0o644);
    const r = await runProcess([file], { cwd });
    expect(r.spawnError).toBe(`not executable: ${file}`);
  });
});

describe('runProcess: ending the process tree', () => {
  it('kills the whole tree when the wall-clock timeout passes', async () => {
    const tree = pidCollector();
    const r = await node(TREE, { timeoutMs: 1200, onLine: tree.onLine });
    expect(r.killedBy).toBe('timeout');
    expect(tree.pids).toHaveLength(2);
    expect(await survivors(tree.pids)).toEqual([]);
  });

  it('reports a timeout as a signal, not an exit code', async () => {
    const r = await node(`setTimeout(() => {}, 60000);`, { timeoutMs: 500 });
    expect(r).toMatchObject({ killedBy: 'timeout', exitCode: null, signal: 'SIGTERM' });
    expect(r.durationMs).toBeGreaterThanOrEqual(450);
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('ends the whole tree on abort and says so', async () => {
    const tree = pidCollector();
    const controller = new AbortController();
    const r = await node(TREE, {
      signal: controller.signal,
      onLine: (line) => {
        tree.onLine(line);
        if (line.startsWith('pids ')) controller.abort();
      },
    });
    expect(r.killedBy).toBe('abort');
    expect(tree.pids).toHaveLength(2);
    expect(await survivors(tree.pids)).toEqual([]);
  });

  it('does not start a program when the signal is already aborted', async () => {
    const dir = await temps.make();
    const marker = join(dir, 'ran');
    const r = await runProcess([process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], {
      cwd: dir,
      signal: AbortSignal.abort(),
    });
    expect(r).toMatchObject({ killedBy: 'abort', exitCode: null });
    await new Promise((res) => setTimeout(res, 300));
    expect(() => readFileSync(marker)).toThrow();
  });

  it('sends SIGKILL after the grace period to a program that ignores SIGTERM', async () => {
    const controller = new AbortController();
    const r = await node(
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000);`,
      {
        signal: controller.signal,
        killGraceMs: 300,
        onLine: (line) => {
          if (line === 'ready') controller.abort();
        },
      },
    );
    expect(r).toMatchObject({ killedBy: 'abort', signal: 'SIGKILL' });
    expect(r.lines.stdout).toContain('ignoring SIGTERM');
  });

  it('fires the idle timeout when there is no output', async () => {
    const r = await node(`console.log('one line, then silence'); setTimeout(() => {}, 60000);`, { idleTimeoutMs: 500 });
    expect(r.killedBy).toBe('idle');
    expect(r.lines.stdout).toEqual(['one line, then silence']);
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it("allows the program's start-up before its first line on top of the no-output limit", async () => {
    // A second of silence before the first line: within the start-up allowance, not a hang.
    const r = await node(`setTimeout(() => console.log('ready'), 1000);`, { idleTimeoutMs: 300 });
    expect(r.killedBy).toBeUndefined();
    expect(r.lines.stdout).toEqual(['ready']);
    const strict = await node(`setTimeout(() => console.log('ready'), 5000);`, { idleTimeoutMs: 300, idleStartupMs: 0 });
    expect(strict.killedBy).toBe('idle');
  });

  it('does not fire the idle timeout while output keeps coming', async () => {
    // Runs twice as long as the idle limit, printing every 200 ms (a busy machine may stall it a
    // second or two without reaching the limit).
    const r = await node(`let n = 0; const t = setInterval(() => { console.log('tick ' + ++n); if (n === 30) clearInterval(t); }, 200);`, {
      idleTimeoutMs: 3000,
    });
    expect(r.killedBy).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.lines.stdout).toHaveLength(30);
  });

  it('counts stderr output as activity for the idle timeout', async () => {
    const r = await node(
      `let n = 0; const t = setInterval(() => { console.error('warn ' + ++n); if (n === 25) clearInterval(t); }, 200);`,
      {
        idleTimeoutMs: 2500,
      },
    );
    expect(r.killedBy).toBeUndefined();
    expect(r.lines.stderr).toHaveLength(25);
  });

  it('moves on when the leader exits, even while a grandchild that left its session still holds the output open', async () => {
    const tree = pidCollector();
    const r = await node(
      `const { spawn } = require('node:child_process');
       const g = spawn('setsid', [process.execPath, '-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
       g.unref();
       console.log('pids ' + g.pid);`,
      { onLine: tree.onLine },
    );
    expect(tree.pids).toHaveLength(1);
    expect(r.exitCode).toBe(0);
    // The grandchild would hold the pipe for a minute: the run ends long before.
    expect(r.durationMs).toBeLessThan(30_000);
  });

  it('kills what the leader left running in its group when it exits normally', async () => {
    const tree = pidCollector();
    const r = await node(
      `const { spawn } = require('node:child_process');
       const g = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
       g.unref();
       console.log('pids ' + g.pid);`,
      { onLine: tree.onLine },
    );
    expect(r.exitCode).toBe(0);
    expect(r.killedBy).toBeUndefined();
    expect(tree.pids).toHaveLength(1);
    expect(await survivors(tree.pids)).toEqual([]);
  });

  it('returns when the leader exits even though a grandchild holds its output pipes', async () => {
    const tree = pidCollector();
    const r = await node(
      `const { spawn } = require('node:child_process');
       const g = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' });
       g.unref();
       console.log('pids ' + g.pid);`,
      { onLine: tree.onLine, timeoutMs: 30_000 },
    );
    expect(r.exitCode).toBe(0);
    expect(r.durationMs).toBeLessThan(10_000);
    expect(await survivors(tree.pids)).toEqual([]);
  });
});
