/**
 * One event model for every agent adapter. Each adapter turns its CLI's machine-readable stream
 * into these events; anything it does not recognise becomes a `raw` event, never an error.
 */

export type AgentKind = 'claude-code' | 'codex' | 'gemini' | 'opencode' | 'aider' | 'command';

export type AgentEvent =
  | { type: 'session'; sessionId: string; model?: string }
  | { type: 'message'; role: 'assistant' | 'user' | 'system'; text: string }
  | { type: 'tool_call'; name: string; id?: string; input?: unknown }
  | { type: 'tool_result'; id?: string; ok: boolean; output?: string }
  | { type: 'file_change'; path: string; kind?: 'add' | 'modify' | 'delete' }
  | {
      type: 'usage';
      inputTokens?: number;
      outputTokens?: number;
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
      costUsd?: number;
      /**
       * The session's running total since it was opened, not this run's (Codex after `exec
       * resume`): the run's own usage is the difference from the total its last run reported.
       */
      sessionTotal?: true;
    }
  | { type: 'result'; ok: boolean; summary?: string; sessionId?: string; durationMs?: number; numTurns?: number }
  | { type: 'error'; message: string }
  /**
   * The CLI was not allowed to edit the project (its permission mode refused an edit, or offered
   * no edit tool): the run cannot work until the user changes the setting `message` names.
   */
  | { type: 'permission'; message: string }
  /** A usage or rate limit. `resetAt` is epoch milliseconds when the CLI says when it resets. */
  | { type: 'limit'; message: string; resetAt?: number }
  | { type: 'raw'; stream: 'stdout' | 'stderr'; line: string };

export interface AgentRunOptions {
  /** The full prompt text for this cycle. */
  prompt: string;
  /** A file holding the same prompt (also exported as GOLDLOOP_PROMPT_FILE). */
  promptFile: string;
  /** Project folder; the agent runs with it as its working directory. */
  cwd: string;
  model?: string;
  /** Extra CLI arguments the user configured, appended as given. */
  extraArgs?: string[];
  /** Permission/approval mode in the CLI's own vocabulary, validated by the adapter. */
  permissionMode?: string;
  /** Resume exactly this session (never "the last session"). */
  resumeSessionId?: string;
  /**
   * Folders inside the parts of the project the agent may not write (`.goldloop/`) that it may
   * write this run, relative to the project. Default: `.goldloop/notes`, where a cycle's agent
   * leaves notes for its later cycles.
   */
  writable?: string[];
  /** Absolute paths the agent may not see, even where the sandbox shows their parents: the held-out tests. */
  hidden?: string[];
}

export interface AgentCommand {
  /** The arguments after the adapter's `executable`. */
  argv: string[];
  /** Text written to the agent's stdin, then stdin is closed. Undefined: stdin is closed at once. */
  stdin?: string;
  env?: Record<string, string>;
}

/**
 * How a run ended: its exit code (null when killed by a signal), whether Goldloop ended it, and
 * why: `idle` is the no-output watchdog, which may have ended a CLI silently waiting on a limit.
 */
export interface AgentExit {
  code: number | null;
  killedByGoldloop: boolean;
  killedBy?: 'timeout' | 'idle' | 'abort';
}

/** Parses one run's output. Stateful: create one per run. */
export interface AgentStreamParser {
  /** Feeds one line (without its newline) from stdout or stderr; returns the events it completes. */
  line(text: string, stream: 'stdout' | 'stderr'): AgentEvent[];
  /**
   * Called once when the process has exited, with its exit code (null when killed by a signal)
   * and whether Goldloop ended it (timeout, watchdog, pause). Returns closing events, such as a
   * `limit` detected from the exit code and the last plain lines.
   */
  end(exit: AgentExit): AgentEvent[];
}

/**
 * Where a CLI keeps its own config, login, sessions and cache: the sandbox shows these to it,
 * readable and writable, and hides the rest of home. Absolute paths.
 */
export interface OwnPaths {
  /** Folders (made when missing, so what it saves there outlives the cycle). */
  folders: string[];
  /** Files, shown only when they exist. */
  files?: string[];
  /** Every entry of home whose name starts with one of these (`.aider`: `~/.aider.conf.yml`, `~/.aider/`). */
  homePrefixes?: string[];
}

export interface AgentAdapter {
  kind: AgentKind;
  displayName: string;
  /** The executable users install, e.g. `claude`. */
  executable: string;
  /** How to install the CLI, shown when it is missing. */
  installHint: string;
  /** CLI versions whose `--help` this adapter's flags were checked against. */
  checkedVersions: string[];
  buildCommand(options: AgentRunOptions): AgentCommand;
  /**
   * The permission mode used when the user set none: the one that lets the CLI edit files in the
   * project and nothing outside it. `sandboxed`: Goldloop's own OS sandbox confines the CLI.
   */
  defaultPermissionMode?(sandboxed: boolean): string | undefined;
  /** Permission modes of its vocabulary in which a headless run cannot edit files (the preflight refuses them). */
  readOnlyModes?: readonly string[];
  createParser(): AgentStreamParser;
  /** The CLI's own folders in home, from the environment it runs with. None: it sees nothing of home but PATH. */
  ownPaths?(home: string, env: Readonly<Record<string, string | undefined>>): OwnPaths;
}
