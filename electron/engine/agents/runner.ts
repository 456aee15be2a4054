import { sandboxLine, type SandboxMode } from '../../contract/sandbox.ts';
import { endMarked } from '../../platform/leftovers.ts';
import { runProcess, type RunResult } from '../../platform/process.ts';
import { sandboxFor } from '../../platform/sandbox.ts';
import { programPath } from './program.ts';
import { agentEnv, cliOwnPaths, CYCLE_TOKEN, sandboxedArgv } from './sandbox.ts';
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
  /**
   * The agent (`AgentOutcome.agent`) that opened `options.resumeSessionId`: a runner resumes only
   * a session its own CLI opened, and starts a new one otherwise.
   */
  sessionAgent?: string;
}

export interface AgentOutcome {
  /** The agent that ran, as its type and program (`codex codex`): whose sessions `sessionId` is one of. */
  agent?: string;
  exitCode: number | null;
  killedBy?: RunResult['killedBy'];
  /** The agent could not be started: not installed, not executable. */
  spawnError?: string;
  durationMs: number;
  /** The agent's own last word on a failure (its error event, or its failed result's summary). */
  error?: string;
  /** The CLI's permission mode kept it from editing: the message names the setting to change. */
  permission?: string;
  /** A usage/rate limit the adapter recognised; not an error. */
  limit?: { message: string; resetAt?: number };
  sessionId?: string;
  summary?: string;
  events: AgentEvent[];
  stderrTail: string[];
}

/**
 * Runs an agent; injectable so the schedule can be simulated without processes. `ready`, when the
 * runner has it, says why the agent cannot start now (its program is not installed) before a
 * cycle is taken up, so an attempt that could never run the agent counts and commits nothing.
 */
export type AgentRunner = ((ctx: AgentRunContext) => Promise<AgentOutcome>) & {
  ready?: (projectDir: string) => Promise<string | undefined>;
  /** The CLI's own folders and files in home, which every run of it sees (its sessions are kept there). */
  ownPaths?: () => Promise<{ folders: string[]; files: string[] }>;
};

/** The number of structured events kept in memory per cycle; the full log is on disk. */
const MAX_EVENTS = 5_000;

/** Options fixed for every cycle of a run: the user's model, permission mode and extra arguments. */
export type AgentDefaults = Pick<AgentRunOptions, 'model' | 'permissionMode' | 'extraArgs'>;

/**
 * Runs one cycle of an adapter's CLI as a child process tree and folds its stream into events.
 * The CLI runs in the OS sandbox wherever one runs, unless `sandbox` is `off`; the first line of
 * its output says which. Where no PID namespace ends what it left running, the processes carrying
 * the run's marker are ended once it exits.
 */
