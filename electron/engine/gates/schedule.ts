/**
 * The schedule of a gate phase: which command gate starts first and runs in the foreground (the
 * longest in the last phase), the spare cores the others take turns on, and the record of each
 * gate's wall time that the next phase orders by.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../platform/atomic.ts';
import { STATE_FILES, stateFile } from '../../store/state-folder.ts';
import type { CommandGateId } from './measurement.ts';
import type { GateId } from './types.ts';

/** Each gate's wall time in the last gate phase, in the project's state folder: the next phase starts the longest first. */
const timingsFile = (projectDir: string): Promise<string> => stateFile(projectDir, STATE_FILES.gateTimings);

/** The command gates in their usual order: the tests, usually the longest, first. */
export const COMMAND_GATES: readonly CommandGateId[] = ['tests', 'security', 'performance', 'build'];

/** The wall time of each command gate in the project's last gate phase; nothing when unknown or unreadable. */
export async function lastTimings(projectDir: string): Promise<Partial<Record<CommandGateId, number>>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(await timingsFile(projectDir), 'utf8'));
    const out: Partial<Record<CommandGateId, number>> = {};
    if (typeof parsed !== 'object' || parsed === null) return out;
    for (const id of COMMAND_GATES) {
      const ms = (parsed as Record<string, unknown>)[id];
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) out[id] = ms;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The cores the foreground gate leaves to the background gates. A background gate takes one while
 * it runs; with fewer cores than background gates, the others wait for one — until the
 * foreground gate ends, when every gate still waiting starts. Taking turns on a spare core costs
 * the phase nothing while the turns fit in the foreground gate's time, and spares that gate the
 * competition of more CPU-hungry processes than there are cores; a turn that would not fit (a
 * scan waiting on the network, say) lasts at most until the foreground gate ends.
 */
export class SpareCores {
  private free: number;
  private open = false;
  private readonly waiting: (() => void)[] = [];
  constructor(cores: number) {
    this.free = cores;
  }
  async take(): Promise<void> {
    if (this.open || this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    this.free++;
    const next = this.waiting.shift();
    if (next) {
      this.free--;
      next();
    }
  }
  /** The foreground gate ended: nothing is left to yield to. */
  openAll(): void {
    this.open = true;
    for (const start of this.waiting.splice(0)) {
      this.free--;
      start();
    }
  }
}

/**
 * The order to start the command gates in: the longest in the last phase first. Without a time
 * for every gate, the usual order: tests (usually the longest), security, performance, build.
 */
export function gateOrder(enabled: CommandGateId[], last: Partial<Record<CommandGateId, number>>): CommandGateId[] {
  const ordered = COMMAND_GATES.filter((id) => enabled.includes(id));
  if (!ordered.every((id) => last[id] !== undefined)) return ordered;
  return ordered.sort((a, b) => last[b]! - last[a]!);
}

/** Records this phase's wall time of each command gate, for the next phase's order. */
export async function recordTimings(projectDir: string, timings: Partial<Record<GateId, number>>): Promise<void> {
  const record = Object.fromEntries(COMMAND_GATES.filter((id) => timings[id] !== undefined).map((id) => [id, timings[id]]));
  try {
    await writeFileAtomic(await timingsFile(projectDir), `${JSON.stringify(record)}\n`, { durable: false });
  } catch {
    // Only the next phase's order depends on it.
  }
}
