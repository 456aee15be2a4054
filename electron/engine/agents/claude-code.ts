/**
 * Claude Code adapter: `claude -p --output-format stream-json --verbose`, prompt on stdin.
 * Event shapes follow the Agent SDK message schema bundled in the CLI (system/init, assistant,
 * user, result, rate_limit_event); see test/fixtures/agent-streams/README.md.
 */
import { z } from 'zod';
import type { AgentAdapter, AgentCommand, AgentEvent, AgentRunOptions, AgentStreamParser } from './types.ts';
import { LimitDetector, looksLikeLimit, parseJsonObject } from './limits.ts';

/** Values `claude --help` lists for `--permission-mode` (2.1.197). */
export const CLAUDE_PERMISSION_MODES = ['acceptEdits', 'auto', 'bypassPermissions', 'default', 'dontAsk', 'plan'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tools whose input names the file they write; the change counts once the tool succeeded. */
const FILE_TOOLS: Record<string, { key: string; kind?: 'add' | 'modify' }> = {
  Edit: { key: 'file_path', kind: 'modify' },
  MultiEdit: { key: 'file_path', kind: 'modify' },
  Write: { key: 'file_path' },
  NotebookEdit: { key: 'notebook_path', kind: 'modify' },
};

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const ToolUseBlock = z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });
const ToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]).optional(),
  is_error: z.boolean().optional(),
});
const AnyBlock = z.looseObject({ type: z.string() });

const SystemInit = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string(),
  model: z.string().optional(),
});
const Assistant = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({ content: z.array(AnyBlock) }),
  error: z.string().optional(),
  session_id: z.string().optional(),
});
const User = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(AnyBlock)]) }),
});
const Usage = z.looseObject({
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cache_read_input_tokens: z.number().optional(),
  cache_creation_input_tokens: z.number().optional(),
});
const Result = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean().optional(),
  result: z.string().optional(),
  errors: z.array(z.string()).optional(),
  session_id: z.string().optional(),
  duration_ms: z.number().optional(),
  num_turns: z.number().optional(),
  total_cost_usd: z.number().optional(),
  usage: Usage.optional(),
});
const RateLimit = z.looseObject({
  type: z.literal('rate_limit_event'),
  rate_limit_info: z.looseObject({
    status: z.string(),
    resetsAt: z.number().optional(),
    rateLimitType: z.string().optional(),
  }),
});

function buildCommand(options: AgentRunOptions): AgentCommand {
  const argv = ['-p', '--output-format', 'stream-json', '--verbose'];
  if (options.model) argv.push('--model', options.model);
  if (options.permissionMode !== undefined) {
    if (!(CLAUDE_PERMISSION_MODES as readonly string[]).includes(options.permissionMode)) {
      throw new Error(`Claude Code permission mode "${options.permissionMode}" is not one of ${CLAUDE_PERMISSION_MODES.join(', ')}.`);
    }
    argv.push('--permission-mode', options.permissionMode);
  }
  if (options.resumeSessionId !== undefined) {
    // `--resume` without a session id (or with a search term) opens a picker: only ids pass.
    if (!UUID.test(options.resumeSessionId)) {
      throw new Error(`Claude Code session id "${options.resumeSessionId}" is not a UUID; cannot resume it.`);
    }
    argv.push('--resume', options.resumeSessionId);
  }
  argv.push(...(options.extraArgs ?? []));
  return { argv, stdin: options.prompt };
}

function toolResultText(content: z.infer<typeof ToolResultBlock>['content']): string | undefined {
  if (content === undefined) return undefined;
  if (typeof content === 'string') return content;
  return content.map((block) => block.text ?? '').join('');
}

