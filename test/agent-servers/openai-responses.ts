/**
 * The OpenAI Responses API as Codex calls it through a custom provider (`wire_api = "responses"`):
 * `POST /v1/responses`, streamed as Server-Sent Events (response.created, output items added and
 * done, response.completed with the usage). Tools are Codex's own: `exec_command` to read a file
 * (`cat`) and the freeform `apply_patch` to edit one.
 */
import type { ServerResponse } from 'node:http';
import { json, sse, type Dialect } from './scripted-server.ts';
import { callId, isResponse, patchFor, type Reply, type ToolCall, type Usage } from './script.ts';

function item(call: ToolCall, id: string): Record<string, unknown> {
  if ('read' in call)
    return {
      type: 'function_call',
      id: `fc_${id}`,
      call_id: id,
      name: 'exec_command',
      arguments: JSON.stringify({ cmd: `cat ${call.read}` }),
    };
  return { type: 'custom_tool_call', id: `ctc_${id}`, call_id: id, name: 'apply_patch', input: patchFor(call.edit) };
}

function stream(res: ServerResponse, reply: Extract<Reply, { text?: string }>, turn: number, usage: Usage): void {
  const out = sse(res);
  const send = (data: Record<string, unknown>): void => out.send(data, data.type as string);
  const id = `resp_scripted_${turn}`;
  const items: Record<string, unknown>[] = [];
  if (reply.text) {
    const content = [{ type: 'output_text', text: reply.text, annotations: [] }];
    items.push({ type: 'message', id: `msg_scripted_${turn}`, role: 'assistant', status: 'completed', content });
  }
  for (const [i, call] of (reply.calls ?? []).entries()) items.push({ ...item(call, callId(turn, i)), status: 'completed' });
  send({ type: 'response.created', response: { id, status: 'in_progress' } });
  items.forEach((it, index) => {
    send({ type: 'response.output_item.added', output_index: index, item: it });
    send({ type: 'response.output_item.done', output_index: index, item: it });
  });
  const cached = usage.cached ?? 0;
  send({
    type: 'response.completed',
    response: {
      id,
      status: 'completed',
      // OpenAI counts cached tokens inside input_tokens.
      usage: {
        input_tokens: usage.input,
        input_tokens_details: { cached_tokens: cached },
        output_tokens: usage.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.input + usage.output,
      },
    },
  });
  out.end();
}

export function responsesDialect(): Dialect {
  return {
    isTurn: (request) => request.path.startsWith('/v1/responses'),
    respond(reply, { turn, usage }, res) {
      if (isResponse(reply)) return stream(res, reply, turn, usage!);
      if ('usageLimit' in reply) {
        // The ChatGPT plan's answer: error type usage_limit_reached with the reset, which Codex
        // words as "You've hit your usage limit … try again at <time>".
        const resetsAt = Math.floor(reply.usageLimit.resetAt / 1000);
        return json(
          res,
          429,
          {
            error: {
              type: 'usage_limit_reached',
              message: 'The usage limit has been reached',
              plan_type: 'plus',
              resets_at: resetsAt,
              resets_in_seconds: Math.max(0, resetsAt - Math.floor(Date.now() / 1000)),
            },
          },
          { 'x-codex-primary-used-percent': '100', 'x-codex-primary-window-minutes': '300', 'x-codex-primary-reset-at': String(resetsAt) },
        );
      }
      return json(
        res,
        429,
        {
          error: {
            type: 'rate_limit_exceeded',
            code: 'rate_limit_exceeded',
            message: `Rate limit reached for requests. Please try again in ${reply.rateLimit.retryAfterS}s.`,
          },
        },
        { 'retry-after': String(reply.rateLimit.retryAfterS) },
      );
    },
  };
}