export function adapterRunner(adapter: AgentAdapter, defaults: AgentDefaults = {}, sandbox: SandboxMode = 'auto'): AgentRunner {
  const agent = `${adapter.kind} ${adapter.executable}`;
  const run: AgentRunner = async (ctx) => {
    let command;
    const { resumeSessionId, ...options } = ctx.options;
    const resume = resumeSessionId !== undefined && ctx.sessionAgent === agent ? { resumeSessionId } : {};
    const box = sandboxFor(sandbox);
    const mode = defaults.permissionMode ?? adapter.defaultPermissionMode?.(box.status.kind === 'bubblewrap');
    try {
      command = adapter.buildCommand({ ...defaults, ...options, ...resume, ...(mode ? { permissionMode: mode } : {}) });
    } catch (error) {
      // A bad model name or permission mode: the user must fix the settings, so it is not retried.
      return { ...failed(`${adapter.displayName}: ${(error as Error).message}`), agent };
    }
    const parser = adapter.createParser();
    const events: AgentEvent[] = [];
    const take = (list: AgentEvent[]): void => {
      for (const event of list) {
        if (events.length < MAX_EVENTS || event.type !== 'raw') events.push(event);
        ctx.onEvent?.(event);
      }
    };
    const argv = [adapter.executable, ...command.argv];
    const { cwd, writable, hidden } = ctx.options;
    let wrapped;
    try {
      wrapped = await sandboxedArgv(box, adapter, argv, cwd, { ...process.env, ...command.env }, writable, hidden);
    } catch (error) {
      // The project folder is gone, or a folder of the policy could not be made: the agent did not run.
      return failed(`the sandbox could not be prepared: ${(error as Error).message}`);
    }
    const { env, token } = agentEnv(process.env, command.env, wrapped.cwd);
    // Goldloop's own notes go to the raw stream and, as system messages, to the readable one.
    const note = (text: string): void => {
      ctx.onLine?.(`goldloop: ${text}`, 'stdout');
      ctx.onEvent?.({ type: 'message', role: 'system', text: `goldloop: ${text}` });
    };
    note(sandboxLine(box.status));
    const result = await runProcess(wrapped.argv, {
      cwd: ctx.options.cwd,
      env,
      files: wrapped.copies,
      stdin: command.stdin,
      timeoutMs: ctx.timeoutMs,
      idleTimeoutMs: ctx.idleTimeoutMs,
      idleStartupMs: AGENT_STARTUP_MS,
      signal: ctx.signal,
      onLine: (line, stream) => {
        ctx.onLine?.(line, stream);
        take(parser.line(line, stream));
      },
    });
    if (box.status.kind !== 'bubblewrap') {
      const ended = await endMarked(CYCLE_TOKEN, token);
      if (ended) note(`ended ${ended} process${ended === 1 ? '' : 'es'} the agent left running`);
    }
    take(
      parser.end({
        code: result.exitCode,
        killedByGoldloop: result.killedBy !== undefined,
        ...(result.killedBy ? { killedBy: result.killedBy } : {}),
      }),
    );
    const sandboxError = box.status.kind === 'bubblewrap' ? bwrapError(result, adapter) : undefined;
    const outcome: AgentOutcome = {
      agent,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      events,
      stderrTail: result.stderrTail,
      ...(result.killedBy ? { killedBy: result.killedBy } : {}),
      ...(result.spawnError ? { spawnError: `${result.spawnError}. ${adapter.installHint}` } : {}),
      ...(sandboxError ? { spawnError: sandboxError } : {}),
    };
    return withWhatItSaid(outcome, result.killedBy);
  };
  return Object.assign(run, {
    ready: async (projectDir: string) => notInstalled(adapter, projectDir),
    ownPaths: () => cliOwnPaths(adapter, process.env),
  });
}

/** Why the adapter's program cannot be started from the project folder, or undefined when it is there. */
function notInstalled(adapter: AgentAdapter, projectDir: string): string | undefined {
  if (programPath(adapter.executable, projectDir)) return undefined;
  const where = adapter.executable.includes('/') ? '' : ' on PATH';
  return `${adapter.displayName}: ${adapter.executable} is not installed (not found${where}); ${adapter.installHint}`;
}

/**
 * How long an agent CLI may stay silent at its start on top of the no-output limit: a Bun or Node
 * program that loads its plugins, config and session store takes tens of seconds on a loaded
 * machine before its first line (OpenCode took over 30 s on two busy cores).
 */
export const AGENT_STARTUP_MS = 60_000;

/** The outcome with what the agent's events say: its session, limit, refusal, error and summary. */
function withWhatItSaid(outcome: AgentOutcome, killedBy: RunResult['killedBy']): AgentOutcome {
  for (const event of outcome.events) {
    // Silent until the watchdog ended it, after a limit: it was waiting on the limit, not hung.
    if (event.type === 'limit' && (!killedBy || killedBy === 'idle'))
      outcome.limit = { message: event.message, ...(event.resetAt ? { resetAt: event.resetAt } : {}) };
    if (event.type === 'session') outcome.sessionId = event.sessionId;
    if (event.type === 'permission') outcome.permission ??= event.message;
    if (event.type === 'error') outcome.error = event.message;
    if (event.type === 'result' && !event.ok && event.summary) outcome.error = event.summary;
    if (event.type === 'result') {
      if (event.summary) outcome.summary = event.summary;
      if (event.sessionId) outcome.sessionId = event.sessionId;
    }
  }
  return outcome;
}

/** An agent that could not be started, and why. */
const failed = (spawnError: string): AgentOutcome => ({ exitCode: null, durationMs: 0, events: [], stderrTail: [], spawnError });

/**
 * Bubblewrap's own failure: exit 1 before the program wrote a line, its message the last line of
 * stderr. It could not find the program (inside the sandbox), or not set the sandbox up.
 */
function bwrapError(result: RunResult, adapter: AgentAdapter): string | undefined {
  const last = result.stderrTail.at(-1);
  if (result.exitCode !== 1 || result.stdoutTail.length > 0 || !last?.startsWith('bwrap: ')) return undefined;
  if (last.startsWith('bwrap: execvp ')) return `the agent's program could not be started in the sandbox (${last}). ${adapter.installHint}`;
  return `the sandbox could not be set up (${last}); set agent.sandbox to "off" in the settings to run the agent without it`;
}
