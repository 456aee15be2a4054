import { runProcess, type RunResult } from '../../platform/process.ts';
import type { AgentAdapter, AgentEvent, AgentRunOptions } from './types.ts';

export interface AgentRunContext {
  options: AgentRunOptions;
  /** The cycle's wall-clock limit. */
  timeoutMs: number;
  /** The no-output watchdog. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  onEvent?: (event: AgentEvent) => void;
}

export interface AgentOutcome {
  exitCode: number | null;
  killedBy?: RunResult['killedBy'];
  /** The agent could not be started: not installed, not executable. */
  spawnError?: string;
  durationMs: number;
  /** A usage/rate limit the adapter recognised; not an error. */
  limit?: { message: string; resetAt?: number };
  sessionId?: string;
  summary?: string;
  events: AgentEvent[];
  stderrTail: string[];
}

/** Runs an agent; injectable so the schedule can be simulated without processes. */
export type AgentRunner = (ctx: AgentRunContext) => Promise<AgentOutcome>;

/** The number of structured events kept in memory per cycle; the full log is on disk. */
const MAX_EVENTS = 5_000;

/** Options fixed for every cycle of a run: the user's model, permission mode and extra arguments. */
export type AgentDefaults = Pick<AgentRunOptions, 'model' | 'permissionMode' | 'extraArgs'>;

/** Runs one cycle of an adapter's CLI as a child process tree and folds its stream into events. */
export function adapterRunner(adapter: AgentAdapter, defaults: AgentDefaults = {}): AgentRunner {
  return async (ctx) => {
    let command;
    try {
      command = adapter.buildCommand({ ...defaults, ...ctx.options });
    } catch (error) {
      // A bad model name or permission mode: the user must fix the settings, so it is not retried.
      return {
        exitCode: null,
        durationMs: 0,
        events: [],
        stderrTail: [],
        spawnError: `${adapter.displayName}: ${(error as Error).message}`,
      };
    }
    const parser = adapter.createParser();
    const events: AgentEvent[] = [];
    const take = (list: AgentEvent[]): void => {
      for (const event of list) {
        if (events.length < MAX_EVENTS || event.type !== 'raw') events.push(event);
        ctx.onEvent?.(event);
      }
    };
    const result = await runProcess([adapter.executable, ...command.argv], {
      cwd: ctx.options.cwd,
      env: command.env,
      stdin: command.stdin,
      timeoutMs: ctx.timeoutMs,
      idleTimeoutMs: ctx.idleTimeoutMs,
      signal: ctx.signal,
      onLine: (line, stream) => {
        ctx.onLine?.(line, stream);
        take(parser.line(line, stream));
      },
    });
    take(parser.end({ code: result.exitCode, killedByGoldloop: result.killedBy !== undefined }));
    const outcome: AgentOutcome = {
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      events,
      stderrTail: result.stderrTail,
      ...(result.killedBy ? { killedBy: result.killedBy } : {}),
      ...(result.spawnError ? { spawnError: `${result.spawnError}. ${adapter.installHint}` } : {}),
    };
    for (const event of events) {
      if (event.type === 'limit' && !result.killedBy)
        outcome.limit = { message: event.message, ...(event.resetAt ? { resetAt: event.resetAt } : {}) };
      if (event.type === 'session') outcome.sessionId = event.sessionId;
      if (event.type === 'result') {
        if (event.summary) outcome.summary = event.summary;
        if (event.sessionId) outcome.sessionId = event.sessionId;
      }
    }
    return outcome;
  };
}
