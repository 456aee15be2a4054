/**
 * "Keep the machine awake while a cycle runs; let it sleep on a break." The policy is pure
 * (`wantAwake`, `powerStep`); `createPowerKeeper` applies it to an injected blocker — Electron's
 * powerSaveBlocker in the app, a recording fake in tests.
 */
import type { ProjectView } from '../contract/status.ts';

/**
 * A cycle is under way in some project: its loop is `running` (an agent working, or the gates
 * being measured), or a manual gate run is measuring. A break, a wait for an agent's usage limit,
 * a pause: the machine may sleep — the loop's clock catches up when it wakes.
 */
export function wantAwake(projects: readonly ProjectView[]): boolean {
  return projects.some((p) => p.measuring || (p.driven && p.status?.state === 'running'));
}

/** What to do with the blocker: start one, stop the one held, or nothing. */
export type PowerStep = 'start' | 'stop' | 'none';

/** The step from "is a blocker held" and "is one wanted". */
export function powerStep(holding: boolean, want: boolean): PowerStep {
  if (want && !holding) return 'start';
  if (!want && holding) return 'stop';
  return 'none';
}

/** The part of Electron's powerSaveBlocker the keeper uses. */
export interface PowerBlocker {
  /** 'prevent-app-suspension': the system stays up, the display may still turn off. */
  start(type: 'prevent-app-suspension'): number;
  stop(id: number): void;
}

/** Applies the policy on every state change; `release` drops the blocker (on quit). */
export interface PowerKeeper {
  update(projects: readonly ProjectView[]): PowerStep;
  release(): void;
  readonly holding: boolean;
}

export function createPowerKeeper(blocker: PowerBlocker): PowerKeeper {
  let id: number | undefined;
  return {
    update(projects) {
      const step = powerStep(id !== undefined, wantAwake(projects));
      if (step === 'start') id = blocker.start('prevent-app-suspension');
      if (step === 'stop' && id !== undefined) {
        blocker.stop(id);
        id = undefined;
      }
      return step;
    },
    release() {
      if (id !== undefined) blocker.stop(id);
      id = undefined;
    },
    get holding() {
      return id !== undefined;
    },
  };
}
