/**
 * `goldloop run` in two processes (POSIX): the one the user started (the host, cli/run-host.ts)
 * holds the project's lock, forwards Ctrl-C and waits out the long waits; the engine process it
 * starts runs the loop until gold, a pause, an error, a stop, or a wait of a minute or more,
 * which it hands back to the host and exits. A run on a break or waiting for a usage limit then
 * holds only the host, a small process, instead of the whole engine.
 *
 * This file is what both sides share, and loads nothing else.
 */
import { UsageError } from './exit.ts';

/** The engine process's stage, as JSON, in its environment (removed once read). */
export const STAGE_ENV = 'GOLDLOOP_RUN_STAGE';
/** Waits at least this long go to the host (default 60 s); `off` keeps the whole run in one process. */
export const HAND_OFF_ENV = 'GOLDLOOP_RUN_HAND_OFF';
const DEFAULT_HAND_OFF_MS = 60_000;

export interface RunStage {
  /** The host's pid, and its identity (`<pid>-<start time>`) for the record of running children. */
  hostPid: number;
  hostIdentity: string;
  handOffWaitsOverMs: number;
  /** The first engine process of the run: it runs the preflight. */
  first: boolean;
  /** The user stopped the run while the host waited. */
  stop: boolean;
  /** Lines of the live view the engine before this one left on screen: the new one draws over them. */
  frame?: number;
}

/** The message the engine sends its host when it hands over a wait. */
export interface HandOff {
  type: 'hand-off';
  /** Epoch ms: when to start the engine again. */
  until: number;
  /** Lines its live view's last frame takes on screen (0 without a terminal). */
  frame?: number;
}

export const isHandOff = (m: unknown): m is HandOff =>
  typeof m === 'object' && m !== null && (m as HandOff).type === 'hand-off' && Number.isFinite((m as HandOff).until);

/** The threshold for handing waits to a host, or undefined when this platform or the user keeps the run in one process. */
export function handOffThreshold(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (process.platform === 'win32') return undefined;
  const raw = env[HAND_OFF_ENV]?.trim();
  if (!raw) return DEFAULT_HAND_OFF_MS;
  if (raw === 'off') return undefined;
  const ms = Number(raw);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  throw new UsageError(
    `${HAND_OFF_ENV}=${JSON.stringify(raw)} is not a number of milliseconds: set it to e.g. 60000, or to off to keep the run in one process`,
  );
}

/** This process's stage when a host started it; read once and removed, so the agent and gates never inherit it. */
export function takeStage(env: NodeJS.ProcessEnv = process.env): RunStage | undefined {
  const raw = env[STAGE_ENV];
  if (raw === undefined) return undefined;
  delete env[STAGE_ENV];
  try {
    const s = JSON.parse(raw) as RunStage;
    return typeof s.hostPid === 'number' && typeof s.hostIdentity === 'string' && typeof s.handOffWaitsOverMs === 'number' ? s : undefined;
  } catch {
    return undefined;
  }
}
