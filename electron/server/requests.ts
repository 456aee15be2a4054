/**
 * The checks every request passes before the supervisor acts on it, whichever transport brought
 * it (HTTP in `goldloop serve`, IPC in the desktop app). The argument types are the contract's
 * (electron/contract/api.ts); the compiler holds each schema here to the same shape.
 *
 * The settings patch reuses the knowledge base schema's own field checks, without their defaults,
 * so the request and the file can never disagree on what a valid value is.
 */
import { z } from 'zod';
import type { ApiArgs, ApiMethod, SettingsPatch } from '../contract/api.ts';
import type { ApiErrorBody } from '../contract/errors.ts';
import { fixFor } from '../store/kb/messages.ts';
import {
  AgentConfigSchema,
  AutonomousOperationSchema,
  BudgetLimitSchema,
  BuildGateSchema,
  DocsGateSchema,
  ErrorHandlingSchema,
  HoldoutGateSchema,
  MutationGateSchema,
  PerformanceGateSchema,
  QualityGatesSchema,
  ReportingSchema,
  SECURITY_FORMATS,
  SecurityGateSchema,
  TestsGateSchema,
  WorkCycleSchema,
} from '../store/kb/schema.ts';
import { planEditSchema } from './plan-requests.ts';

/** An absolute path on any platform the desktop app runs on: `/x`, `C:\x`, `\\server\share`. */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

const projectIdSchema = z
  .string({ error: 'give the project id as a string (from listProjects)' })
  .regex(/^[a-z0-9-]{1,64}$/, 'use a project id from listProjects (lower-case letters, digits and dashes)');

const byProject = z.strictObject({ project_id: projectIdSchema });

/*
 * The settings patch reuses the knowledge base schema's own field checks (electron/store/kb/schema.ts),
 * without their defaults, so the request and the file can never disagree on what a valid value is.
 * Their messages come from `fixFor` (passed to every parse): they say what to give instead.
 */
/** A KB field with a default: in a patch, left out means unchanged. */
const keep = <T extends z.ZodType>(field: z.ZodDefault<T>) => field.unwrap().optional();
/** An optional KB field: in a patch, null removes it. */
const removable = <T extends z.ZodType>(field: z.ZodOptional<T>) => field.unwrap().nullable().optional();
const commandGate = <C extends z.ZodType>(shape: Pick<typeof BuildGateSchema.shape, 'enabled' | 'timeout_minutes'> & { command: C }) => ({
  enabled: keep(shape.enabled),
  command: shape.command.optional(),
  timeout_minutes: keep(shape.timeout_minutes),
});
const budget = z
  .strictObject({ cost_usd: removable(BudgetLimitSchema.shape.cost_usd), tokens: removable(BudgetLimitSchema.shape.tokens) })
  .nullable()
  .optional();
const metric = z.strictObject({ min: z.number().nullable().optional(), max: z.number().nullable().optional() }).nullable();

