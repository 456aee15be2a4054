/**
 * Codex CLI adapter: `codex exec --json -` (prompt on stdin), `codex exec resume --json <id> -`
 * to resume. Events are the `ThreadEvent` JSONL of codex-rs/exec (thread.started, turn.*,
 * item.*, error); see test/fixtures/agent-streams/README.md.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { checkedMode, checkedSessionId, modelFlags, type CliVocabulary } from './argv.ts';
import {
  fileChangeEvent,
  limitOrError,
  permissionEvent,
  RunMemory,
  sessionEvent,
  toolResultEvent,
  usageEvent,
  type FileKind,
} from './events.ts';
import { byType, jsonLinesParser, on, type EventHandler } from './json-lines.ts';
import { LimitDetector } from './limits.ts';
import type { AgentAdapter, AgentCommand, AgentEvent, AgentRunOptions, AgentStreamParser } from './types.ts';

/** Values `codex exec --help` lists for `--sandbox` (0.171.0). */
export const CODEX_SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;

/** A UUID or a thread name; never `--last` or anything else that looks like a flag. */
const SESSION_ID = /^[A-Za-z0-9][\w.:-]*$/;

const Item = z.looseObject({ id: z.string(), type: z.string() });
const AgentMessage = z.looseObject({ type: z.literal('agent_message'), text: z.string() });
const Command = z.looseObject({
  id: z.string(),
  type: z.literal('command_execution'),
  command: z.string(),
  aggregated_output: z.string().optional(),
  exit_code: z.number().nullable().optional(),
  status: z.string(),
});
const FileChange = z.looseObject({
  id: z.string(),
  type: z.literal('file_change'),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.string() })),
  status: z.string(),
});
const McpCall = z.looseObject({
  id: z.string(),
  type: z.literal('mcp_tool_call'),
  server: z.string(),
  tool: z.string(),
  arguments: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z.looseObject({ message: z.string() }).nullable().optional(),
  status: z.string(),
});
const WebSearch = z.looseObject({ id: z.string(), type: z.literal('web_search'), query: z.string() });
const ErrorItem = z.looseObject({ type: z.literal('error'), message: z.string() });

const ThreadStarted = z.looseObject({ type: z.literal('thread.started'), thread_id: z.string() });
const ItemEvent = z.looseObject({
  type: z.enum(['item.started', 'item.updated', 'item.completed']),
  item: Item,
});
const TurnCompleted = z.looseObject({
  type: z.literal('turn.completed'),
  usage: z
    .looseObject({
      input_tokens: z.number().optional(),
      cached_input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
    })
    .optional(),
});
const TurnFailed = z.looseObject({ type: z.literal('turn.failed'), error: z.looseObject({ message: z.string() }) });
const StreamError = z.looseObject({ type: z.literal('error'), message: z.string() });

/** Codex's stderr log line for a write its read-only sandbox refused (0.171.0). */
const READ_ONLY_REFUSAL = /blocked by read-only sandbox/;

const VOCABULARY: CliVocabulary = {
  cli: 'Codex',
  modes: { noun: 'sandbox mode', allowed: CODEX_SANDBOX_MODES },
  sessionIds: { pattern: SESSION_ID, are: 'a session id or thread name' },
};

function buildCommand(options: AgentRunOptions): AgentCommand {
  const resume = checkedSessionId(VOCABULARY, options.resumeSessionId);
  const mode = checkedMode(VOCABULARY, options.permissionMode);
  const argv = resume === undefined ? ['exec', '--json'] : ['exec', 'resume', '--json'];
  if (options.model) argv.push(...modelFlags(options.model));
  if (mode !== undefined) {
    // `exec resume` has no --sandbox flag; the same setting is the `sandbox_mode` config key.
    argv.push(...(resume === undefined ? ['--sandbox', mode] : ['-c', `sandbox_mode="${mode}"`]));
  }
  if (resume !== undefined) argv.push(resume);
  // `-` reads the prompt from stdin: no argv length limit, nothing in the process list.
  argv.push('-', ...(options.extraArgs ?? []));
  return { argv, stdin: options.prompt };
}

function fileKind(kind: string): FileKind | undefined {
  if (kind === 'add') return 'add';
  if (kind === 'delete') return 'delete';
  if (kind === 'update') return 'modify';
  return undefined;
}

/**
 * Handlers for the items of `item.started`/`item.updated` and of `item.completed`. A tool item
 * arrives at each stage, so its call is announced once, at whichever stage comes first.
 */
