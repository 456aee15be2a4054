import type { KbInput } from '../../electron/store/kb/schema.ts';

/**
 * A big knowledge base for the benches: `n` tasks spread over the three queues and four phases,
 * every fifth done, most depending on the one before, each naming one of 500 requirements; the
 * agent is a command that does nothing (nothing runs it, but the preflight wants one).
 */
export function bigKb(n: number): KbInput {
  const names = ['high_priority', 'medium_priority', 'low_priority'] as const;
  const queues: Record<string, unknown[]> = { high_priority: [], medium_priority: [], low_priority: [] };
  for (let i = 1; i <= n; i++) {
    queues[names[i % 3]!]!.push({
      task_id: `TASK_${i}`,
      description: `Task number ${i}: implement part ${i} of the system with its tests`,
      priority: ['P0', 'P1', 'P2'][i % 3],
      phase: (i % 4) + 1,
      estimated_time: '2 hours',
      dependencies: i > 1 && i % 3 !== 0 ? [`TASK_${i - 1}`] : [],
      status: i % 5 === 0 ? 'done' : 'ready',
      requirements: [`REQ-${i % 500}`],
    });
  }
  return {
    task_queue: queues as KbInput['task_queue'],
    requirements: Array.from({ length: 500 }, (_, i) => ({ id: `REQ-${i}`, text: `Requirement ${i}` })),
    agent: { type: 'command', command: ['true'] },
  };
}
