/**
 * Builders for the events every adapter emits. Events carry only the fields the CLI reported (a
 * missing count is unknown, not zero), and a failure is either a usage limit, which the loop
 * waits out, or an error: these helpers keep both rules the same for every CLI.
 */
import { looksLikeLimit, type LimitDetector } from './limits.ts';
import type { AgentEvent } from './types.ts';

type UsageEvent = Extract<AgentEvent, { type: 'usage' }>;
type ResultEvent = Extract<AgentEvent, { type: 'result' }>;
type FileChangeEvent = Extract<AgentEvent, { type: 'file_change' }>;
export type FileKind = NonNullable<FileChangeEvent['kind']>;

/** The fields whose value is not undefined, in their order. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function sessionEvent(sessionId: string, model: string | undefined): AgentEvent {
  return { type: 'session', sessionId, ...(model ? { model } : {}) };
}

export function usageEvent(fields: Omit<UsageEvent, 'type'>): UsageEvent {
  return { type: 'usage', ...defined(fields) };
}

export function resultEvent(ok: boolean, fields: Omit<ResultEvent, 'type' | 'ok'>): ResultEvent {
  return { type: 'result', ok, ...defined(fields) };
}

export function toolResultEvent(id: string | undefined, ok: boolean, output: string | undefined): AgentEvent {
  return { type: 'tool_result', ...defined({ id }), ok, ...defined({ output }) };
}

export function fileChangeEvent(path: string, kind: FileKind | undefined): FileChangeEvent {
  return { type: 'file_change', path, ...(kind ? { kind } : {}) };
}

/**
 * A failure the CLI reported. A usage limit goes to the limit detector and yields no event (the
 * run's end turns it into one `limit`); anything else becomes `otherwise`, an error by default.
 * `limit` is the CLI's own mark of a limit (a status code, an error type) beyond its wording.
 */
export function limitOrError(
  limits: LimitDetector,
  message: string,
  { limit = false, otherwise = { type: 'error', message } }: { limit?: boolean; otherwise?: AgentEvent } = {},
): AgentEvent[] {
  if (limit || looksLikeLimit(message)) {
    limits.structured(message);
    return [];
  }
  return [otherwise];
}

/**
 * Files that tool calls write, remembered from the call until its result: a change counts only
 * once the tool succeeded, so a refused or failed edit is no evidence of work.
 */
export class PendingFileChanges {
  private readonly byCall = new Map<string, { path: string; kind: FileKind | undefined }>();

  expect(callId: string, path: string, kind: FileKind | undefined): void {
    this.byCall.set(callId, { path, kind });
  }

  /** The call's file change when it succeeded; the call is forgotten either way. */
  settle(callId: string, ok: boolean): FileChangeEvent[] {
    const file = this.byCall.get(callId);
    this.byCall.delete(callId);
    return file && ok ? [fileChangeEvent(file.path, file.kind)] : [];
  }
}

/**
 * What a run said along the way that its CLI's closing event does not repeat: the session it
 * announced and its last reply, which the result carries as its summary.
 */
export class RunMemory {
  sessionId: string | undefined;
  lastMessage: string | undefined;

  result(ok: boolean, summary = this.lastMessage, durationMs?: number): ResultEvent {
    // An empty id names no session: better no id than one a resume would refuse.
    return resultEvent(ok, { summary, sessionId: this.sessionId || undefined, durationMs });
  }
}

/**
 * The CLI's permission mode kept it from editing: the event names the setting to change and the
 * value that lets it edit inside the project.
 */
export function permissionEvent(cli: string, refused: string, setting: { noun: string; value: string }): AgentEvent {
  return {
    type: 'permission',
    message:
      `${cli} was not allowed to edit the project (${refused}). Set its ${setting.noun} to ${setting.value}: ` +
      `agent.permission_mode in the project's settings (the dashboard's Agent settings), or goldloop run --permission-mode ${setting.value}.`,
  };
}
