/**
 * Codex CLI adapter: `codex exec --json -` (prompt on stdin), `codex exec resume --json <id> -`
 * to resume. Events are the `ThreadEvent` JSONL of codex-rs/exec (thread.started, turn.*,
 * item.*, error); see test/fixtures/agent-streams/README.md.
 */
import { z } from 'zod';
import type { AgentAdapter, AgentCommand, AgentEvent, AgentRunOptions, AgentStreamParser } from './types.ts';
import { LimitDetector, looksLikeLimit, parseJsonObject } from './limits.ts';

/** Values `codex exec --help` lists for `--sandbox` (0.169.0). */
export const CODEX_SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;

/** A UUID or a thread name; never `--last` or anything else that looks like a flag. */
const SESSION_ID = /^[A-Za-z0-9][\w.:-]*$/;

/** Item kinds that are known but need no event. */
const QUIET_ITEMS = new Set(['reasoning', 'todo_list', 'plan']);

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
const TurnStarted = z.looseObject({ type: z.literal('turn.started') });

function buildCommand(options: AgentRunOptions): AgentCommand {
  const resume = options.resumeSessionId;
  if (resume !== undefined && !SESSION_ID.test(resume)) {
    throw new Error(`Codex session id "${resume}" is not a session id or thread name; cannot resume it.`);
  }
  const mode = options.permissionMode;
  if (mode !== undefined && !(CODEX_SANDBOX_MODES as readonly string[]).includes(mode)) {
    throw new Error(`Codex sandbox mode "${mode}" is not one of ${CODEX_SANDBOX_MODES.join(', ')}.`);
  }
  const argv = resume === undefined ? ['exec', '--json'] : ['exec', 'resume', '--json'];
  if (options.model) argv.push('--model', options.model);
  if (mode !== undefined) {
    // `exec resume` has no --sandbox flag; the same setting is the `sandbox_mode` config key.
    if (resume === undefined) argv.push('--sandbox', mode);
    else argv.push('-c', `sandbox_mode="${mode}"`);
  }
  if (resume !== undefined) argv.push(resume);
  // `-` reads the prompt from stdin: no argv length limit, nothing in the process list.
  argv.push('-', ...(options.extraArgs ?? []));
  return { argv, stdin: options.prompt };
}

function fileKind(kind: string): 'add' | 'modify' | 'delete' | undefined {
  if (kind === 'add') return 'add';
  if (kind === 'delete') return 'delete';
  if (kind === 'update') return 'modify';
  return undefined;
}

