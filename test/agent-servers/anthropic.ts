/**
 * The Anthropic Messages API as Claude Code calls it (`ANTHROPIC_BASE_URL`): `POST /v1/messages`,
 * streamed as Server-Sent Events (message_start, content blocks with text and input_json deltas,
 * message_delta with the stop reason and output tokens, message_stop). Tools are Claude Code's
 * own: Read and Edit, with absolute paths.
 */
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { json, sse, toldWorkingDirectory, type Dialect } from './scripted-server.ts';
import { callId, isResponse, type Reply, type ToolCall, type Usage } from './script.ts';

function toolUse(call: ToolCall, workdir: string): { name: string; input: Record<string, unknown> } {
  if ('read' in call) return { name: 'Read', input: { file_path: join(workdir, call.read) } };
  const { path, old, new: replacement } = call.edit;
  return { name: 'Edit', input: { file_path: join(workdir, path), old_string: old, new_string: replacement } };
}

function stream(res: ServerResponse, reply: Extract<Reply, { text?: string }>, turn: number, usage: Usage, workdir: string): void {
  const out = sse(res);
  const send = (type: string, data: Record<string, unknown>): void => out.send({ type, ...data }, type);
  const cached = usage.cached ?? 0;
  send('message_start', {
    message: {
      id: `msg_scripted_${turn}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Anthropic counts cache reads apart from input_tokens.
      usage: { input_tokens: usage.input - cached, cache_read_input_tokens: cached, cache_creation_input_tokens: 0, output_tokens: 1 },
    },
  });
  let index = 0;
  if (reply.text) {
    send('content_block_start', { index, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index, delta: { type: 'text_delta', text: reply.text } });
    send('content_block_stop', { index });
    index += 1;
  }
  for (const [i, call] of (reply.calls ?? []).entries()) {
    const { name, input } = toolUse(call, workdir);
    send('content_block_start', { index, content_block: { type: 'tool_use', id: `toolu_${callId(turn, i)}`, name, input: {} } });
    send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } });
    send('content_block_stop', { index });
    index += 1;
  }
  const stop = reply.calls?.length ? 'tool_use' : 'end_turn';
  send('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } });
  send('message_stop', {});
  out.end();
}

export function anthropicDialect(): Dialect {
  return {
    isTurn: (request) => request.path.startsWith('/v1/messages') && !request.path.startsWith('/v1/messages/count_tokens'),
    respond(reply, { turn, usage, request }, res) {
      if (isResponse(reply)) return stream(res, reply, turn, usage!, toldWorkingDirectory(request));
      if ('usageLimit' in reply) {
        // A subscription's limit: the unified rate-limit headers say rejected and when it resets;
        // the message carries the reset epoch after a bar, which Claude Code prints as it is.
        const reset = String(Math.floor(reply.usageLimit.resetAt / 1000));
        return json(
          res,
          429,
          { type: 'error', error: { type: 'rate_limit_error', message: `Claude AI usage limit reached|${reset}` } },
          {
            'anthropic-ratelimit-unified-status': 'rejected',
            'anthropic-ratelimit-unified-reset': reset,
            'anthropic-ratelimit-unified-representative-claim': 'five_hour',
            'x-should-retry': 'false',
            'request-id': `req_scripted_${turn}`,
          },
        );
      }
      return json(
        res,
        429,
        {
          type: 'error',
          error: {
            type: 'rate_limit_error',
            message: 'This request would exceed the rate limit for your organization of 50 requests per minute.',
          },
        },
        { 'retry-after': String(reply.rateLimit.retryAfterS), 'request-id': `req_scripted_${turn}` },
      );
    },
  };
}
