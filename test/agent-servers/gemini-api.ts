/**
 * The Gemini API as Gemini CLI calls it (`GOOGLE_GEMINI_BASE_URL`):
 * `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` for the agent's turns, streamed as
 * `data:` chunks of candidates with text and function calls and the usage metadata. A plain
 * `:generateContent` is one of the CLI's own checks (which model to route to, who speaks next): a
 * side request, answered with the JSON it asks for. Tools are Gemini CLI's own: `read_file` and
 * `replace`.
 */
import type { ServerResponse } from 'node:http';
import { json, type Dialect, type ModelRequest } from './scripted-server.ts';
import { isResponse, type Reply, type ToolCall, type Usage } from './script.ts';

function functionCall(call: ToolCall): { name: string; args: Record<string, unknown> } {
  if ('read' in call) return { name: 'read_file', args: { file_path: call.read } };
  const { path, old, new: replacement } = call.edit;
  return { name: 'replace', args: { file_path: path, old_string: old, new_string: replacement, instruction: `Edit ${path}` } };
}

function stream(res: ServerResponse, reply: Extract<Reply, { text?: string }>, usage: Usage): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const parts: Record<string, unknown>[] = [];
  if (reply.text) parts.push({ text: reply.text });
  for (const call of reply.calls ?? []) parts.push({ functionCall: functionCall(call) });
  const usageMetadata = {
    // Gemini counts cached tokens inside promptTokenCount.
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output,
    cachedContentTokenCount: usage.cached ?? 0,
  };
  const candidate = { content: { role: 'model', parts }, finishReason: 'STOP', index: 0 };
  res.write(`data: ${JSON.stringify({ candidates: [candidate], usageMetadata, modelVersion: 'gemini-2.5-pro' })}\r\n\r\n`);
  res.end();
}

/** The JSON a check asks for (its response schema), with the answer that lets the turn end. */
function sideAnswer(request: ModelRequest): string {
  const config = request.body?.generationConfig as { responseJsonSchema?: { properties?: Record<string, unknown> } } | undefined;
  const wants = Object.keys(config?.responseJsonSchema?.properties ?? {});
  if (wants.includes('next_speaker')) return JSON.stringify({ reasoning: 'The model finished its answer.', next_speaker: 'user' });
  if (wants.includes('complexity_score')) return JSON.stringify({ complexity_reasoning: 'A small edit.', complexity_score: 10 });
  return JSON.stringify({});
}

/** A quota answer as the Gemini API gives it: RESOURCE_EXHAUSTED with the quota that ran out and when to retry. */
function quotaBody(message: string, quotaId: string, retryDelay: string): unknown {
  return {
    error: {
      code: 429,
      message,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            { quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId, quotaValue: '250' },
          ],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
      ],
    },
  };
}

export function geminiDialect(): Dialect {
  return {
    isTurn: (request) => request.path.includes(':streamGenerateContent'),
    isSide: (request) => request.path.includes(':generateContent'),
    side: (request, res) =>
      json(res, 200, {
        candidates: [{ content: { role: 'model', parts: [{ text: sideAnswer(request) }] }, finishReason: 'STOP', index: 0 }],
      }),
    respond(reply, { usage }, res) {
      if (isResponse(reply)) return stream(res, reply, usage!);
      if ('usageLimit' in reply) {
        const seconds = Math.max(1, Math.round((reply.usageLimit.resetAt - Date.now()) / 1000));
        const message =
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 250';
        return json(res, 429, quotaBody(message, 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', `${seconds}s`));
      }
      const delay = `${reply.rateLimit.retryAfterS}s`;
      const message = `Resource has been exhausted (e.g. check quota). Please retry in ${delay}.`;
      return json(res, 429, quotaBody(message, 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', delay), {
        'retry-after': String(reply.rateLimit.retryAfterS),
      });
    },
  };
}
