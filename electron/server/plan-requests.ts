/**
 * The check of an `editPlan` request (the contract's `PlanEdit`), built from the KB schema's own
 * task and requirement fields, so the request and the file agree on what a valid value is. Rules
 * that need the KB itself (ids that exist, dependency cycles, a covered requirement) are the
 * engine's, when the edit is applied (engine/tasks/plan-edit.ts).
 */
import { z } from 'zod';
import type { PlanEdit } from '../contract/plan.ts';
import { PRIORITIES, RequirementSchema, TaskSchema } from '../store/kb/schema.ts';

const t = TaskSchema.shape;
const r = RequirementSchema.shape;

const priority = z.enum(PRIORITIES, { error: 'use P0 (high), P1 (medium) or P2 (low)' });
const phase = t.phase.unwrap().refine(Number.isInteger, 'give a phase from 1 to 4');
const ids = (what: string) => z.array(z.string().min(1, `a ${what} id may not be empty`).regex(/^\S+$/, `a ${what} id has no spaces`));

/** The fields a task edit may set; `null` removes an optional one. */
const taskFields = {
  description: t.description.unwrap().optional(),
  phase: phase.optional(),
  priority: priority.optional(),
  dependencies: ids('task').optional(),
  requirements: ids('requirement').optional(),
  acceptance: t.acceptance.unwrap().nullable().optional(),
  verify: t.verify.unwrap().nullable().optional(),
  estimated_time: t.estimated_time.unwrap().nullable().optional(),
  blocked_reason: z.string().min(1, 'say why the task is blocked').nullable().optional(),
  critical_bug: t.critical_bug.unwrap().optional(),
};

const taskId = t.task_id;
const requirementId = r.id;

export const planEditSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({
      op: z.literal('add_task'),
      task: z.strictObject({
        ...taskFields,
        task_id: taskId,
        description: z.string().trim().min(1, 'say what the task is'),
        priority,
      }),
    }),
    z.strictObject({
      op: z.literal('update_task'),
      task_id: taskId,
      changes: z.strictObject({ ...taskFields, reopen: z.boolean().optional() }),
    }),
    z.strictObject({ op: z.literal('remove_task'), task_id: taskId }),
    z.strictObject({
      op: z.literal('add_requirement'),
      requirement: z.strictObject({
        id: requirementId,
        text: z.string().trim().min(1, 'say what is required'),
        source: z.string().min(1, 'name the document, or leave it out').optional(),
      }),
    }),
    z.strictObject({
      op: z.literal('update_requirement'),
      id: requirementId,
      changes: z.strictObject({
        text: z.string().trim().min(1, 'say what is required').optional(),
        source: z.string().min(1, 'name the document, or leave it out').nullable().optional(),
      }),
    }),
    z.strictObject({ op: z.literal('remove_requirement'), id: requirementId, confirm: z.boolean().optional() }),
  ],
  {
    error:
      'give the edit as { op, ... } with op add_task, update_task, remove_task, add_requirement, update_requirement or remove_requirement',
  },
);

// The schema and the contract's PlanEdit describe the same edits (requests.ts checks the whole request the same way).
const _agrees: z.input<typeof planEditSchema> extends PlanEdit ? (PlanEdit extends z.input<typeof planEditSchema> ? true : false) : false =
  true;
void _agrees;
