import { z } from 'zod';
import { AGENT_TYPES, SANDBOX_MODES, SEVERITY_LEVELS } from '../../contract/settings.ts';
import { argv, count, positive } from './fields.ts';
import { GatesSchema } from './gates-schema.ts';

// The lists the dashboard's settings form offers too: one definition, in electron/contract.
export { AGENT_TYPES, SEVERITY_LEVELS };
export * from './gates-schema.ts';

/**
 * The knowledge base (`.ai-knowledge-base.json`) schema. The sections and field names are the
 * operating document's own, so a KB written by hand from its JSON examples loads as it is;
 * Goldloop's additions (`phases`, `requirements`, `gates`, `agent`, task `phase`/`verify`/...)
 * all have defaults. Every object is loose: fields Goldloop does not know are kept on save.
 */

export const PRIORITIES = ['P0', 'P1', 'P2'] as const;
export const TASK_STATUSES = ['ready', 'in_progress', 'blocked', 'done'] as const;
export const QUEUES = ['high_priority', 'medium_priority', 'low_priority'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type QueueName = (typeof QUEUES)[number];

export const QUEUE_PRIORITY: Record<QueueName, Priority> = {
  high_priority: 'P0',
  medium_priority: 'P1',
  low_priority: 'P2',
};

export const TaskSchema = z.looseObject({
  task_id: z.string().min(1).regex(/^\S+$/, 'a task id may not contain spaces'),
  description: z.string().default(''),
  priority: z.enum(PRIORITIES).optional(),
  /** Phase 1 Core, 2 Advanced, 3 Enterprise, 4 Optimization. Tasks without one count toward Phase 1. */
  phase: z.number().int().min(1).max(4).default(1),
  estimated_time: z.string().optional(),
  dependencies: z.array(z.string()).default([]),
  status: z.enum(TASK_STATUSES).default('ready'),
  /** What "done" means for this task, shown to the agent. */
  acceptance: z.string().optional(),
  /** A command (argv) that must exit 0 before Goldloop accepts the task as done. */
  verify: argv.optional(),
  /** Requirement ids this task implements; each must be covered by a passing test. */
  requirements: z.array(z.string()).default([]),
  /** Marks a critical bug: while open it is a blocker on the checklist. */
  critical_bug: z.boolean().default(false),
  /** A task blocked for a reason other than its dependencies; a blocker until cleared. */
  blocked_reason: z.string().optional(),
});
export type Task = z.infer<typeof TaskSchema>;

const queue = z.array(TaskSchema).default([]);
export const TaskQueueSchema = z.looseObject({
  high_priority: queue,
  medium_priority: queue,
  low_priority: queue,
});

export const WorkCycleSchema = z.looseObject({
  duration_minutes: positive.default(15),
  break_between_cycles_minutes: z.number().min(0).default(5),
  max_cycles_per_hour: count.default(3),
});

export const QualityGatesSchema = z.looseObject({
  test_coverage_threshold: z.number().min(0).max(100).default(80),
  all_tests_must_pass: z.boolean().default(true),
  security_scan_must_pass: z.boolean().default(true),
  code_review_required: z.boolean().default(false),
});

export const ErrorHandlingSchema = z.looseObject({
  max_consecutive_errors: count.default(3),
  error_recovery_strategy: z.string().default('pause_and_alert'),
  auto_retry: z.boolean().default(true),
  retry_delay_minutes: z.number().min(0).default(30),
});

export const ReportingSchema = z.looseObject({
  status_report_interval_hours: positive.default(6),
  progress_report_interval_hours: positive.default(2),
  error_alert_immediate: z.boolean().default(true),
  /** Desktop notifications for reports and errors. */
  notifications: z.boolean().default(true),
});

export const AutonomousOperationSchema = z.looseObject({
  enabled: z.boolean().default(true),
  mode: z.string().default('24/7_until_complete'),
  // Measured fields below: written by Goldloop only.
  status: z.string().optional(),
  started_at: z.string().optional(),
  current_iteration: z.number().int().min(0).default(0),
  work_cycles_completed: z.number().int().min(0).default(0),
  tasks_completed: z.number().int().min(0).default(0),
  last_cycle_at: z.string().optional(),
  next_cycle_at: z.string().optional(),
  completion_estimate: z.string().optional(),
  // Limits.
  max_iterations_per_day: count.default(100),
  max_iterations_per_run: count.default(1000),
  work_cycle: WorkCycleSchema.prefault({}),
  quality_gates: QualityGatesSchema.prefault({}),
  completion_criteria: z.looseObject({}).prefault({}),
  completion_status: z.looseObject({}).prefault({}),
  error_handling: ErrorHandlingSchema.prefault({}),
  reporting: ReportingSchema.prefault({}),
});

export const PhaseSchema = z.looseObject({
  phase: z.number().int().min(1).max(4),
  name: z.string(),
});

export const RequirementSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_]+$/, 'use an id such as REQ-012'),
  text: z.string().default(''),
  source: z.string().optional(),
});
export type Requirement = z.infer<typeof RequirementSchema>;

