/**
 * The process the user starts with `goldloop run` (see run-stage.ts): it takes the project's lock,
 * starts the engine process, forwards Ctrl-C and SIGTERM to it, and when the engine hands over a
 * long wait, waits it out holding nothing but this file's code, then starts the engine again,
 * which resumes the run where it left it. It ends with the engine's exit code.
 *
 * It loads no engine code: no KB schema, no gates, no agents.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { processIdentity } from '../platform/child-record.ts';
import { acquireLock } from '../store/lock.ts';
import { whenOutputCloses } from './closed-output.ts';
import { EXIT } from './exit.ts';
import { isHandOff, STAGE_ENV, type RunStage } from './run-stage.ts';

/** An engine that handed over its wait has this long to exit before it is ended. */
const EXIT_GRACE_MS = 30_000;

interface EngineEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  handOffUntil?: number;
  /** Lines of the live view the engine left on screen. */
  frame?: number;
}

/** Starts the engine process for one stretch of the run and resolves when it has exited. */
function startEngine(stage: RunStage, started: (child: ChildProcess) => void): Promise<EngineEnd> {
  // The same command line, in a session of its own: a Ctrl-C reaches it once, through the host.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, [STAGE_ENV]: JSON.stringify(stage) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  started(child);
  return new Promise((resolve, reject) => {
    let handOffUntil: number | undefined;
    let frame: number | undefined;
    let grace: NodeJS.Timeout | undefined;
    child.on('message', (m) => {
      if (!isHandOff(m)) return;
      handOffUntil = m.until;
      if (typeof m.frame === 'number' && Number.isInteger(m.frame) && m.frame > 0) frame = m.frame;
      grace = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(grace);
      resolve({ code, signal, ...(handOffUntil !== undefined ? { handOffUntil } : {}), ...(frame !== undefined ? { frame } : {}) });
    });
  });
}

/**
 * Runs `goldloop run` as the host of its engine processes; resolves with the engine's exit code, or the
 * signal that ended it (for the caller to end itself with, once the lock is released). Throws LockedError.
 */
export async function hostRun(projectDir: string, handOffWaitsOverMs: number): Promise<number | { signal: NodeJS.Signals }> {
  const lock = await acquireLock(projectDir);
  let engine: ChildProcess | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    stopping = true;
    // The engine stops gracefully at the first, and ends at once at the second, as `goldloop run` always has.
    if (engine && engine.exitCode === null && engine.signalCode === null) engine.kill(signal);
    else if (wake) {
      process.stderr.write('\nStopping: saving state (Ctrl-C again to force)...\n');
      wake();
    }
  };
  const onResize = (): void => void engine?.kill('SIGWINCH');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGWINCH', onResize);
  // Nobody reads the output any more (`goldloop run | head`, maybe already at the preflight's line): stop as at Ctrl-C.
  const offClosed = whenOutputCloses(() => onSignal('SIGINT'));
  try {
    const hostIdentity = processIdentity();
    // The lines the last engine's live view left on screen: the next one draws over them, as one view would.
    let frame: number | undefined;
    for (let first = true; ; first = false) {
      // A Ctrl-C while waiting printed a line below the frame: the next engine draws under it instead.
      const over = stopping ? undefined : frame;
      const stage: RunStage = {
        hostPid: process.pid,
        hostIdentity,
        handOffWaitsOverMs,
        first,
        stop: stopping,
        ...(over ? { frame: over } : {}),
      };
      const end = await startEngine(stage, (child) => {
        engine = child;
        // In the lock: if this process is killed, the run that takes the project over ends the engine first.
        void lock.setEngine(child.pid).catch(() => {});
      });
      engine = undefined;
      frame = end.frame;
      if (end.handOffUntil === undefined || (stopping && stage.stop)) return howItEnded(end);
      if (!stopping) await sleepUntil(end.handOffUntil, (w) => (wake = w));
      wake = undefined;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGWINCH', onResize);
    offClosed();
    await lock.release();
  }
}

/** Sleeps until `until` (epoch ms), or until the function handed to `onWake` is called. */
async function sleepUntil(until: number, onWake: (wake: () => void) => void): Promise<void> {
  await new Promise<void>((resolve) => {
    // Timers hold at most about 24.8 days; a longer wait wakes and sleeps again.
    const timer = setTimeout(resolve, Math.min(Math.max(0, until - Date.now()), 2 ** 31 - 1));
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function howItEnded(end: EngineEnd): number | { signal: NodeJS.Signals } {
  if (end.code !== null) return end.code;
  process.stderr.write(`goldloop: the engine process was ended by ${end.signal ?? 'a signal'}\n`);
  return end.signal ? { signal: end.signal } : EXIT.error;
}