function createParser(): AgentStreamParser {
  const limits = new LimitDetector();
  const announced = new Set<string>();
  let sessionId: string | undefined;
  let lastMessage: string | undefined;

  function announce(id: string, name: string, input: unknown): AgentEvent[] {
    if (announced.has(id)) return [];
    announced.add(id);
    return [{ type: 'tool_call', name, id, input }];
  }

  function started(item: Record<string, unknown>): AgentEvent[] {
    const cmd = Command.safeParse(item);
    if (cmd.success) return announce(cmd.data.id, 'shell', { command: cmd.data.command });
    const mcp = McpCall.safeParse(item);
    if (mcp.success) return announce(mcp.data.id, `${mcp.data.server}.${mcp.data.tool}`, mcp.data.arguments);
    const web = WebSearch.safeParse(item);
    if (web.success) return announce(web.data.id, 'web_search', { query: web.data.query });
    return [];
  }

  function completed(item: Record<string, unknown>): AgentEvent[] | undefined {
    const msg = AgentMessage.safeParse(item);
    if (msg.success) {
      lastMessage = msg.data.text;
      return [{ type: 'message', role: 'assistant', text: msg.data.text }];
    }
    const cmd = Command.safeParse(item);
    if (cmd.success) {
      const ok = cmd.data.status === 'completed' && (cmd.data.exit_code ?? 0) === 0;
      const output = cmd.data.aggregated_output;
      return [
        ...announce(cmd.data.id, 'shell', { command: cmd.data.command }),
        { type: 'tool_result', id: cmd.data.id, ok, ...(output === undefined ? {} : { output }) },
      ];
    }
    const change = FileChange.safeParse(item);
    if (change.success) {
      const ok = change.data.status === 'completed';
      const out: AgentEvent[] = [
        ...announce(change.data.id, 'apply_patch', { changes: change.data.changes }),
        { type: 'tool_result', id: change.data.id, ok },
      ];
      if (ok) {
        for (const c of change.data.changes) {
          const kind = fileKind(c.kind);
          out.push({ type: 'file_change', path: c.path, ...(kind ? { kind } : {}) });
        }
      }
      return out;
    }
    const mcp = McpCall.safeParse(item);
    if (mcp.success) {
      const ok = mcp.data.status === 'completed' && !mcp.data.error;
      const output = mcp.data.error?.message ?? (mcp.data.result === undefined ? undefined : JSON.stringify(mcp.data.result));
      return [
        ...announce(mcp.data.id, `${mcp.data.server}.${mcp.data.tool}`, mcp.data.arguments),
        { type: 'tool_result', id: mcp.data.id, ok, ...(output === undefined ? {} : { output }) },
      ];
    }
    const web = WebSearch.safeParse(item);
    if (web.success)
      return [...announce(web.data.id, 'web_search', { query: web.data.query }), { type: 'tool_result', id: web.data.id, ok: true }];
    // A non-fatal error item (e.g. a transport fallback): worth showing, not a failure.
    const err = ErrorItem.safeParse(item);
    if (err.success) return [{ type: 'message', role: 'system', text: err.data.message }];
    // Reasoning, to-do lists and plans carry nothing the loop acts on; unknown item kinds stay raw.
    return QUIET_ITEMS.has(String(item.type)) ? [] : undefined;
  }

  function structured(json: Record<string, unknown>): AgentEvent[] | undefined {
    const thread = ThreadStarted.safeParse(json);
    if (thread.success) {
      sessionId = thread.data.thread_id;
      return [{ type: 'session', sessionId }];
    }
    if (TurnStarted.safeParse(json).success) return [];
    const itemEvent = ItemEvent.safeParse(json);
    if (itemEvent.success) {
      const item = itemEvent.data.item as Record<string, unknown>;
      if (itemEvent.data.type === 'item.completed') return completed(item);
      return started(item);
    }
    const done = TurnCompleted.safeParse(json);
    if (done.success) {
      limits.recovered();
      const u = done.data.usage;
      const usage: AgentEvent[] = u
        ? [
            {
              type: 'usage',
              ...(u.input_tokens === undefined ? {} : { inputTokens: u.input_tokens }),
              ...(u.output_tokens === undefined ? {} : { outputTokens: u.output_tokens }),
              ...(u.cached_input_tokens === undefined ? {} : { cacheReadTokens: u.cached_input_tokens }),
            },
          ]
        : [];
      return [
        ...usage,
        { type: 'result', ok: true, ...(lastMessage === undefined ? {} : { summary: lastMessage }), ...(sessionId ? { sessionId } : {}) },
      ];
    }
    const failed = TurnFailed.safeParse(json);
    if (failed.success) {
      const message = failed.data.error.message;
      const out: AgentEvent[] = [];
      if (looksLikeLimit(message)) limits.structured(message);
      else out.push({ type: 'error', message });
      out.push({ type: 'result', ok: false, summary: message, ...(sessionId ? { sessionId } : {}) });
      return out;
    }
    const error = StreamError.safeParse(json);
    if (error.success) {
      const message = error.data.message;
      // "Reconnecting... n/5" is a retry in progress, not the end of the run.
      if (/^Reconnecting\b/i.test(message)) return [{ type: 'message', role: 'system', text: message }];
      if (looksLikeLimit(message)) {
        limits.structured(message);
        return [];
      }
      return [{ type: 'error', message }];
    }
    return undefined;
  }

  return {
    line(text, stream) {
      const json = stream === 'stdout' ? parseJsonObject(text) : undefined;
      const events = json ? structured(json) : undefined;
      if (events) return events;
      if (!json) limits.plain(text);
      return [{ type: 'raw', stream, line: text }];
    },
    end(exit) {
      return limits.finish(exit);
    },
  };
}

/** OpenAI Codex CLI (`@openai/codex`). */
export const codexAdapter: AgentAdapter = {
  kind: 'codex',
  displayName: 'Codex CLI',
  executable: 'codex',
  installHint: 'npm install -g @openai/codex',
  checkedVersions: ['0.169.0'],
  buildCommand,
  createParser,
};
