/**
 * What a scripted model says, whatever the vendor's wire format: each reply is one model response
 * (text and tool calls), or the vendor's usage-limit or rate-limit answer. Each server (one file
 * per API) turns a reply into its API's bytes and the tool calls into the CLI's own tool names.
 */

/** A tool call, in words every CLI has a tool for. Paths are relative to the project. */
export type ToolCall = { read: string } | { edit: { path: string; old: string; new: string } };

/** Tokens a reply reports. `input` includes `cached`, as the OpenAI and Gemini APIs count them. */
export interface Usage {
  input: number;
  output: number;
  cached?: number;
}

export type Reply =
  /** A model response: text, tool calls or both, with the usage the API reports for it. */
  | { text?: string; calls?: ToolCall[]; usage?: Usage }
  /** The vendor's usage-limit (quota) answer, resetting at `resetAt` (epoch ms) where the vendor says when. */
  | { usageLimit: { resetAt: number } }
  /** A plain rate limit: HTTP 429 with `retry-after`. */
  | { rateLimit: { retryAfterS: number } };

export const isResponse = (r: Reply): r is Extract<Reply, { text?: string }> => !('usageLimit' in r) && !('rateLimit' in r);

/** A reply's usage, or a default that differs from turn to turn, so sums show a turn counted twice or missed. */
export function usageOf(reply: Extract<Reply, { text?: string }>, turn: number): Usage {
  return reply.usage ?? { input: 1000 + 100 * turn + 7, cached: 40 * turn, output: 20 + turn };
}

/** Call ids that are unique in one server's life (a resumed session keeps the earlier ones). */
export const callId = (turn: number, index: number): string => `call_${turn}_${index}`;

/** An apply_patch patch (Codex, OpenCode's patch tool) that replaces `old` lines with `new` ones. */
export function patchFor(edit: { path: string; old: string; new: string }): string {
  const minus = edit.old.split('\n').map((l) => `-${l}`);
  const plus = edit.new.split('\n').map((l) => `+${l}`);
  return ['*** Begin Patch', `*** Update File: ${edit.path}`, '@@', ...minus, ...plus, '*** End Patch', ''].join('\n');
}
