/**
 * The loop's side of the guard: telling the user what the guard put back or rejected, and
 * carrying its findings into the next prompt.
 */
import type { SetAside } from '../guard/settle.ts';
import type { TamperFinding } from '../guard/tamper.ts';
import { KB_FILE } from '../../store/kb/kb-file.ts';
import type { CycleContext } from './cycle-context.ts';

/** Says that the agent's KB could not be read and was set aside. */
export function warnSetAside(ctx: CycleContext, iteration: number, setAside: SetAside | undefined): void {
  if (!setAside) return;
  const { path, why } = setAside;
  ctx.out.alert(
    'warning',
    `cycle ${iteration}: the agent left ${KB_FILE} unreadable (${why}); it is kept as ${path}, and the knowledge base from the cycle's start is back`,
  );
}

/** Says which fields only Goldloop writes the agent edited; they were put back. */
export function warnRestored(ctx: CycleContext, iteration: number, restored: string[]): void {
  if (restored.length)
    ctx.out.alert('warning', `cycle ${iteration}: the agent edited fields only Goldloop writes; restored: ${restored.join('; ')}`);
}

/** The alert for a cycle that weakened the measurements. */
export function notCounted(iteration: number, tamper: TamperFinding[]): string {
  return `cycle ${iteration} weakened the measurements and is not counted: ${tamper.map((t) => t.message).join('; ')}`;
}

/** The findings as the next prompt shows them: each with the lines that show it. */
export function tamperFeedback(tamper: TamperFinding[]): string[] {
  return tamper.map((t) => (t.evidence ? `${t.message}:\n${t.evidence}` : t.message));
}