/** A JSON merge patch of the settings view (see `SettingsPatch` in settings.ts). */
const settingsPatch = z.strictObject(
  {
    agent: z
      .strictObject({
        type: keep(AgentConfigSchema.shape.type),
        command: removable(AgentConfigSchema.shape.command),
        model: removable(AgentConfigSchema.shape.model),
        permission_mode: removable(AgentConfigSchema.shape.permission_mode),
        extra_args: removable(AgentConfigSchema.shape.extra_args),
        executable: removable(AgentConfigSchema.shape.executable),
        prompt_budget_chars: removable(AgentConfigSchema.shape.prompt_budget_chars),
        sandbox: removable(AgentConfigSchema.shape.sandbox),
        budget: z.strictObject({ per_day: budget, per_run: budget }).nullable().optional(),
      })
      .optional(),
    schedule: z
      .strictObject({
        duration_minutes: keep(WorkCycleSchema.shape.duration_minutes),
        break_between_cycles_minutes: keep(WorkCycleSchema.shape.break_between_cycles_minutes),
        max_cycles_per_hour: keep(WorkCycleSchema.shape.max_cycles_per_hour),
        max_iterations_per_day: keep(AutonomousOperationSchema.shape.max_iterations_per_day),
        max_iterations_per_run: keep(AutonomousOperationSchema.shape.max_iterations_per_run),
        max_consecutive_errors: keep(ErrorHandlingSchema.shape.max_consecutive_errors),
        retry_delay_minutes: keep(ErrorHandlingSchema.shape.retry_delay_minutes),
      })
      .optional(),
    gates: z
      .strictObject({
        test_coverage_threshold: keep(QualityGatesSchema.shape.test_coverage_threshold),
        tests: z.strictObject(commandGate(TestsGateSchema.shape)).optional(),
        mutation: z
          .strictObject({
            enabled: keep(MutationGateSchema.shape.enabled),
            command: MutationGateSchema.shape.command,
            timeout_minutes: keep(MutationGateSchema.shape.timeout_minutes),
            threshold: keep(MutationGateSchema.shape.threshold),
          })
          .optional(),
        security: z
          .strictObject({
            ...commandGate(SecurityGateSchema.shape),
            fail_on: keep(SecurityGateSchema.shape.fail_on),
            report: z
              .strictObject({ format: z.enum(SECURITY_FORMATS), path: z.string().min(1, 'give the report path, or stdout') })
              .optional(),
          })
          .optional(),
        performance: z
          .strictObject({
            ...commandGate(PerformanceGateSchema.shape),
            thresholds: z.record(z.string().min(1, 'give the metric a name'), metric).optional(),
          })
          .optional(),
        docs: z
          .strictObject({
            enabled: keep(DocsGateSchema.shape.enabled),
            files: keep(DocsGateSchema.shape.files),
            markers: keep(DocsGateSchema.shape.markers),
          })
          .optional(),
        build: z.strictObject(commandGate(BuildGateSchema.shape)).optional(),
        holdout: z
          .strictObject({ ...commandGate(HoldoutGateSchema.shape), dir: HoldoutGateSchema.shape.dir.optional() })
          .nullable()
          .optional(),
      })
      .optional(),
    notifications: z
      .strictObject({
        notifications: keep(ReportingSchema.shape.notifications),
        error_alert_immediate: keep(ReportingSchema.shape.error_alert_immediate),
        progress_report_interval_hours: keep(ReportingSchema.shape.progress_report_interval_hours),
        status_report_interval_hours: keep(ReportingSchema.shape.status_report_interval_hours),
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'give the settings as an object with agent, schedule, gates and notifications' : undefined,
  },
);

/** `from` and `limit` of a paged request: where the page starts (`first` says what row 0 is) and how long it may be. */
function pageArgs(first: string, most: number) {
  return {
    from: z.number({ error: 'from is a whole number' }).int('from is a whole number').min(0, `from is 0 (${first}) or more`).optional(),
    limit: z
      .number({ error: 'limit is a whole number' })
      .int('limit is a whole number')
      .min(1, 'limit is at least 1')
      .max(most, `limit is at most ${most}`)
      .optional(),
  };
}

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
    create_kb: z.boolean({ error: 'create_kb is true or false' }).optional(),
    /** Run `git init` when the folder is not a git repository. */
    init_git: z.boolean({ error: 'init_git is true or false' }).optional(),
  }),
  removeProject: byProject,
  start: byProject,
  pause: byProject,
  resume: byProject,
  stop: byProject,
  runGatesNow: byProject,
  getStatus: byProject,
  getLog: z.strictObject({
    project_id: projectIdSchema,
    /** The cycle (iteration) whose log to read; the latest when left out. */
    cycle: z.number({ error: 'cycle is a whole number' }).int('cycle is a whole number').min(1, 'cycles start at 1').optional(),
    /** The first line to return (0-based); negative counts from the end. */
    from: z.number({ error: 'from is a whole number' }).int('from is a whole number').optional(),
    limit: z
      .number({ error: 'limit is a whole number' })
      .int('limit is a whole number')
      .min(1, 'limit is at least 1')
      .max(200_000, 'limit is at most 200000')
      .optional(),
  }),
  getHistory: byProject,
  /** The trends of the newest cycles. */
  getTrends: z.strictObject({
    project_id: projectIdSchema,
    last: z
      .number({ error: 'last is a whole number' })
      .int('last is a whole number')
      .min(2, 'last is at least 2 (a trend needs two points)')
      .max(10_000, 'last is at most 10000')
      .optional(),
  }),
  /** A page of one priority's tasks, or the page that holds one task (of any priority when none is given). */
  listTasks: z
    .strictObject({
      project_id: projectIdSchema,
      priority: z.enum(['P0', 'P1', 'P2'], { error: 'priority is P0, P1 or P2' }).optional(),
      ...pageArgs('the first task', 1000),
      task_id: z
        .string({ error: 'give task_id as a string' })
        .min(1, 'task_id may not be empty')
        .max(200, 'task_id is at most 200 characters')
        .optional(),
    })
    .refine((a) => a.priority !== undefined || a.task_id !== undefined, {
      message: 'priority is P0, P1 or P2 (it may be left out only with task_id)',
      path: ['priority'],
    }),
  /** A page of the cycle history, newest first. */
  listCycles: z.strictObject({
    project_id: projectIdSchema,
    ...pageArgs('the newest cycle', 500),
  }),
  /** One cycle of the history with its log, diff and gate evidence. */
  getCycle: z.strictObject({
    project_id: projectIdSchema,
    cycle: z.number({ error: 'cycle is a whole number' }).int('cycle is a whole number').min(1, 'cycles start at 1'),
  }),
  listReports: byProject,
  readReport: z.strictObject({
    project_id: projectIdSchema,
    name: z.string().regex(/^[\w.-]+\.md$/, 'give a report file name from listReports, e.g. 2026-01-01T00-00-00Z-final.md'),
  }),
  /** The project's settings: agent, schedule, gates and thresholds, notifications (a view over its KB). */
  getSettings: byProject,
  /**
   * Changes the settings (a merge patch: only what changes). Written to the KB at once between
   * cycles; while a cycle runs, when it ends (the loop locks the KB's settings during a cycle).
   */
  updateSettings: z.strictObject({ project_id: projectIdSchema, settings: settingsPatch }),
  /** Runs the preflight again; `init_git` runs `git init` in the project folder first. */
  checkProject: z.strictObject({
    project_id: projectIdSchema,
    init_git: z.boolean({ error: 'init_git is true or false' }).optional(),
  }),
  /** The documents a planning cycle would read: SPEC*, PRD*, ARCHITECTURE*, docs/*.md. */
  planDocuments: byProject,
  /**
   * Starts ONE planning cycle (as `goldloop init --plan`): the KB's agent turns the documents into
   * phases, requirements and tasks; Goldloop validates the proposal and merges it only when valid.
   * Returns at once; the outcome arrives as the project's `plan`.
   */
  planProject: z.strictObject({
    project_id: projectIdSchema,
    /** More documents to read, relative to the project. */
    docs: z
      .array(
        z
          .string({ error: 'give each document as a path string' })
          .min(1, 'a document path may not be empty')
          .max(1024, 'the path is too long')
          .refine(
            (d) => !ABSOLUTE.test(d) && !d.split(/[\\/]/).includes('..'),
            'give a path inside the project, relative to its folder, e.g. notes/spec.md',
          ),
        { error: 'give docs as a list of paths' },
      )
      .max(50, 'name at most 50 documents')
      .optional(),
  }),
  /** One edit of the plan: a task or a requirement added, changed, moved or removed. */
  editPlan: z.strictObject({ project_id: projectIdSchema, edit: planEditSchema }),
} as const satisfies Record<ApiMethod, z.ZodType>;

