import type { CommandGateSettings } from '../../../electron/contract/api.ts';
import { joinCommandLine, splitCommandLine } from '../../../electron/contract/command-line.ts';

/**
 * What every part of the settings form builds on: a number box's value, a command gate's draft,
 * the checks that stop a patch being sent, and the patch of a command gate.
 */

export type Num = number | null;

export interface CommandGateDraft {
  enabled: boolean;
  /** argv as one line, split like a shell would (without one). */
  command: string;
  timeout_minutes: Num;
}

export const gateDraft = (g: CommandGateSettings): CommandGateDraft => ({
  enabled: g.enabled,
  command: joinCommandLine(g.command),
  timeout_minutes: g.timeout_minutes,
});

/** Field keys are the engine's error fields: `settings.schedule.duration_minutes`. */
export type FieldErrors = Record<string, string>;

export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export type CommandGateName = 'tests' | 'mutation' | 'security' | 'performance' | 'build' | 'holdout';

/** What stops a patch being sent, under each field's key: one record that every section adds to. */
export class FieldChecks {
  readonly errors: FieldErrors = {};

  fail(key: string, message: string): void {
    this.errors[key] = message;
  }

  /** A command line as argv; an unterminated quote is the user's to fix before anything is sent. */
  argv(key: string, line: string): string[] | undefined {
    try {
      return splitCommandLine(line);
    } catch {
      this.fail(key, 'close the quote: an argument that starts with a quote must end with the same quote');
      return undefined;
    }
  }

  /** A number box that must hold a number. */
  required(key: string, value: Num): value is number {
    if (isNum(value)) return true;
    this.fail(key, 'give a number');
    return false;
  }
}

/** A section's patch, or undefined when nothing in it changed. */
export const changed = <T extends object>(section: T): T | undefined => (Object.keys(section).length ? section : undefined);

/** What every command gate has: the switch, the command line and its timeout. */
export function commandGatePatch(
  name: CommandGateName,
  d: CommandGateDraft,
  was: CommandGateSettings,
  check: FieldChecks,
): Partial<CommandGateSettings> {
  const out: Partial<CommandGateSettings> = {};
  if (d.enabled !== was.enabled) out.enabled = d.enabled;
  const cmd = check.argv(`settings.gates.${name}.command`, d.command);
  if (cmd && !same(cmd, was.command)) out.command = cmd;
  if (d.timeout_minutes !== was.timeout_minutes && check.required(`settings.gates.${name}.timeout_minutes`, d.timeout_minutes))
    out.timeout_minutes = d.timeout_minutes;
  return out;
}