/** A spending limit: either or both of cost (USD, as the CLI reports it) and tokens (input + output). */
export const BudgetLimitSchema = z
  .looseObject({ cost_usd: z.number().positive().optional(), tokens: z.number().int().positive().optional() })
  .refine((b) => b.cost_usd !== undefined || b.tokens !== undefined, 'give cost_usd, tokens or both');
export type BudgetLimit = z.infer<typeof BudgetLimitSchema>;

export const AgentConfigSchema = z.looseObject({
  type: z.enum(AGENT_TYPES).default('command'),
  /** For `command`: the program and its arguments (no shell). */
  command: argv.optional(),
  model: z.string().min(1).optional(),
  /** The CLI's own permission/approval mode, e.g. acceptEdits for Claude Code; unset, the adapter's mode that lets it edit in the project. */
  permission_mode: z.string().min(1).optional(),
  /** Extra arguments appended to the CLI's command line. */
  extra_args: z.array(z.string()).optional(),
  /** The CLI's program when it is not on PATH as its usual name (e.g. `claude`); relative paths are from the project. */
  executable: z.string().min(1).optional(),
  /** The prompt's size budget in characters (default 24,000); over it, the least important parts are cut first. */
  prompt_budget_chars: z.number().int().min(2000).optional(),
  /** Spending limits from the agent's own usage reports: the day's resets at local midnight. */
  budget: z.looseObject({ per_day: BudgetLimitSchema.optional(), per_run: BudgetLimitSchema.optional() }).optional(),
  /**
   * The OS sandbox the agent runs in: `auto` (the default, when left out) wherever this machine
   * runs one, `off` never. Only the user turns it off: the guard puts back an agent's edit.
   */
  sandbox: z.enum(SANDBOX_MODES).optional(),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** A note the agent leaves for its later cycles. `cycle` is stamped by Goldloop, never trusted from the agent. */
export const NoteSchema = z.looseObject({
  text: z.string().min(1, 'a note needs text'),
  task: z.string().optional(),
  at: z.string().optional(),
  cycle: z.number().int().min(0).optional(),
});
export type Note = z.infer<typeof NoteSchema>;

export const TestResultsSchema = z.looseObject({}).prefault({});

export const DEFAULT_PHASES = [
  { phase: 1, name: 'Core Features' },
  { phase: 2, name: 'Advanced Features' },
  { phase: 3, name: 'Enterprise Features' },
  { phase: 4, name: 'Optimization' },
];

export const KbSchema = z
  .looseObject({
    project: z.looseObject({ name: z.string().optional() }).optional(),
    autonomous_operation: AutonomousOperationSchema.prefault({}),
    task_queue: TaskQueueSchema.prefault({}),
    test_results: TestResultsSchema,
    phases: z.array(PhaseSchema).default(DEFAULT_PHASES),
    requirements: z.array(RequirementSchema).default([]),
    /** The project's spec, PRD and architecture documents; the docs gate checks they are finished. */
    documents: z.array(z.string().min(1)).default([]),
    gates: GatesSchema.prefault({}),
    agent: AgentConfigSchema.optional(),
    /** A prompt template file (relative to the project) replacing `.goldloop/prompt-template.md` and the default. */
    prompt_template: z.string().min(1).optional(),
    /** Notes the agent left for its later cycles; Goldloop stamps each with its cycle. */
    notes: z.array(NoteSchema).default([]),
  })
  .superRefine((kb, ctx) => {
    const seen = new Map<string, string>();
    for (const name of QUEUES) {
      kb.task_queue[name].forEach((task, index) => {
        const where = `task_queue.${name}[${index}]`;
        const first = seen.get(task.task_id);
        if (first) {
          ctx.addIssue({
            code: 'custom',
            path: ['task_queue', name, index, 'task_id'],
            message: `duplicate task id "${task.task_id}" (also at ${first}); give each task its own id`,
          });
        } else {
          seen.set(task.task_id, where);
        }
      });
    }
    const reqs = new Set<string>();
    kb.requirements.forEach((req, index) => {
      if (reqs.has(req.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', index, 'id'],
          message: `duplicate requirement id "${req.id}"; give each requirement its own id`,
        });
      }
      reqs.add(req.id);
    });
  });

export type Kb = z.infer<typeof KbSchema>;
export type KbInput = z.input<typeof KbSchema>;