function createParser(): AgentStreamParser {
  const limits = new LimitDetector();
  const pendingFiles = new Map<string, { path: string; kind?: 'add' | 'modify' }>();

  function assistant(event: z.infer<typeof Assistant>): AgentEvent[] {
    const out: AgentEvent[] = [];
    const texts: string[] = [];
    for (const raw of event.message.content) {
      const text = TextBlock.safeParse(raw);
      if (text.success) {
        texts.push(text.data.text);
        out.push({ type: 'message', role: 'assistant', text: text.data.text });
        continue;
      }
      const tool = ToolUseBlock.safeParse(raw);
      if (tool.success) {
        out.push({ type: 'tool_call', name: tool.data.name, id: tool.data.id, input: tool.data.input });
        const spec = FILE_TOOLS[tool.data.name];
        const input = tool.data.input as Record<string, unknown> | undefined;
        const path = spec && input && typeof input[spec.key] === 'string' ? (input[spec.key] as string) : undefined;
        if (spec && path) pendingFiles.set(tool.data.id, { path, kind: spec.kind });
      }
      // thinking and other blocks carry nothing the loop uses.
    }
    // A synthetic assistant message with `error` is how the CLI reports a failed API call.
    if (event.error === 'rate_limit') limits.structured(texts.join(' ') || 'Claude rate limit');
    return out;
  }

  function user(event: z.infer<typeof User>): AgentEvent[] {
    if (typeof event.message.content === 'string') return [{ type: 'message', role: 'user', text: event.message.content }];
    const out: AgentEvent[] = [];
    for (const raw of event.message.content) {
      const block = ToolResultBlock.safeParse(raw);
      if (!block.success) continue;
      const ok = block.data.is_error !== true;
      const output = toolResultText(block.data.content);
      out.push({ type: 'tool_result', id: block.data.tool_use_id, ok, ...(output === undefined ? {} : { output }) });
      const file = pendingFiles.get(block.data.tool_use_id);
      pendingFiles.delete(block.data.tool_use_id);
      if (file && ok) out.push({ type: 'file_change', path: file.path, ...(file.kind ? { kind: file.kind } : {}) });
    }
    return out;
  }

  function result(event: z.infer<typeof Result>): AgentEvent[] {
    const out: AgentEvent[] = [];
    const u = event.usage;
    out.push({
      type: 'usage',
      ...(u?.input_tokens === undefined ? {} : { inputTokens: u.input_tokens }),
      ...(u?.output_tokens === undefined ? {} : { outputTokens: u.output_tokens }),
      ...(u?.cache_read_input_tokens === undefined ? {} : { cacheReadTokens: u.cache_read_input_tokens }),
      ...(u?.cache_creation_input_tokens === undefined ? {} : { cacheWriteTokens: u.cache_creation_input_tokens }),
      ...(event.total_cost_usd === undefined ? {} : { costUsd: event.total_cost_usd }),
    });
    const ok = event.subtype === 'success' && event.is_error !== true;
    const summary = event.result ?? event.errors?.join('\n');
    if (ok) {
      limits.recovered();
    } else {
      const message = summary ?? event.subtype;
      if (looksLikeLimit(message)) limits.structured(message);
      else out.push({ type: 'error', message });
    }
    out.push({
      type: 'result',
      ok,
      ...(summary === undefined ? {} : { summary }),
      ...(event.session_id === undefined ? {} : { sessionId: event.session_id }),
      ...(event.duration_ms === undefined ? {} : { durationMs: event.duration_ms }),
      ...(event.num_turns === undefined ? {} : { numTurns: event.num_turns }),
    });
    return out;
  }

  function structured(json: Record<string, unknown>): AgentEvent[] | undefined {
    const init = SystemInit.safeParse(json);
    if (init.success) return [{ type: 'session', sessionId: init.data.session_id, ...(init.data.model ? { model: init.data.model } : {}) }];
    const a = Assistant.safeParse(json);
    if (a.success) return assistant(a.data);
    const u = User.safeParse(json);
    if (u.success) return user(u.data);
    const r = Result.safeParse(json);
    if (r.success) return result(r.data);
    const rl = RateLimit.safeParse(json);
    if (rl.success) {
      const info = rl.data.rate_limit_info;
      // "allowed" and "allowed_warning" only report utilisation; "rejected" stops the run.
      if (info.status === 'rejected') {
        const kind = info.rateLimitType ? `${info.rateLimitType.replace(/_/g, ' ')} ` : '';
        limits.structured(`Claude ${kind}limit reached`, info.resetsAt === undefined ? undefined : info.resetsAt * 1000);
      }
      return [];
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

/** Claude Code (`@anthropic-ai/claude-code`). */
export const claudeCodeAdapter: AgentAdapter = {
  kind: 'claude-code',
  displayName: 'Claude Code',
  executable: 'claude',
  installHint: 'npm install -g @anthropic-ai/claude-code',
  checkedVersions: ['2.1.197'],
  buildCommand,
  createParser,
};
