/**
 * The skeleton every JSON-lines adapter (Claude Code, Codex, Gemini CLI, OpenCode) fills in. A
 * line goes to the handler its `type` names, and only when the handler's schema accepts it;
 * anything else stays a `raw` event, never an error, because CLIs add event kinds between
 * versions. Plain lines (stderr, non-JSON stdout) feed the limit detector's last-lines layer.
 */
import type { z } from 'zod';
import { parseJsonObject, type LimitDetector } from './limits.ts';
import type { AgentEvent, AgentExit, AgentStreamParser } from './types.ts';

type JsonObject = Record<string, unknown>;

/** Turns one JSON object line into events; undefined keeps the line raw. */
export type EventHandler = (json: JsonObject) => AgentEvent[] | undefined;

/** A handler for events `schema` accepts; a line it rejects stays raw. */
export function on<T>(schema: z.ZodType<T>, handle: (event: T) => AgentEvent[] | undefined): EventHandler {
  return (json) => {
    const parsed = schema.safeParse(json);
    return parsed.success ? handle(parsed.data) : undefined;
  };
}

/** Picks the handler by the line's `type` field (own keys only: "constructor" is no handler). */
export function byType(handlers: Record<string, EventHandler>): EventHandler {
  return (json) => {
    const type = json.type;
    return typeof type === 'string' && Object.hasOwn(handlers, type) ? handlers[type]!(json) : undefined;
  };
}

export interface JsonLinesSpec {
  /** The run's limit detector; the adapter's handlers feed it structured limits. */
  limits: LimitDetector;
  /** Events for one stdout JSON object line (with its text, for an adapter that keeps it raw). */
  events: (json: JsonObject, line: string) => AgentEvent[] | undefined;
  /** Events for a plain line (stderr, non-JSON stdout), besides its raw event. */
  plain?: (text: string, stream: 'stdout' | 'stderr') => AgentEvent[];
  /** Events the run ends with, before the limit verdict: what the CLI left unsaid at exit. */
  closing?: (exit: AgentExit) => AgentEvent[];
}

export function jsonLinesParser(spec: JsonLinesSpec): AgentStreamParser {
  return {
    line(text, stream) {
      const json = stream === 'stdout' ? parseJsonObject(text) : undefined;
      const events = json ? spec.events(json, text) : undefined;
      if (events) return events;
      // A JSON line no handler took is still the CLI's structured output, not a plain notice.
      if (!json) spec.limits.plain(text);
      return [{ type: 'raw', stream, line: text }, ...((!json && spec.plain?.(text, stream)) || [])];
    },
    end(exit) {
      return [...(spec.closing?.(exit) ?? []), ...spec.limits.finish(exit)];
    },
  };
}
