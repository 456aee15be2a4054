/**
 * Gemini CLI adapter: headless mode with `--output-format stream-json`, prompt on stdin.
 * Events are the CLI's JsonStreamEventType JSONL (init, message, tool_use, tool_result, error,
 * result); see test/fixtures/agent-streams/README.md.
 */
import { z } from 'zod';
import type { AgentAdapter, AgentCommand, AgentEvent, AgentRunOptions, AgentStreamParser } from './types.ts';
import { LimitDetector, looksLikeLimit, parseJsonObject } from './limits.ts';

/** Values `gemini --help` lists for `--approval-mode` (0.61.0). */
export const GEMINI_APPROVAL_MODES = ['default', 'auto_edit', 'yolo', 'plan'] as const;

/**
 * `--resume` also takes "latest" and list indexes, which would pick whatever session is newest:
 * only a session UUID names exactly one session.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The CLI exits with a quota error's HTTP status (`process.exit(429)`); POSIX keeps the low
 * byte, so 429 arrives as 173. Windows keeps 429.
 */
const QUOTA_EXIT_CODES = [429, 429 & 0xff];

/** Tools whose parameters name the file they write. */
const FILE_TOOLS: Record<string, 'modify' | undefined> = { write_file: undefined, replace: 'modify' };

const Init = z.looseObject({ type: z.literal('init'), session_id: z.string(), model: z.string().optional() });
const Message = z.looseObject({
  type: z.literal('message'),
  role: z.string(),
  content: z.string(),
  delta: z.boolean().optional(),
});
const ToolUse = z.looseObject({
  type: z.literal('tool_use'),
  tool_name: z.string(),
  tool_id: z.string(),
  parameters: z.unknown().optional(),
});
const ToolResult = z.looseObject({
  type: z.literal('tool_result'),
  tool_id: z.string(),
  status: z.string(),
  output: z.string().optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string() }).optional(),
});
const ErrorEvent = z.looseObject({ type: z.literal('error'), severity: z.string().optional(), message: z.string() });
const Result = z.looseObject({
  type: z.literal('result'),
  status: z.string(),
  error: z.looseObject({ type: z.string().optional(), message: z.string() }).optional(),
  stats: z
    .looseObject({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cached: z.number().optional(),
      duration_ms: z.number().optional(),
    })
    .optional(),
});

function buildCommand(options: AgentRunOptions): AgentCommand {
  // `--prompt` switches to headless mode and is appended to stdin; empty, the prompt is stdin
  // alone. `--skip-trust`: Goldloop runs agents only in folders the user has trusted in Goldloop.
  const argv = ['--prompt', '', '--output-format', 'stream-json', '--skip-trust'];
  if (options.model) argv.push('--model', options.model);
  if (options.permissionMode !== undefined) {
    if (!(GEMINI_APPROVAL_MODES as readonly string[]).includes(options.permissionMode)) {
      throw new Error(`Gemini CLI approval mode "${options.permissionMode}" is not one of ${GEMINI_APPROVAL_MODES.join(', ')}.`);
    }
    argv.push('--approval-mode', options.permissionMode);
  }
  if (options.resumeSessionId !== undefined) {
    if (!UUID.test(options.resumeSessionId)) {
      throw new Error(`Gemini CLI session id "${options.resumeSessionId}" is not a UUID; cannot resume it.`);
    }
    argv.push('--resume', options.resumeSessionId);
  }
  argv.push(...(options.extraArgs ?? []));
  return { argv, stdin: options.prompt };
}

