/**
 * Gemini CLI adapter: headless mode with `--output-format stream-json`, prompt on stdin.
 * Events are the CLI's JsonStreamEventType JSONL (init, message, tool_use, tool_result, error,
 * result); see test/fixtures/agent-streams/README.md.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { SESSION_UUID, stdinCommand, type StdinCli } from './argv.ts';
import { limitOrError, PendingFileChanges, permissionEvent, RunMemory, sessionEvent, toolResultEvent, usageEvent } from './events.ts';
import { byType, jsonLinesParser, on } from './json-lines.ts';
import { LimitDetector } from './limits.ts';
import type { AgentAdapter, AgentEvent, AgentStreamParser } from './types.ts';

/** Values `gemini --help` lists for `--approval-mode` (0.61.0). */
export const GEMINI_APPROVAL_MODES = ['default', 'auto_edit', 'yolo', 'plan'] as const;

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

const ARGV: StdinCli = {
  cli: 'Gemini CLI',
  // `--prompt` switches to headless mode and is appended to stdin; empty, the prompt is stdin
  // alone. `--skip-trust`: Goldloop runs agents only in folders the user has trusted in Goldloop.
  head: ['--prompt', '', '--output-format', 'stream-json', '--skip-trust'],
  modes: { noun: 'approval mode', allowed: GEMINI_APPROVAL_MODES },
  // `--resume` also takes "latest" and list indexes, which would pick whatever session is newest.
  sessionIds: { pattern: SESSION_UUID, are: 'a UUID' },
  modeFlags: (mode) => ['--approval-mode', mode],
  resumeFlags: (id) => ['--resume', id],
};

/** The next midnight in America/Los_Angeles, when the Gemini API's per-day quotas reset. */
export function nextPacificMidnight(now: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const sinceMidnight = ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000 + now.getUTCMilliseconds();
  const next = now.getTime() - sinceMidnight + 24 * 3_600_000;
  // On a day the clocks change, the day is 23 or 25 hours long: correct by the zone's own hour.
  const hourThere = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', hour: '2-digit' }).format(next),
  );
  return next - (hourThere === 23 ? -3_600_000 : hourThere === 1 ? 3_600_000 : 0);
}

/** What the handlers of one run share. */
interface Run {
  limits: LimitDetector;
  files: PendingFileChanges;
  memory: RunMemory;
  /** Assistant text deltas not yet logged. */
  buffered: string;
}

/** Assistant text arrives as deltas; the log wants one message per uninterrupted reply. */
function flush(run: Run): AgentEvent[] {
  if (run.buffered === '') return [];
  const text = run.buffered;
  run.buffered = '';
  run.memory.lastMessage = text;
  return [{ type: 'message', role: 'assistant', text }];
}

function message(run: Run, event: z.infer<typeof Message>): AgentEvent[] {
  // The user message is our own prompt echoed back: never evidence of anything.
  if (event.role !== 'assistant') return [];
  if (event.delta) {
    run.buffered += event.content;
    return [];
  }
  const events = flush(run);
  run.memory.lastMessage = event.content;
  return [...events, { type: 'message', role: 'assistant', text: event.content }];
}

function toolUse(run: Run, tool: z.infer<typeof ToolUse>): AgentEvent[] {
  const params = tool.parameters as Record<string, unknown> | undefined;
  const path = params && typeof params.file_path === 'string' ? params.file_path : undefined;
  if (tool.tool_name in FILE_TOOLS && path) run.files.expect(tool.tool_id, path, FILE_TOOLS[tool.tool_name]);
  return [...flush(run), { type: 'tool_call', name: tool.tool_name, id: tool.tool_id, input: tool.parameters }];
}

function toolResult(run: Run, result: z.infer<typeof ToolResult>): AgentEvent[] {
  const ok = result.status === 'success';
  const output = result.output ?? result.error?.message;
  // Without an approval mode that allows edits, the CLI offers no edit tool at all.
  const missing = !ok && /Tool "(replace|write_file)" not found/.exec(output ?? '');
  const refused = missing
    ? [permissionEvent('Gemini CLI', `it offered no ${missing[1]} tool`, { noun: 'approval mode', value: 'auto_edit' })]
    : [];
  return [...flush(run), toolResultEvent(result.tool_id, ok, output), ...run.files.settle(result.tool_id, ok), ...refused];
}

function error(run: Run, event: z.infer<typeof ErrorEvent>): AgentEvent[] {
  const text = event.message;
  const warning: AgentEvent = { type: 'message', role: 'system', text };
  // Quota errors may still be retried; the final result decides whether the run ended on one.
  return [...flush(run), ...limitOrError(run.limits, text, event.severity === 'warning' ? { otherwise: warning } : {})];
}

function finalResult(run: Run, event: z.infer<typeof Result>): AgentEvent[] {
  const out = flush(run);
  const s = event.stats;
  // `input_tokens` already counts the cached ones, as the Gemini API's promptTokenCount does.
  const input = s?.input_tokens === undefined ? undefined : s.input_tokens - (s.cached ?? 0);
  if (s) out.push(usageEvent({ inputTokens: input, outputTokens: s.output_tokens, cacheReadTokens: s.cached }));
  const ok = event.status === 'success';
  if (ok) run.limits.recovered();
  else {
    const message = event.error?.message ?? 'Gemini CLI run failed';
    out.push(...limitOrError(run.limits, message, { limit: event.error?.type === 'TerminalQuotaError' }));
    // It prints no reset time; a per-day quota resets at midnight Pacific time (Gemini API docs).
    if (/daily quota/i.test(message)) run.limits.structured(message, nextPacificMidnight(new Date()), { ifNoReset: true });
  }
  const summary = ok ? run.memory.lastMessage : (event.error?.message ?? run.memory.lastMessage);
  out.push(run.memory.result(ok, summary, s?.duration_ms || undefined));
  return out;
}

function createParser(): AgentStreamParser {
  const run: Run = {
    limits: new LimitDetector({ limitExitCodes: QUOTA_EXIT_CODES }),
    files: new PendingFileChanges(),
    memory: new RunMemory(),
    buffered: '',
  };
  return jsonLinesParser({
    limits: run.limits,
    events: byType({
      init: on(Init, (init) => {
        run.memory.sessionId = init.session_id;
        return [sessionEvent(init.session_id, init.model)];
      }),
      message: on(Message, (event) => message(run, event)),
      tool_use: on(ToolUse, (event) => toolUse(run, event)),
      tool_result: on(ToolResult, (event) => toolResult(run, event)),
      error: on(ErrorEvent, (event) => error(run, event)),
      result: on(Result, (event) => finalResult(run, event)),
    }),
    closing: () => flush(run),
  });
}

/** Google Gemini CLI (`@google/gemini-cli`). */
export const geminiAdapter: AgentAdapter = {
  kind: 'gemini',
  displayName: 'Gemini CLI',
  executable: 'gemini',
  installHint: 'npm install -g @google/gemini-cli',
  checkedVersions: ['0.61.0'],
  buildCommand: (options) => stdinCommand(ARGV, options),
  // Its default offers no edit tool headless; auto_edit approves edits (not shell commands).
  defaultPermissionMode: () => 'auto_edit',
  // Headless, `default` offers no edit tool at all (nobody could approve one).
  readOnlyModes: ['default', 'plan'],
  createParser,
  ownPaths: (home) => ({ folders: [join(home, '.gemini')] }),
};
