/**
 * Claude Code adapter: `claude -p --output-format stream-json --verbose`, prompt on stdin.
 * Event shapes follow the Agent SDK message schema bundled in the CLI (system/init, assistant,
 * user, result, rate_limit_event); see test/fixtures/agent-streams/README.md.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { SESSION_UUID, stdinCommand, type StdinCli } from './argv.ts';
import {
  limitOrError,
  PendingFileChanges,
  permissionEvent,
  resultEvent,
  sessionEvent,
  toolResultEvent,
  usageEvent,
  type FileKind,
} from './events.ts';
import { byType, jsonLinesParser, on } from './json-lines.ts';
import { LimitDetector } from './limits.ts';
import type { AgentAdapter, AgentEvent, AgentStreamParser } from './types.ts';

/** Values `claude --help` lists for `--permission-mode` (2.1.197). */
export const CLAUDE_PERMISSION_MODES = ['acceptEdits', 'auto', 'bypassPermissions', 'default', 'dontAsk', 'plan'] as const;

/** Tools whose input names the file they write, and the input key that names it. */
const FILE_TOOLS: Record<string, { key: string; kind?: FileKind }> = {
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
  permission_denials: z.array(z.looseObject({ tool_name: z.string(), tool_input: z.unknown().optional() })).optional(),
});
const ApiRetry = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('api_retry'),
  retry_delay_ms: z.number().optional(),
  error_status: z.number().nullable().optional(),
});
const RateLimit = z.looseObject({
  type: z.literal('rate_limit_event'),
  rate_limit_info: z.looseObject({
    status: z.string(),
    resetsAt: z.number().optional(),
    rateLimitType: z.string().optional(),
  }),
});

const ARGV: StdinCli = {
  cli: 'Claude Code',
  head: ['-p', '--output-format', 'stream-json', '--verbose'],
  modes: { noun: 'permission mode', allowed: CLAUDE_PERMISSION_MODES },
  // `--resume` without a session id (or with a search term) opens a picker: only ids pass.
  sessionIds: { pattern: SESSION_UUID, are: 'a UUID' },
  modeFlags: (mode) => ['--permission-mode', mode],
  resumeFlags: (id) => ['--resume', id],
};

function toolResultText(content: z.infer<typeof ToolResultBlock>['content']): string | undefined {
  if (content === undefined) return undefined;
  if (typeof content === 'string') return content;
  return content.map((block) => block.text ?? '').join('');
}

/** The file a tool call will write, from the input key its tool names the file by. */
function fileOf(tool: { name: string; input?: unknown }): string | undefined {
  const spec = FILE_TOOLS[tool.name];
  const input = tool.input as Record<string, unknown> | undefined;
  return spec && input && typeof input[spec.key] === 'string' ? (input[spec.key] as string) : undefined;
}

/** What the handlers of one run share. */
interface Run {
  limits: LimitDetector;
  files: PendingFileChanges;
  /** The wait the CLI last announced before retrying a rate-limited call (`api_retry`), in ms. */
  retryDelayMs?: number;
}

function assistant(run: Run, event: z.infer<typeof Assistant>): AgentEvent[] {
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
      const file = fileOf(tool.data);
      if (file) run.files.expect(tool.data.id, file, FILE_TOOLS[tool.data.name]!.kind);
    }
    // thinking and other blocks carry nothing the loop uses.
  }
  // A synthetic assistant message with `error` is how the CLI reports a failed API call.
  if (event.error === 'rate_limit') run.limits.structured(texts.join(' ') || 'Claude rate limit');
  return out;
}

function user(run: Run, event: z.infer<typeof User>): AgentEvent[] {
  if (typeof event.message.content === 'string') return [{ type: 'message', role: 'user', text: event.message.content }];
  const out: AgentEvent[] = [];
  for (const raw of event.message.content) {
    const block = ToolResultBlock.safeParse(raw);
    if (!block.success) continue;
    const ok = block.data.is_error !== true;
    out.push(toolResultEvent(block.data.tool_use_id, ok, toolResultText(block.data.content)));
    out.push(...run.files.settle(block.data.tool_use_id, ok));
  }
  return out;
}

