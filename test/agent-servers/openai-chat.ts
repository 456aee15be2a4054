/**
 * An OpenAI-compatible chat/completions API as OpenCode calls it through a custom provider
 * (`@ai-sdk/openai-compatible`): `POST /v1/chat/completions`, streamed as `data:` chunks with
 * content and tool-call deltas, a usage chunk, then `[DONE]`. Tools are OpenCode's own: `read`
 * and `edit`, with absolute paths. A request without tools is OpenCode's title request, a side
 * request that gets a title and no usage.
 */
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { json, sse, toldWorkingDirectory, type Dialect, type ModelRequest } from './scripted-server.ts';
import { callId, isResponse, type Reply, type ToolCall, type Usage } from './script.ts';

function toolCall(call: ToolCall, workdir: string): { name: string; args: Record<string, unknown> } {
  if ('read' in call) return { name: 'read', args: { filePath: join(workdir, call.read) } };
  const { path, old, new: replacement } = call.edit;
  return { name: 'edit', args: { filePath: join(workdir, path), oldString: old, newString: replacement } };
}

const hasTools = (request: ModelRequest): boolean => Array.isArray(request.body?.tools) && request.body.tools.length > 0;

function chunk(turn: number, choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `chatcmpl-scripted-${turn}`,
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: 'scripted-model',
    choices,
    ...extra,
  };
}

function stream(
  res: ServerResponse,
  reply: Extract<Reply, { text?: string }>,
  turn: number,
  usage: Usage | undefined,
  workdir: string,
): void {
  const out = sse(res);
  out.send(chunk(turn, [{ index: 0, delta: { role: 'assistant', content: reply.text ?? '' }, finish_reason: null }]));
  const calls = (reply.calls ?? []).map((call, index) => {
    const { name, args } = toolCall(call, workdir);
    return { index, id: callId(turn, index), type: 'function', function: { name, arguments: JSON.stringify(args) } };
  });
  if (calls.length) out.send(chunk(turn, [{ index: 0, delta: { tool_calls: calls }, finish_reason: null }]));
  out.send(chunk(turn, [{ index: 0, delta: {}, finish_reason: calls.length ? 'tool_calls' : 'stop' }]));
  if (usage) {
    const cached = usage.cached ?? 0;
    const counts = {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: cached },
    };
    out.send(chunk(turn, [], { usage: counts }));
  }
  out.send('[DONE]');
  out.end();
}

export function chatDialect(): Dialect {
  return {
    isTurn: (request) => request.path.startsWith('/v1/chat/completions') && hasTools(request),
    isSide: (request) => request.path.startsWith('/v1/chat/completions') && !hasTools(request),
    side: (_request, res) => stream(res, { text: 'Scripted session' }, 0, undefined, '/'),
    respond(reply, { turn, usage, request }, res) {
      if (isResponse(reply)) return stream(res, reply, turn, usage, toldWorkingDirectory(request));
      if ('usageLimit' in reply) {
        // OpenAI's quota answer names no reset time; the reset headers say when the window ends.
        const seconds = Math.max(1, Math.round((reply.usageLimit.resetAt - Date.now()) / 1000));
        return json(
          res,
          429,
          {
            error: {
              message: 'You exceeded your current quota, please check your plan and billing details.',
              type: 'insufficient_quota',
              param: null,
              code: 'insufficient_quota',
            },
          },
          { 'retry-after': String(seconds), 'x-ratelimit-reset-requests': `${seconds}s` },
        );
      }
      return json(
        res,
        429,
        { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
        { 'retry-after': String(reply.rateLimit.retryAfterS), 'x-ratelimit-reset-requests': `${reply.rateLimit.retryAfterS}s` },
      );
    },
  };
}
