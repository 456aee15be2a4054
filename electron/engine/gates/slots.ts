/**
 * The machine-wide gate scheduler: gate phases are CPU-heavy, so every Goldloop process on this
 * machine (each `goldloop run`, the desktop app's supervisor, `goldloop gates`) shares a number of
 * gate slots — `GOLDLOOP_GATE_SLOTS`, by default the number of cores — and a phase that finds them
 * all taken waits its turn, in the order it asked, saying so in the project's status.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { stateDir } from '../../platform/app-dirs.ts';
import { MachineSlots, type SlotWait } from '../../platform/machine-slots.ts';

type Env = Record<string, string | undefined>;

/** How many gate phases may run at once on this machine; a bad `GOLDLOOP_GATE_SLOTS` is an error that says how to fix it. */
export function gateSlotLimit(env: Env = process.env): number {
  const raw = env.GOLDLOOP_GATE_SLOTS?.trim();
  if (!raw) return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(
      `GOLDLOOP_GATE_SLOTS=${raw.slice(0, 40)}: use a whole number from 1 to 256 (how many gate phases may run at once on this machine), or unset it for the number of cores (${availableParallelism()})`,
    );
  return n;
}

const opened = new Map<string, MachineSlots>();

/** The gate slots of this machine (of this state folder: tests and the torture run keep their own). */
export function gateSlots(env: Env = process.env): MachineSlots {
  const folder = join(stateDir(env), 'gate-slots');
  const limit = gateSlotLimit(env);
  const key = `${folder}\n${limit}`;
  let slots = opened.get(key);
  if (!slots) opened.set(key, (slots = new MachineSlots(folder, limit)));
  return slots;
}

/** The status line of a phase that waits for a slot. */
export function slotWaitWords(w: SlotWait): string {
  const running = `${w.inUse} of ${w.limit} gate phase${w.limit === 1 ? '' : 's'} ${w.inUse === 1 ? 'is' : 'are'} running on this machine`;
  return `waiting for a gate slot: ${running}${w.ahead ? `, ${w.ahead} waiting before this one` : ''} (GOLDLOOP_GATE_SLOTS sets the limit)`;
}