function itemHandlers(memory: RunMemory): { started: EventHandler; completed: EventHandler } {
  const announced = new Set<string>();
  const call = (id: string, name: string, input: unknown): AgentEvent[] => {
    if (announced.has(id)) return [];
    announced.add(id);
    return [{ type: 'tool_call', name, id, input }];
  };
  const shell = (c: z.infer<typeof Command>): AgentEvent[] => call(c.id, 'shell', { command: c.command });
  const mcp = (m: z.infer<typeof McpCall>): AgentEvent[] => call(m.id, `${m.server}.${m.tool}`, m.arguments);
  const search = (w: z.infer<typeof WebSearch>): AgentEvent[] => call(w.id, 'web_search', { query: w.query });

  function patch(change: z.infer<typeof FileChange>): AgentEvent[] {
    const ok = change.status === 'completed';
    return [
      ...call(change.id, 'apply_patch', { changes: change.changes }),
      toolResultEvent(change.id, ok, undefined),
      ...(ok ? change.changes.map((c) => fileChangeEvent(c.path, fileKind(c.kind))) : []),
    ];
  }

  function mcpDone(m: z.infer<typeof McpCall>): AgentEvent[] {
    const ok = m.status === 'completed' && !m.error;
    const output = m.error?.message ?? (m.result === undefined ? undefined : JSON.stringify(m.result));
    return [...mcp(m), toolResultEvent(m.id, ok, output)];
  }

  const started = byType({ command_execution: on(Command, shell), mcp_tool_call: on(McpCall, mcp), web_search: on(WebSearch, search) });
  const completed = byType({
    agent_message: on(AgentMessage, (m) => {
      memory.lastMessage = m.text;
      return [{ type: 'message', role: 'assistant', text: m.text }];
    }),
    command_execution: on(Command, (c) => [
      ...shell(c),
      toolResultEvent(c.id, c.status === 'completed' && (c.exit_code ?? 0) === 0, c.aggregated_output),
    ]),
    file_change: on(FileChange, patch),
    mcp_tool_call: on(McpCall, mcpDone),
    web_search: on(WebSearch, (w) => [...search(w), toolResultEvent(w.id, true, undefined)]),
    // A non-fatal error item (e.g. a transport fallback): worth showing, not a failure.
    error: on(ErrorItem, (e) => [{ type: 'message', role: 'system', text: e.message }]),
    // Reasoning, to-do lists and plans carry nothing the loop acts on; unknown item kinds stay raw.
    reasoning: () => [],
    todo_list: () => [],
    plan: () => [],
  });
  // A start or update of an item kind that needs no call yet is nothing to show.
  return { started: (item) => started(item) ?? [], completed };
}

function createParser(): AgentStreamParser {
  const limits = new LimitDetector();
  const memory = new RunMemory();
  const items = itemHandlers(memory);
  const item = on(ItemEvent, (event) => (event.type === 'item.completed' ? items.completed : items.started)(event.item));

  function turnCompleted(done: z.infer<typeof TurnCompleted>): AgentEvent[] {
    limits.recovered();
    const u = done.usage;
    // `input_tokens` already counts the cached ones, and after `exec resume` all of it is the
    // thread's total since it started, not this run's (checked against Codex 0.171.0).
    const cached = u?.cached_input_tokens;
    const input = u?.input_tokens === undefined ? undefined : u.input_tokens - (cached ?? 0);
    const usage = u
      ? [{ ...usageEvent({ inputTokens: input, outputTokens: u.output_tokens, cacheReadTokens: cached }), sessionTotal: true as const }]
      : [];
    return [...usage, memory.result(true)];
  }

  function streamError(error: z.infer<typeof StreamError>): AgentEvent[] {
    // "Reconnecting... n/5" is a retry in progress, not the end of the run.
    if (/^Reconnecting\b/i.test(error.message)) return [{ type: 'message', role: 'system', text: error.message }];
    return limitOrError(limits, error.message);
  }

  return jsonLinesParser({
    limits,
    // A patch its sandbox refuses is logged on stderr only, and the item just says "failed".
    plain: (text, stream) =>
      stream === 'stderr' && READ_ONLY_REFUSAL.test(text)
        ? [permissionEvent('Codex', text.replace(/^.*?error=/, '').trim(), { noun: 'sandbox mode', value: 'workspace-write' })]
        : [],
    events: byType({
      'thread.started': on(ThreadStarted, (thread) => {
        memory.sessionId = thread.thread_id;
        return [sessionEvent(thread.thread_id, undefined)];
      }),
      'turn.started': () => [],
      'item.started': item,
      'item.updated': item,
      'item.completed': item,
      'turn.completed': on(TurnCompleted, turnCompleted),
      'turn.failed': on(TurnFailed, ({ error }) => [...limitOrError(limits, error.message), memory.result(false, error.message)]),
      error: on(StreamError, streamError),
    }),
  });
}

/** OpenAI Codex CLI (`@openai/codex`). */
export const codexAdapter: AgentAdapter = {
  kind: 'codex',
  displayName: 'Codex CLI',
  executable: 'codex',
  installHint: 'npm install -g @openai/codex',
  checkedVersions: ['0.171.0'],
  buildCommand,
  // Its default is read-only: every patch refused. In Goldloop's bubblewrap its own sandbox (a
  // bubblewrap too) adds nothing, and as root it cannot start there ("setting up uid map"), so
  // Goldloop's sandbox alone keeps its writes in the project.
  defaultPermissionMode: (sandboxed) => (sandboxed ? 'danger-full-access' : 'workspace-write'),
  readOnlyModes: ['read-only'],
  createParser,
  ownPaths: (home, env) => ({ folders: [env.CODEX_HOME || join(home, '.codex')] }),
};