// The contract's hand-written argument types and these schemas describe the same requests.
type Flat<T> = T extends object ? { [K in keyof T]: Flat<T[K]> } : T;
type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
const _patchTypesAgree: Same<z.input<typeof settingsPatch>, SettingsPatch> = true;
/** The methods whose schema and contract type differ: none, or this fails to compile naming them. */
type Disagreeing = { [M in ApiMethod]: Same<z.input<(typeof REQUEST_SCHEMAS)[M]>, ApiArgs[M]> extends true ? never : M }[ApiMethod];
const _argsAgree: [Disagreeing] extends [never] ? true : Disagreeing = true;

const fieldOf = (issue: z.core.$ZodIssue): string | undefined => (issue.path.length ? issue.path.map(String).join('.') : undefined);

function fixOf(method: string, issue: z.core.$ZodIssue): string {
  const field = fieldOf(issue);
  if (issue.code === 'unrecognized_keys')
    return `remove ${issue.keys.join(', ')}: ${method} does not take ${issue.keys.length > 1 ? 'them' : 'it'}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${field ?? 'the argument'} is required: ${issue.message}`;
  return issue.message;
}

/** Turns a zod failure into the first problem's field, message and fix (and every problem, when there are several). */
export function describeIssues(method: string, error: z.ZodError): ApiErrorBody {
  const issue = error.issues[0];
  const field = issue ? fieldOf(issue) : undefined;
  const all = error.issues.flatMap((i) => {
    const f = fieldOf(i);
    return f ? [{ field: f, fix: fixOf(method, i) }] : [];
  });
  return {
    code: 'bad_request',
    message: `${method}: ${field ? `${field} is invalid` : 'the arguments are invalid'}`,
    ...(field ? { field } : {}),
    fix: issue ? fixOf(method, issue) : 'check the arguments',
    ...(all.length > 1 ? { issues: all } : {}),
  };
}

/** One request's arguments as validated: what the supervisor's methods receive. */
export type ParsedArgs<M extends ApiMethod> = z.output<(typeof REQUEST_SCHEMAS)[M]>;

/** Validates one request's arguments; returns the parsed value or the error body. */
export function parseArgs<M extends ApiMethod>(
  method: M,
  args: unknown,
): { ok: true; value: ParsedArgs<M> } | { ok: false; error: ApiErrorBody } {
  // reportInput: a missing field (add it) and a wrong one (change it) need different fixes.
  const result = REQUEST_SCHEMAS[method].safeParse(args ?? {}, { reportInput: true, error: fixFor });
  if (result.success) return { ok: true, value: result.data as ParsedArgs<M> };
  return { ok: false, error: describeIssues(method, result.error) };
}
