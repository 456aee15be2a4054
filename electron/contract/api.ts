/**
 * The one contract between the dashboard and the engine. Both transports implement it — HTTP +
 * WebSocket in `goldloop serve`, the preload bridge in the desktop app — and the renderer never
 * knows which one it has. Every method takes ONE named-argument object: that maps one-to-one onto
 * a JSON body or an IPC payload, and lets a validation error name the exact field.
 *
 * Types and plain data only, so the renderer bundles it as it is. The server checks every request
 * against these types with its zod schemas (electron/server/requests.ts), which the compiler holds
 * to the same shapes.
 */
import type { EditPlanResult, PlanEdit } from './plan.ts';
import type { SettingsPatch, SettingsResult, UpdateSettingsResult } from './settings.ts';
import type {
  CycleDetail,
  CyclePage,
  CycleSummary,
  GateRunView,
  HistoryEntry,
  LogPage,
  LoopState,
  PlanView,
  Priority,
  TaskPage,
  ProjectStatus,
  ProjectView,
  ReportEntry,
} from './status.ts';
import type { Trends } from './trends.ts';

export type * from './status.ts';
export type * from './trends.ts';
export type * from './settings.ts';
export type * from './preflight.ts';
export type * from './plan.ts';

/** The arguments of the methods that act on one project. */
export interface ByProject {
  /** The project's id, from listProjects. */
  project_id: string;
}

/** The arguments of each method, as the caller writes them. Unknown fields are refused. */
export interface ApiArgs {
  listProjects: Record<string, never>;
  addProject: {
    /** The project folder, an absolute path. */
    path: string;
    /** Write a knowledge base with the operating document's defaults when the folder has none. */
    create_kb?: boolean;
    /** Run `git init` when the folder is not a git repository. */
    init_git?: boolean;
  };
  removeProject: ByProject;
  start: ByProject;
  pause: ByProject;
  resume: ByProject;
  stop: ByProject;
  runGatesNow: ByProject;
  getStatus: ByProject;
  getLog: ByProject & {
    /** The cycle (iteration) whose log to read; the latest when left out. */
    cycle?: number;
    /** The first line to return (0-based); negative counts from the end. */
    from?: number;
    limit?: number;
  };
  getHistory: ByProject;
  /** The trends of the newest cycles (tests passing, coverage, tasks done): at most `last` points (500 when left out). */
  getTrends: ByProject & { last?: number };
  /**
   * A page of one priority's tasks in the queue's order, `from` rows in, at most `limit` (100 when
   * left out); with `task_id`, the page that holds that task (`from` is then ignored), of whichever
   * priority holds it when `priority` is left out.
   */
  listTasks: ByProject & { priority?: Priority; from?: number; limit?: number; task_id?: string };
  /** A page of the cycle history, newest first: `from` cycles back from the newest (0), at most `limit` (50 when left out). */
  listCycles: ByProject & { from?: number; limit?: number };
  /** One cycle of the history with its log's name, its diff and its gate evidence. */
  getCycle: ByProject & { cycle: number };
  listReports: ByProject;
  readReport: ByProject & { name: string };
  /** The project's settings: agent, schedule, gates and thresholds, notifications (a view over its KB). */
  getSettings: ByProject;
  /**
   * Changes the settings (a merge patch: only what changes). Written to the KB at once between
   * cycles; while a cycle runs, when it ends (the loop locks the KB's settings during a cycle).
   */
  updateSettings: ByProject & { settings: SettingsPatch };
  /**
   * Runs the preflight again (after the user installed a CLI, say) and returns the project with it;
   * `init_git` first runs `git init` in the project folder, the preflight's fix for a folder that is not a repository.
   */
  checkProject: ByProject & { init_git?: boolean };
  /** The documents a planning cycle would read: SPEC*, PRD*, ARCHITECTURE*, docs/*.md. */
  planDocuments: ByProject;
  /**
   * Starts ONE planning cycle (as `goldloop init --plan`): the KB's agent turns the documents into
   * phases, requirements and tasks; Goldloop validates the proposal and merges it only when valid.
   * Returns at once; the outcome arrives as the project's `plan`.
   */
  planProject: ByProject & {
    /** More documents to read, relative to the project. */
    docs?: string[];
  };
  /**
   * Adds, changes, moves (a new priority) or removes one task or requirement in the KB, validated as
   * the KB is. Refused while a cycle runs (the loop holds the plan as the cycle started with it).
   */
  editPlan: ByProject & { edit: PlanEdit };
}

export type ApiMethod = keyof ApiArgs;

/** Every method of the contract, in a fixed order (plain data: the preload and the renderer list them without zod). */
export const API_METHODS = [
  'listProjects',
  'addProject',
  'removeProject',
  'start',
  'pause',
  'resume',
  'stop',
  'runGatesNow',
  'getStatus',
  'getLog',
  'getHistory',
  'getTrends',
  'listTasks',
  'listCycles',
  'getCycle',
  'listReports',
  'readReport',
  'getSettings',
  'updateSettings',
  'checkProject',
  'planDocuments',
  'planProject',
  'editPlan',
] as const satisfies readonly ApiMethod[];

// Every method is listed: a method added to ApiArgs and not here fails to compile.
const _allListed: Exclude<ApiMethod, (typeof API_METHODS)[number]> extends never ? true : false = true;
void _allListed;

export const isApiMethod = (name: string): name is ApiMethod => (API_METHODS as readonly string[]).includes(name);

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
  getTrends: Trends;
  listTasks: TaskPage;
  listCycles: CyclePage;
  getCycle: CycleDetail;
  listReports: ReportEntry[];
  readReport: { name: string; markdown: string };
  getSettings: SettingsResult;
  updateSettings: UpdateSettingsResult;
  checkProject: ControlResult;
  planDocuments: { documents: string[] };
  planProject: ControlResult;
  editPlan: EditPlanResult;
}

/** The API as the dashboard calls it, whichever transport carries it. */
export type GoldloopApi = { [M in ApiMethod]: (args: ApiArgs[M]) => Promise<ApiResults[M]> };

/** Events pushed to the dashboard; every project event carries `project_id`. */
export type ApiEvent =
  /** Every project and its status: on (re)connect and after a project is added or removed. */
  | { type: 'snapshot'; projects: ProjectView[]; at: string }
  /** A project's fresh status, after anything that changes it (coalesced, at most a few a second). */
  | { type: 'status'; project_id: string; project: ProjectView }
  | { type: 'state'; project_id: string; state: LoopState }
  | { type: 'cycle_start'; project_id: string; iteration: number; work: string; description: string }
  | { type: 'cycle_end'; project_id: string; summary: CycleSummary }
  /** `n`: the line's 0-based number in the cycle's log (`getLog` numbers lines the same way). */
  | {
      type: 'agent_line';
      project_id: string;
      iteration: number;
      n: number;
      stream: 'stdout' | 'stderr';
      line: string;
      /** When it was written: the time of day on the machine that ran the cycle (`14:05:03`), as the log file has it. */
      at?: string;
    }
  | { type: 'gates'; project_id: string; iteration: number; run: GateRunView; baseline: boolean }
  | { type: 'alert'; project_id: string; level: 'error' | 'warning' | 'info'; message: string }
  /** A planning cycle started from the dashboard began or ended. */
  | { type: 'plan'; project_id: string; plan: PlanView }
  | {
      type: 'report';
      project_id: string;
      kind: 'progress' | 'status' | 'final';
      path: string;
      /** final: the lines waived at gold. */ waived?: string[];
    }
  | { type: 'gold'; project_id: string; iteration: number };

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
