/**
 * The one contract between the dashboard and the engine. Both transports implement it — HTTP +
 * WebSocket in `goldloop serve`, the preload bridge in the desktop app — and the renderer never
 * knows which one it has. Every method takes ONE named-argument object: that maps one-to-one onto
 * a JSON body or an IPC payload, and lets a validation error name the exact field.
 *
 * The renderer imports only types from here (so zod stays out of its bundle); the engine
 * validates every request with `REQUEST_SCHEMAS` before acting on it.
 */
import { z } from 'zod';
import type { ApiErrorBody } from './errors.ts';
import type { CycleSummary, GateRunView, HistoryEntry, LogPage, LoopState, ProjectStatus, ProjectView, ReportEntry } from './status.ts';

export type * from './status.ts';

/** An absolute path on any platform the desktop app runs on: `/x`, `C:\x`, `\\server\share`. */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

const projectId = z
  .string({ error: 'give the project id as a string (from listProjects)' })
  .regex(/^[a-z0-9-]{1,64}$/, 'use a project id from listProjects (lower-case letters, digits and dashes)');

const byProject = z.strictObject({ projectId });

/** Every request's arguments. Unknown fields are refused, so a typo is reported, not ignored. */
export const REQUEST_SCHEMAS = {
  listProjects: z.strictObject({}),
  addProject: z.strictObject({
    path: z
      .string({ error: 'give the project folder as a string' })
      .min(1, 'give the project folder')
      .max(4096, 'the path is too long')
      .regex(ABSOLUTE, 'give an absolute path, e.g. /home/me/code/project'),
    /** Write a knowledge base with the operating document's defaults when the folder has none. */
    createKb: z.boolean({ error: 'createKb is true or false' }).optional(),
    /** Run `git init` when the folder is not a git repository. */
    initGit: z.boolean({ error: 'initGit is true or false' }).optional(),
  }),
  removeProject: byProject,
  start: byProject,
  pause: byProject,
  resume: byProject,
  stop: byProject,
  runGatesNow: byProject,
  getStatus: byProject,
  getLog: z.strictObject({
    projectId,
    /** The cycle (iteration) whose log to read; the latest when left out. */
    cycle: z.number({ error: 'cycle is a whole number' }).int('cycle is a whole number').min(1, 'cycles start at 1').optional(),
    /** The first line to return (0-based); negative counts from the end. */
    from: z.number({ error: 'from is a whole number' }).int('from is a whole number').optional(),
    limit: z.number({ error: 'limit is a whole number' }).int('limit is a whole number').min(1, 'limit is at least 1').max(200_000, 'limit is at most 200000').optional(),
  }),
  getHistory: byProject,
  listReports: byProject,
  readReport: z.strictObject({
    projectId,
    name: z.string().regex(/^[\w.-]+\.md$/, 'give a report file name from listReports, e.g. 2026-01-01T00-00-00Z-final.md'),
  }),
} as const;

export type ApiMethod = keyof typeof REQUEST_SCHEMAS;

/** The arguments of each method, as the caller writes them. */
export type ApiArgs = { [M in ApiMethod]: z.input<(typeof REQUEST_SCHEMAS)[M]> };

export interface AddProjectResult {
  project: ProjectView;
  /** What was found or done (git init, KB written), in words. */
  notes: string[];
}

export interface ControlResult {
  project: ProjectView;
}

/** What each method resolves with. */
export interface ApiResults {
  listProjects: ProjectView[];
  addProject: AddProjectResult;
  removeProject: { removed: string };
  start: ControlResult;
  pause: ControlResult;
  resume: ControlResult;
  stop: ControlResult;
  runGatesNow: GateRunView;
  getStatus: ProjectStatus;
  getLog: LogPage;
  getHistory: HistoryEntry[];
  listReports: ReportEntry[];
  readReport: { name: string; markdown: string };
}

/** The API as the dashboard calls it, whichever transport carries it. */
export type GoldloopApi = { [M in ApiMethod]: (args: ApiArgs[M]) => Promise<ApiResults[M]> };

/** Events pushed to the dashboard; every project event carries `projectId`. */
export type ApiEvent =
  /** Every project and its status: on (re)connect and after a project is added or removed. */
  | { type: 'snapshot'; projects: ProjectView[]; at: string }
  /** A project's fresh status, after anything that changes it (coalesced, at most a few a second). */
  | { type: 'status'; projectId: string; project: ProjectView }
  | { type: 'state'; projectId: string; state: LoopState }
  | { type: 'cycle_start'; projectId: string; iteration: number; work: string; description: string }
  | { type: 'cycle_end'; projectId: string; summary: CycleSummary }
  | { type: 'agent_line'; projectId: string; iteration: number; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'gates'; projectId: string; iteration: number; run: GateRunView; baseline: boolean }
  | { type: 'alert'; projectId: string; level: 'error' | 'warning' | 'info'; message: string }
  | { type: 'report'; projectId: string; kind: 'progress' | 'status' | 'final'; path: string }
  | { type: 'gold'; projectId: string; iteration: number };

export type ApiEventType = ApiEvent['type'];

export type { ApiErrorBody } from './errors.ts';

/** `unauthorized`: the token is no longer valid (the server restarted with a new one). */
export type ConnectionState = 'connecting' | 'live' | 'offline' | 'unauthorized';

/** A transport that also delivers pushed events; `subscribe` returns the unsubscribe function. */
export interface GoldloopClient extends GoldloopApi {
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Connection changes: the dashboard shows when it is not live, and why. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** Maps an error code to its HTTP status. */
export const HTTP_STATUS: Record<ApiErrorBody['code'], number> = {
  bad_request: 400,
  needs_git: 400,
  needs_kb: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

/** Turns a zod failure into the first problem's field, message and fix. */
export function describeIssues(method: string, error: z.ZodError): ApiErrorBody {
  const issue = error.issues[0];
  const field = issue && issue.path.length ? issue.path.map(String).join('.') : undefined;
  let fix = issue?.message ?? 'check the arguments';
  if (issue?.code === 'unrecognized_keys') fix = `remove ${issue.keys.join(', ')}: ${method} does not take ${issue.keys.length > 1 ? 'them' : 'it'}`;
  if (issue?.code === 'invalid_type' && issue.input === undefined) fix = `${field ?? 'the argument'} is required: ${issue.message}`;
  return {
    code: 'bad_request',
    message: `${method}: ${field ? `${field} is invalid` : 'the arguments are invalid'}`,
    ...(field ? { field } : {}),
    fix,
  };
}

/** Validates one request's arguments; returns the parsed value or the error body. */
export function parseArgs<M extends ApiMethod>(method: M, args: unknown): { ok: true; value: z.output<(typeof REQUEST_SCHEMAS)[M]> } | { ok: false; error: ApiErrorBody } {
  const result = REQUEST_SCHEMAS[method].safeParse(args ?? {});
  if (result.success) return { ok: true, value: result.data as z.output<(typeof REQUEST_SCHEMAS)[M]> };
  return { ok: false, error: describeIssues(method, result.error) };
}

export const API_METHODS = Object.keys(REQUEST_SCHEMAS) as ApiMethod[];

export const isApiMethod = (name: string): name is ApiMethod => Object.hasOwn(REQUEST_SCHEMAS, name);
