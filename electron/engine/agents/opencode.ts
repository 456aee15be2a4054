/**
 * OpenCode adapter: `opencode run --format json`, prompt on stdin (the CLI reads piped stdin as
 * the message). Each line is `{type, timestamp, sessionID, ...}` with a message part (step_start,
 * text, reasoning, tool_use, step_finish) or an `error`; see test/fixtures/agent-streams/README.md.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { modelFlags, stdinCommand, type StdinCli } from './argv.ts';
import { fileChangeEvent, limitOrError, RunMemory, sessionEvent, toolResultEvent, usageEvent, type FileKind } from './events.ts';
import { byType, jsonLinesParser, on } from './json-lines.ts';
import { LimitDetector, looksLikeLimit } from './limits.ts';
import type { AgentAdapter, AgentEvent, AgentStreamParser } from './types.ts';

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

const ARGV: StdinCli = {
  cli: 'OpenCode',
  // Its errors log (on stderr) is the only sign of a model call it retries silently: a long
  // retry-after leaves it waiting without a line on stdout.
  head: ['run', '--format', 'json', '--print-logs', '--log-level', 'ERROR'],
  modelFlags: (model) => {
    if (!model.includes('/')) throw new Error(`OpenCode model "${model}" must be written provider/model, e.g. anthropic/claude-sonnet-4.`);
    return modelFlags(model);
  },
  modes: { noun: 'permission mode', allowed: OPENCODE_PERMISSION_MODES },
  sessionIds: { pattern: SESSION_ID, are: 'a session id' },
  modeFlags: (mode) => (mode === 'auto' ? ['--auto'] : []),
  resumeFlags: (id) => ['--session', id],
};

/** Files an `apply_patch` patch touches, from its `*** Add/Update/Delete File:` headers. */
function patchedFiles(patch: string): AgentEvent[] {
  const kinds: Record<string, FileKind> = { Add: 'add', Update: 'modify', Delete: 'delete' };
  return [...patch.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)].map((m) => fileChangeEvent(m[2]!.trim(), kinds[m[1]!]));
}

/** The files a successful tool call changed, by the input its tool names them in. */
function changedFiles(tool: string, input: Record<string, unknown>): AgentEvent[] {
  if ((tool === 'edit' || tool === 'multiedit') && typeof input.filePath === 'string') return [fileChangeEvent(input.filePath, 'modify')];
  if (tool === 'write' && typeof input.filePath === 'string') return [fileChangeEvent(input.filePath, undefined)];
  if ((tool === 'apply_patch' || tool === 'patch') && typeof input.patchText === 'string') return patchedFiles(input.patchText);
  return [];
}

function toolUse(part: z.infer<typeof ToolPart>['part']): AgentEvent[] {
  const { callID, tool: name, state } = part;
  const ok = state.status === 'completed';
  return [
    { type: 'tool_call', name, ...(callID ? { id: callID } : {}), input: state.input },
    toolResultEvent(callID || undefined, ok, ok ? state.output : state.error),
    ...(ok ? changedFiles(name, state.input ?? {}) : []),
  ];
}

function stepUsage({ cost, tokens }: z.infer<typeof StepFinish>['part']): AgentEvent[] {
  return [
    usageEvent({
      inputTokens: tokens?.input,
      outputTokens: tokens?.output,
      cacheReadTokens: tokens?.cache?.read,
      cacheWriteTokens: tokens?.cache?.write,
      costUsd: cost,
    }),
  ];
}

function createParser(): AgentStreamParser {
  const limits = new LimitDetector();
  const memory = new RunMemory();
  let failed = false;

  const translate = byType({
    step_start: () => [],
    reasoning: () => [],
    text: on(TextPart, ({ part }) => {
      memory.lastMessage = part.text;
      return [{ type: 'message', role: 'assistant', text: part.text }];
    }),
    tool_use: on(ToolPart, ({ part }) => toolUse(part)),
    step_finish: on(StepFinish, ({ part }) => {
      limits.recovered();
      return stepUsage(part);
    }),
    error: on(ErrorEvent, ({ error: { name, data } }) => {
      failed = true;
      const message = data?.message ?? name ?? 'OpenCode error';
      const error: AgentEvent = { type: 'error', message: name && data?.message ? `${name}: ${data.message}` : message };
      return limitOrError(limits, message, { limit: data?.statusCode === 429, otherwise: error });
    }),
  });

  function events(json: Record<string, unknown>, line: string): AgentEvent[] | undefined {
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) return undefined;
    const session: AgentEvent[] = [];
    // There is no init event: the first line to carry a session id announces the session.
    if (!memory.sessionId && envelope.data.sessionID) {
      memory.sessionId = envelope.data.sessionID;
      session.push(sessionEvent(envelope.data.sessionID, undefined));
    }
    const translated = translate(json);
    if (!translated) return session.length > 0 ? [...session, { type: 'raw', stream: 'stdout', line }] : undefined;
    return [...session, ...translated];
  }

  return jsonLinesParser({
    limits,
    events,
    // `level=ERROR … message="stream error" … error.error="AI_APICallError: Rate limit reached …"`:
    // a failed model call it retries; a limit until a step finishes.
    plain: (text, stream) => {
      const error = stream === 'stderr' && /message="stream error"/.test(text) ? /error\.error="([^"]*)"/.exec(text)?.[1] : undefined;
      if (error && looksLikeLimit(error)) limits.structured(error);
      return [];
    },
    // `run` prints no closing event: the exit is the result.
    closing: (exit) => [memory.result(exit.code === 0 && !failed && !exit.killedByGoldloop)],
  });
}

/** OpenCode (`opencode-ai`). */
export const opencodeAdapter: AgentAdapter = {
  kind: 'opencode',
  displayName: 'OpenCode',
  executable: 'opencode',
  installHint: 'npm install -g opencode-ai',
  checkedVersions: ['1.18.33'],
  // It takes its folder from $PWD, not from its working directory: `--dir` names it as well (the
  // runner sets PWD to the project too, for every agent).
  buildCommand: (options) => stdinCommand({ ...ARGV, head: [...ARGV.head, '--dir', options.cwd] }, options),
  createParser,
  // Its config, data, cache (where it installs its provider packages) and state, by the XDG rules.
  ownPaths: (home, env) => ({
    folders: [
      join(env.XDG_CONFIG_HOME || join(home, '.config'), 'opencode'),
      join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'opencode'),
      join(env.XDG_CACHE_HOME || join(home, '.cache'), 'opencode'),
      join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'opencode'),
    ],
    files: env.OPENCODE_CONFIG ? [env.OPENCODE_CONFIG] : [],
  }),
};