function createParser(): AgentStreamParser {
  const limits = new LimitDetector({ limitExitCodes: QUOTA_EXIT_CODES });
  const pendingFiles = new Map<string, { path: string; kind?: 'modify' }>();
  let sessionId: string | undefined;
  let buffered = '';
  let lastMessage: string | undefined;

  /** Assistant text arrives as deltas; the log wants one message per uninterrupted reply. */
  function flush(): AgentEvent[] {
    if (buffered === '') return [];
    const text = buffered;
    buffered = '';
    lastMessage = text;
    return [{ type: 'message', role: 'assistant', text }];
  }

  function structured(json: Record<string, unknown>): AgentEvent[] | undefined {
    const init = Init.safeParse(json);
    if (init.success) {
      sessionId = init.data.session_id;
      return [{ type: 'session', sessionId, ...(init.data.model ? { model: init.data.model } : {}) }];
    }
    const message = Message.safeParse(json);
    if (message.success) {
      // The user message is our own prompt echoed back: never evidence of anything.
      if (message.data.role !== 'assistant') return [];
      if (message.data.delta) {
        buffered += message.data.content;
        return [];
      }
      const events = flush();
      lastMessage = message.data.content;
      events.push({ type: 'message', role: 'assistant', text: message.data.content });
      return events;
    }
    const tool = ToolUse.safeParse(json);
    if (tool.success) {
      const params = tool.data.parameters as Record<string, unknown> | undefined;
      const path = params && typeof params.file_path === 'string' ? params.file_path : undefined;
      if (tool.data.tool_name in FILE_TOOLS && path) {
        const kind = FILE_TOOLS[tool.data.tool_name];
        pendingFiles.set(tool.data.tool_id, { path, ...(kind ? { kind } : {}) });
      }
      return [...flush(), { type: 'tool_call', name: tool.data.tool_name, id: tool.data.tool_id, input: tool.data.parameters }];
    }
    const result = ToolResult.safeParse(json);
    if (result.success) {
      const ok = result.data.status === 'success';
      const output = result.data.output ?? result.data.error?.message;
      const out: AgentEvent[] = [
        ...flush(),
        { type: 'tool_result', id: result.data.tool_id, ok, ...(output === undefined ? {} : { output }) },
      ];
      const file = pendingFiles.get(result.data.tool_id);
      pendingFiles.delete(result.data.tool_id);
      if (file && ok) out.push({ type: 'file_change', ...file });
      return out;
    }
    const error = ErrorEvent.safeParse(json);
    if (error.success) {
      const text = error.data.message;
      // Quota errors may still be retried; the final result decides whether the run ended on one.
      if (looksLikeLimit(text)) {
        limits.structured(text);
        return flush();
      }
      return [...flush(), error.data.severity === 'warning' ? { type: 'message', role: 'system', text } : { type: 'error', message: text }];
    }
    const final = Result.safeParse(json);
    if (final.success) return finalResult(final.data);
    return undefined;
  }

  function finalResult(event: z.infer<typeof Result>): AgentEvent[] {
    const out = flush();
    const s = event.stats;
    if (s) {
      out.push({
        type: 'usage',
        ...(s.input_tokens === undefined ? {} : { inputTokens: s.input_tokens }),
        ...(s.output_tokens === undefined ? {} : { outputTokens: s.output_tokens }),
        ...(s.cached === undefined ? {} : { cacheReadTokens: s.cached }),
      });
    }
    const ok = event.status === 'success';
    if (ok) {
      limits.recovered();
    } else {
      const message = event.error?.message ?? 'Gemini CLI run failed';
      if (event.error?.type === 'TerminalQuotaError' || looksLikeLimit(message)) limits.structured(message);
      else out.push({ type: 'error', message });
    }
    const summary = ok ? lastMessage : (event.error?.message ?? lastMessage);
    out.push({
      type: 'result',
      ok,
      ...(summary === undefined ? {} : { summary }),
      ...(sessionId ? { sessionId } : {}),
      ...(s?.duration_ms ? { durationMs: s.duration_ms } : {}),
    });
    return out;
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
      return [...flush(), ...limits.finish(exit)];
    },
  };
}

/** Google Gemini CLI (`@google/gemini-cli`). */
export const geminiAdapter: AgentAdapter = {
  kind: 'gemini',
  displayName: 'Gemini CLI',
  executable: 'gemini',
  installHint: 'npm install -g @google/gemini-cli',
  checkedVersions: ['0.61.0'],
  buildCommand,
  createParser,
};