function result(run: Run, event: z.infer<typeof Result>): AgentEvent[] {
  const u = event.usage;
  const out: AgentEvent[] = [
    usageEvent({
      inputTokens: u?.input_tokens,
      outputTokens: u?.output_tokens,
      cacheReadTokens: u?.cache_read_input_tokens,
      cacheWriteTokens: u?.cache_creation_input_tokens,
      costUsd: event.total_cost_usd,
    }),
  ];
  // A refused edit still ends in a success: the refusals are listed beside it.
  const refusedEdits = (event.permission_denials ?? []).filter((d) => d.tool_name in FILE_TOOLS);
  if (refusedEdits.length > 0) {
    const what = refusedEdits.map((d) => `${d.tool_name} ${fileOf({ name: d.tool_name, input: d.tool_input }) ?? ''}`.trim());
    out.push(permissionEvent('Claude Code', `refused: ${what.join(', ')}`, { noun: 'permission mode', value: 'acceptEdits' }));
  }
  const ok = event.subtype === 'success' && event.is_error !== true;
  const summary = event.result ?? event.errors?.join('\n');
  if (ok) run.limits.recovered();
  else {
    // A plain rate limit its retries did not outlast: the server's retry-after, as the CLI last
    // waited it, says when to try again (the message names no time).
    const wait = run.retryDelayMs;
    const failure = limitOrError(run.limits, summary ?? event.subtype);
    if (failure.length === 0 && wait !== undefined) run.limits.structured(summary ?? event.subtype, Date.now() + wait, { ifNoReset: true });
    out.push(...failure);
  }
  out.push(resultEvent(ok, { summary, sessionId: event.session_id, durationMs: event.duration_ms, numTurns: event.num_turns }));
  return out;
}

function rateLimit(run: Run, event: z.infer<typeof RateLimit>): AgentEvent[] {
  const info = event.rate_limit_info;
  // "allowed" and "allowed_warning" only report utilisation; "rejected" stops the run.
  if (info.status === 'rejected') {
    const kind = info.rateLimitType ? `${info.rateLimitType.replace(/_/g, ' ')} ` : '';
    run.limits.structured(`Claude ${kind}limit reached`, info.resetsAt === undefined ? undefined : info.resetsAt * 1000);
  }
  return [];
}

function createParser(): AgentStreamParser {
  const run: Run = { limits: new LimitDetector(), files: new PendingFileChanges() };
  return jsonLinesParser({
    limits: run.limits,
    events: byType({
      system: (json) =>
        on(SystemInit, (init) => [sessionEvent(init.session_id, init.model)])(json) ??
        on(ApiRetry, (retry) => {
          if (retry.error_status === 429 && retry.retry_delay_ms !== undefined) run.retryDelayMs = retry.retry_delay_ms;
          return [];
        })(json),
      assistant: on(Assistant, (event) => assistant(run, event)),
      user: on(User, (event) => user(run, event)),
      result: on(Result, (event) => result(run, event)),
      rate_limit_event: on(RateLimit, (event) => rateLimit(run, event)),
    }),
  });
}

/** Claude Code (`@anthropic-ai/claude-code`). */
export const claudeCodeAdapter: AgentAdapter = {
  kind: 'claude-code',
  displayName: 'Claude Code',
  executable: 'claude',
  installHint: 'npm install -g @anthropic-ai/claude-code',
  checkedVersions: ['2.1.197'],
  buildCommand: (options) => stdinCommand(ARGV, options),
  // Its default mode asks before every edit, and headless nobody answers: every edit is refused.
  defaultPermissionMode: () => 'acceptEdits',
  // `default` asks before an edit, and a headless run has nobody to answer; `dontAsk` refuses what is not pre-approved.
  readOnlyModes: ['default', 'dontAsk', 'plan'],
  createParser,
  // CLAUDE_CONFIG_DIR moves the folder and the file into one place.
  ownPaths: (home, env) =>
    env.CLAUDE_CONFIG_DIR
      ? { folders: [env.CLAUDE_CONFIG_DIR] }
      : { folders: [join(home, '.claude')], files: [join(home, '.claude.json')] },
};
