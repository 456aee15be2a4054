/**
 * Argument building shared by the adapters. A user's model, permission mode and resume id reach a
 * CLI's argv only after they were checked against that CLI's own vocabulary: a bad value is a
 * settings error the user must fix, and a resume id that looks like a flag or "latest" would pick
 * some other session.
 */
import type { AgentCommand, AgentRunOptions } from './types.ts';

/** A session UUID: for CLIs whose `--resume` also takes words ("latest") that pick some session. */
export const SESSION_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The words a CLI accepts for a permission mode and a session id, and how errors name them. */
export interface CliVocabulary {
  /** The CLI's name in error messages, e.g. "Claude Code". */
  cli: string;
  /** What the CLI calls its permission setting ("approval mode") and the values it lists. */
  modes: { noun: string; allowed: readonly string[] };
  /** The session ids it may resume, and how the error describes them ("a UUID"). */
  sessionIds: { pattern: RegExp; are: string };
}

/** The permission mode, when set and one the CLI lists; throws naming the allowed ones. */
export function checkedMode(vocabulary: CliVocabulary, mode: string | undefined): string | undefined {
  const { cli, modes } = vocabulary;
  if (mode !== undefined && !modes.allowed.includes(mode)) {
    throw new Error(`${cli} ${modes.noun} "${mode}" is not one of ${modes.allowed.join(', ')}.`);
  }
  return mode;
}

/** The session id to resume, when set and one that names exactly one session; throws otherwise. */
export function checkedSessionId(vocabulary: CliVocabulary, id: string | undefined): string | undefined {
  const { cli, sessionIds } = vocabulary;
  if (id !== undefined && !sessionIds.pattern.test(id)) {
    throw new Error(`${cli} session id "${id}" is not ${sessionIds.are}; cannot resume it.`);
  }
  return id;
}

/** A CLI that takes its prompt on stdin and its settings as flags after a fixed head. */
export interface StdinCli extends CliVocabulary {
  /** The arguments every run starts with: the headless, machine-readable mode. */
  head: readonly string[];
  /** The flags for a model; `--model <model>` unless the CLI needs a check or another flag. */
  modelFlags?: (model: string) => string[];
  /** The flags for a checked permission mode (none, for a CLI's default). */
  modeFlags: (mode: string) => string[];
  /** The flags that resume a checked session id. */
  resumeFlags: (id: string) => string[];
}

/**
 * `head`, model, permission mode, resume, then the user's extra arguments last (so they can
 * override), with the prompt on stdin: no argv length limit, nothing in the process list.
 */
export function stdinCommand(spec: StdinCli, options: AgentRunOptions): AgentCommand {
  const argv = [...spec.head];
  if (options.model) argv.push(...(spec.modelFlags ?? modelFlags)(options.model));
  const mode = checkedMode(spec, options.permissionMode);
  if (mode !== undefined) argv.push(...spec.modeFlags(mode));
  const resume = checkedSessionId(spec, options.resumeSessionId);
  if (resume !== undefined) argv.push(...spec.resumeFlags(resume));
  argv.push(...(options.extraArgs ?? []));
  return { argv, stdin: options.prompt };
}

/** `--model <model>`, the spelling every supported CLI uses. */
export function modelFlags(model: string): string[] {
  return ['--model', model];
}
