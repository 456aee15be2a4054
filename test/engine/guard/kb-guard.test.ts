// restoreGoldloopFields on knowledge bases in memory: what an agent may not change comes back as
// it was at the cycle's start, and the answer names each field put back; what it may add stays.
import { describe, expect, it } from 'vitest';
import { restoreGoldloopFields } from '../../../electron/engine/guard/kb-guard.ts';
import { KbSchema, TaskSchema, type Kb } from '../../../electron/store/kb/schema.ts';

/** The KB at a cycle's start: two tasks, a requirement, a document. */
const start = (): Kb =>
  KbSchema.parse({
    task_queue: {
      high_priority: [{ task_id: 'T1', priority: 'P0', verify: ['npm', 'test'], requirements: ['REQ-001'], critical_bug: true }],
      medium_priority: [{ task_id: 'T2', status: 'blocked', blocked_reason: 'waits for the API key' }],
    },
    requirements: [{ id: 'REQ-001', text: 'slugify' }],
    documents: ['docs/spec.md'],
  });

/** The agent's copy of the start KB, changed by `edit`. */
function edited(edit: (kb: Kb) => void): Kb {
  const kb = structuredClone(start());
  edit(kb);
  return kb;
}

describe('restoreGoldloopFields', () => {
  it('leaves an untouched KB as it is and reports nothing', () => {
    const kb = edited(() => {});
    expect(restoreGoldloopFields(kb, start())).toEqual([]);
    expect(kb).toEqual(start());
  });

  it('does not take the same content in another key order for an edit', () => {
    const before = start();
    const kb = edited((k) => {
      k.autonomous_operation = Object.fromEntries(Object.entries(k.autonomous_operation).reverse()) as Kb['autonomous_operation'];
    });
    expect(restoreGoldloopFields(kb, before)).toEqual([]);
  });

  it('puts back the schedule, the gates, the agent settings, the template and the test results', () => {
    const kb = edited((k) => {
      k.autonomous_operation.max_iterations_per_run = 1;
      k.gates.docs.markers = [];
      k.agent = { type: 'command', executable: 'true' } as Kb['agent'];
      k.prompt_template = 'mine.md';
      k.test_results = { ...k.test_results, all_passing: true };
    });
    expect(restoreGoldloopFields(kb, start())).toEqual(['autonomous_operation', 'gates', 'agent', 'prompt_template', 'test_results']);
    expect(kb).toEqual(start());
  });

  it('puts back a removed task in its queue and a moved one in the queue it came from', () => {
    const kb = edited((k) => {
      k.task_queue.high_priority = [];
      k.task_queue.low_priority.push(k.task_queue.medium_priority.pop()!);
    });
    expect(restoreGoldloopFields(kb, start())).toEqual(['T1 (removed)', 'T2 (moved to low_priority)']);
    expect(kb.task_queue.high_priority.map((t) => t.task_id)).toEqual(['T1']);
    expect(kb.task_queue.medium_priority.map((t) => t.task_id)).toEqual(['T2']);
    expect(kb.task_queue.low_priority).toEqual([]);
  });

  it("puts back a task's terms, an open critical bug and a blocked reason the agent cleared", () => {
    const kb = edited((k) => {
      const t1 = k.task_queue.high_priority[0]!;
      delete t1.verify;
      t1.priority = 'P2';
      t1.requirements = [];
      t1.critical_bug = false;
      delete k.task_queue.medium_priority[0]!.blocked_reason;
    });
    expect(restoreGoldloopFields(kb, start())).toEqual([
      'T1.verify',
      'T1.requirements',
      'T1.priority',
      'T1.critical_bug (cleared)',
      'T2.blocked_reason',
    ]);
    expect(kb).toEqual(start());
  });

  it('puts back the status of a task that existed; a new task stays, but not as done', () => {
    const kb = edited((k) => {
      k.task_queue.high_priority[0]!.status = 'done';
      k.task_queue.low_priority.push(TaskSchema.parse({ task_id: 'T3', status: 'done' }));
    });
    expect(restoreGoldloopFields(kb, start())).toEqual(['T1.status (done -> ready)', 'T3.status (a new task cannot start as done)']);
    expect(kb.task_queue.high_priority[0]!.status).toBe('ready');
    expect(kb.task_queue.low_priority.map((t) => [t.task_id, t.status])).toEqual([['T3', 'ready']]);
  });

  it('puts back removed requirements and documents; added ones stay', () => {
    const kb = edited((k) => {
      k.requirements = [{ id: 'REQ-002', text: 'new' }];
      k.documents = ['docs/new.md'];
    });
    expect(restoreGoldloopFields(kb, start())).toEqual(['requirement REQ-001 (removed)', 'documents (docs/spec.md removed)']);
    expect(kb.requirements.map((r) => r.id)).toEqual(['REQ-002', 'REQ-001']);
    expect(kb.documents).toEqual(['docs/new.md', 'docs/spec.md']);
  });
});
