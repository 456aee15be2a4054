import type { ApiMethod, ApiResults } from '../../contract/api.ts';
import type { ApiErrorBody } from '../../contract/errors.ts';
import { fail } from '../../contract/errors.ts';
import { TREND_POINTS } from '../../contract/trends.ts';
import { projectTaskPage } from '../../engine/project/status.ts';
import { readHistory } from '../../store/history.ts';
import { historyTrends, readHistoryPage } from '../../store/history-index.ts';
import { listReports, readLog, readReport } from '../../store/project-files.ts';
import type { ParsedArgs } from '../requests.ts';
import { cycleDetail } from './cycles.ts';
import { runGatesNow } from './manual-gates.ts';
import { editPlan } from './plan-edits.ts';
import { planProject } from './planning.ts';
import { addProject, checkProject, removeProject } from './projects.ts';
import { haltRun, startRun } from './runs.ts';
import { getSettings, updateSettings } from './settings.ts';
import type { SupervisorState } from './state.ts';
import { statusOf } from './views.ts';

/** Each API method's implementation, given its arguments as validated (server/requests.ts). */
export type MethodTable = { [M in ApiMethod]: (s: SupervisorState, args: ParsedArgs<M>) => Promise<ApiResults[M]> };

/**
 * The contract's methods, one entry each. The requests that change a project run one at a time
 * per project (`serial`); a project's entry is looked up inside, when its turn comes.
 */
export const METHODS: MethodTable = {
  listProjects: (s) => s.views(),
  addProject: (s, a) => addProject(s, a),
  removeProject: (s, a) => s.serial(a.project_id, () => removeProject(s, a.project_id)),
  start: (s, a) => s.serial(a.project_id, async () => ({ project: await startRun(s, s.registry.entry(a.project_id), 'start') })),
  resume: (s, a) => s.serial(a.project_id, async () => ({ project: await startRun(s, s.registry.entry(a.project_id), 'resume') })),
  pause: async (s, a) => ({ project: await haltRun(s, s.registry.entry(a.project_id), 'pause') }),
  stop: async (s, a) => ({ project: await haltRun(s, s.registry.entry(a.project_id), 'stop') }),
  runGatesNow: (s, a) => runGatesNow(s, s.registry.entry(a.project_id)),
  getStatus: (s, a) => statusOf(s, s.registry.entry(a.project_id)),
  getLog: (s, a) => readLog(s.registry.entry(a.project_id).path, a),
  getHistory: (s, a) => readHistory(s.registry.entry(a.project_id).path),
  getTrends: (s, a) => historyTrends(s.registry.entry(a.project_id).path, a.last ?? TREND_POINTS),
  listTasks: (s, a) =>
    projectTaskPage(s.registry.entry(a.project_id).path, {
      ...(a.priority !== undefined ? { priority: a.priority } : {}),
      ...(a.from !== undefined ? { from: a.from } : {}),
      ...(a.limit !== undefined ? { limit: a.limit } : {}),
      ...(a.task_id !== undefined ? { taskId: a.task_id } : {}),
    }),
  listCycles: (s, a) => readHistoryPage(s.registry.entry(a.project_id).path, a),
  getCycle: (s, a) => cycleDetail(s.registry.entry(a.project_id).path, a.cycle),
  listReports: (s, a) => listReports(s.registry.entry(a.project_id).path),
  readReport: async (s, a) => {
    const markdown = await readReport(s.registry.entry(a.project_id).path, a.name);
    return markdown === undefined
      ? fail('not_found', `no report named ${a.name}`, 'pick a name from listReports', 'name')
      : { name: a.name, markdown };
  },
  getSettings: (s, a) => getSettings(s, s.registry.entry(a.project_id)),
  updateSettings: (s, a) => s.serial(a.project_id, () => updateSettings(s, s.registry.entry(a.project_id), a.settings)),
  checkProject: (s, a) => s.serial(a.project_id, () => checkProject(s, s.registry.entry(a.project_id), a.init_git === true)),
  planDocuments: async (s, a) => ({ documents: await s.plans.documents(s.registry.entry(a.project_id).path) }),
  planProject: (s, a) => s.serial(a.project_id, () => planProject(s, s.registry.entry(a.project_id), a.docs ?? [])),
  editPlan: (s, a) => s.serial(a.project_id, () => editPlan(s, s.registry.entry(a.project_id), a.edit)),
};

/** The refusal of a name that is not one of the contract's methods. */
export const noSuchMethod = (method: string): ApiErrorBody => ({
  code: 'not_found',
  message: `no such method: ${method}`,
  fix: `use one of ${Object.keys(METHODS).join(', ')}`,
});
