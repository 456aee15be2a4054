/**
 * OpenCode adapter: `opencode run --format json`, prompt on stdin (the CLI reads piped stdin as
 * the message). Each line is `{type, timestamp, sessionID, ...}` with a message part (step_start,
 * text, reasoning, tool_use, step_finish) or an `error`; see test/fixtures/agent-streams/README.md.
 */
import { z } from 'zod';
import type { AgentAdapter, AgentCommand, AgentEvent, AgentRunOptions, AgentStreamParser } from './types.ts';
import { LimitDetector, looksLikeLimit, parseJsonObject } from './limits.ts';

/**
 * OpenCode has no permission-mode flag, only `--auto` (approve what is not explicitly denied);
 * without it `run` rejects every permission request.
 */
export const OPENCODE_PERMISSION_MODES = ['default', 'auto'] as const;

const SESSION_ID = /^[A-Za-z0-9][\w-]*$/;

const Envelope = z.looseObject({ type: z.string(), sessionID: z.string().optional() });
const TextPart = z.looseObject({ type: z.literal('text'), part: z.looseObject({ text: z.string() }) });
const ToolPart = z.looseObject({
  type: z.literal('tool_use'),
  part: z.looseObject({
    callID: z.string().optional(),
    tool: z.string(),
    state: z.looseObject({
      status: z.string(),
      input: z.record(z.string(), z.unknown()).optional(),
      output: z.string().optional(),
      error: z.string().optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
});
const StepFinish = z.looseObject({
  type: z.literal('step_finish'),
  part: z.looseObject({
    cost: z.number().optional(),
    tokens: z
      .looseObject({
        input: z.number().optional(),
        output: z.number().optional(),
        cache: z.looseObject({ read: z.number().optional(), write: z.number().optional() }).optional(),
      })
      .optional(),
  }),
});
const ErrorEvent = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({
    name: z.string().optional(),
    data: z.looseObject({ message: z.string().optional(), statusCode: z.number().optional() }).optional(),
  }),
});

function buildCommand(options: AgentRunOptions): AgentCommand {
  const argv = ['run', '--format', 'json'];
  if (options.model) {
    if (!options.model.includes('/')) {
      throw new Error(`OpenCode model "${options.model}" must be written provider/model, e.g. anthropic/claude-sonnet-4.`);
    }
    argv.push('--model', options.model);
  }
  const mode = options.permissionMode;
  if (mode !== undefined) {
    if (!(OPENCODE_PERMISSION_MODES as readonly string[]).includes(mode)) {
      throw new Error(`OpenCode permission mode "${mode}" is not one of ${OPENCODE_PERMISSION_MODES.join(', ')}.`);
    }
    if (mode === 'auto') argv.push('--auto');
  }
  if (options.resumeSessionId !== undefined) {
    if (!SESSION_ID.test(options.resumeSessionId)) {
      throw new Error(`OpenCode session id "${options.resumeSessionId}" is not a session id; cannot resume it.`);
    }
    argv.push('--session', options.resumeSessionId);
  }
  argv.push(...(options.extraArgs ?? []));
  return { argv, stdin: options.prompt };
}

/** Paths an `apply_patch` patch touches, from its `*** Add/Update/Delete File:` headers. */
function patchFiles(patch: string): { path: string; kind: 'add' | 'modify' | 'delete' }[] {
  const kinds = { Add: 'add', Update: 'modify', Delete: 'delete' } as const;
  const out: { path: string; kind: 'add' | 'modify' | 'delete' }[] = [];
  for (const m of patch.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)) {
    out.push({ path: m[2]!.trim(), kind: kinds[m[1] as keyof typeof kinds] });
  }
  return out;
}

function changedFiles(tool: string, input: Record<string, unknown>): AgentEvent[] {
  if ((tool === 'edit' || tool === 'multiedit') && typeof input.filePath === 'string') {
    return [{ type: 'file_change', path: input.filePath, kind: 'modify' }];
  }
  if (tool === 'write' && typeof input.filePath === 'string') return [{ type: 'file_change', path: input.filePath }];
  if ((tool === 'apply_patch' || tool === 'patch') && typeof input.patchText === 'string') {
    return patchFiles(input.patchText).map((f) => ({ type: 'file_change', ...f }));
  }
  return [];
}

function createParser(): AgentStreamParser {
  const limits = new LimitDetector();
  let sessionId: string | undefined;
  let lastMessage: string | undefined;
  let failed = false;

  function structured(json: Record<string, unknown>, line: string): AgentEvent[] | undefined {
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) return undefined;
    const out: AgentEvent[] = [];
    // There is no init event: the first line to carry a session id announces the session.
    if (!sessionId && envelope.data.sessionID) {
      sessionId = envelope.data.sessionID;
      out.push({ type: 'session', sessionId });
    }
    const events = translate(json);
    if (!events) return out.length > 0 ? [...out, { type: 'raw', stream: 'stdout', line }] : undefined;
    return [...out, ...events];
  }

  function translate(json: Record<string, unknown>): AgentEvent[] | undefined {
    if (json.type === 'step_start' || json.type === 'reasoning') return [];
    const text = TextPart.safeParse(json);
    if (text.success) {
      lastMessage = text.data.part.text;
      return [{ type: 'message', role: 'assistant', text: text.data.part.text }];
    }
    const tool = ToolPart.safeParse(json);
    if (tool.success) {
      const { callID, tool: name, state } = tool.data.part;
      const ok = state.status === 'completed';
      const output = ok ? state.output : state.error;
      return [
        { type: 'tool_call', name, ...(callID ? { id: callID } : {}), input: state.input },
        { type: 'tool_result', ...(callID ? { id: callID } : {}), ok, ...(output === undefined ? {} : { output }) },
        ...(ok ? changedFiles(name, state.input ?? {}) : []),
      ];
    }
    const step = StepFinish.safeParse(json);
    if (step.success) {
      const { cost, tokens } = step.data.part;
      return [
        {
          type: 'usage',
          ...(tokens?.input === undefined ? {} : { inputTokens: tokens.input }),
          ...(tokens?.output === undefined ? {} : { outputTokens: tokens.output }),
          ...(tokens?.cache?.read === undefined ? {} : { cacheReadTokens: tokens.cache.read }),
          ...(tokens?.cache?.write === undefined ? {} : { cacheWriteTokens: tokens.cache.write }),
          ...(cost === undefined ? {} : { costUsd: cost }),
        },
      ];
    }
    const error = ErrorEvent.safeParse(json);
    if (error.success) {
      failed = true;
      const { name, data } = error.data.error;
      const message = data?.message ?? name ?? 'OpenCode error';
      if (data?.statusCode === 429 || looksLikeLimit(message)) {
        limits.structured(message);
        return [];
      }
      return [{ type: 'error', message: name && data?.message ? `${name}: ${data.message}` : message }];
    }
    return undefined;
  }

  return {
    line(text, stream) {
      const json = stream === 'stdout' ? parseJsonObject(text) : undefined;
      const events = json ? structured(json, text) : undefined;
      if (events) return events;
      if (!json) limits.plain(text);
      return [{ type: 'raw', stream, line: text }];
    },
    end(exit) {
      // `run` prints no closing event: the exit is the result.
      const ok = exit.code === 0 && !failed && !exit.killedByGoldloop;
      return [
        { type: 'result', ok, ...(lastMessage === undefined ? {} : { summary: lastMessage }), ...(sessionId ? { sessionId } : {}) },
        ...limits.finish(exit),
      ];
    },
  };
}

/** OpenCode (`opencode-ai`). */
export const opencodeAdapter: AgentAdapter = {
  kind: 'opencode',
  displayName: 'OpenCode',
  executable: 'opencode',
  installHint: 'npm install -g opencode-ai',
  checkedVersions: ['1.18.33'],
  buildCommand,
  createParser,
};
