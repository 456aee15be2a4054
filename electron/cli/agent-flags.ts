/**
 * The agent and loop flags of `goldloop run` (and of `goldloop init --plan`), turned into what the
 * engine takes: an agent runner, resolved from the flags first and the knowledge base second, and
 * the loop's overrides.
 */
import { splitCommandLine } from '../engine/agents/command.ts';
import { AGENT_KINDS, isAgentKind, runnerFor, type AgentChoice } from '../engine/agents/registry.ts';
import type { AgentRunner } from '../engine/agents/runner.ts';
import type { LoopOverrides } from '../engine/loop/project-loop.ts';
import { loadKb } from '../store/kb/kb-file.ts';
import type { Kb } from '../store/kb/schema.ts';
import { UsageError } from './exit.ts';

export interface RunFlags {
  agent?: string;
  agentCmd?: string;
  model?: string;
  permissionMode?: string;
  agentArg?: string[];
  cycleTimeout?: number;
  break?: number;
  maxIterations?: number;
  idleTimeout?: number;
  git: boolean;
  plain?: boolean;
  notify?: boolean;
}

/** Resolves the agent: flags first, then the KB's `agent` section. */
export async function agentFor(dir: string, flags: RunFlags): Promise<{ runner: AgentRunner; name: string }> {
  const choice = agentChoice(await loadKb(dir), flags);
  if (choice === undefined) {
    throw new UsageError(
      `no agent configured for ${dir}: pass --agent <${AGENT_KINDS.join('|')}> (with --agent-cmd "<command line>" for command), or set agent in .ai-knowledge-base.json`,
    );
  }
  try {
    return runnerFor(choice, dir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The agent the flags and the KB choose (flags first); undefined when neither names one. Throws UsageError for a bad flag. */
export function agentChoice(kb: Kb, flags: RunFlags): AgentChoice | undefined {
  const kind = flags.agent ?? (flags.agentCmd ? 'command' : kb.agent?.type);
  if (kind === undefined) return undefined;
  if (!isAgentKind(kind)) throw new UsageError(`--agent ${kind}: unknown agent; use one of ${AGENT_KINDS.join(', ')}`);
  let argv: string[] | undefined;
  if (flags.agentCmd !== undefined) {
    try {
      argv = splitCommandLine(flags.agentCmd);
    } catch (error) {
      throw new UsageError(`--agent-cmd: ${(error as Error).message}`);
    }
    if (argv.length === 0) throw new UsageError('--agent-cmd is empty: give the program to run, e.g. --agent-cmd "node my-agent.js"');
  } else if (kind === 'command') {
    argv = kb.agent?.command;
  }
  const fromKb = kb.agent?.type === kind ? kb.agent : undefined;
  return {
    type: kind,
    command: argv,
    // The command agent names its program in its argv; the others may live outside PATH.
    executable: kind !== 'command' ? fromKb?.executable : undefined,
    model: flags.model ?? fromKb?.model,
    permission_mode: flags.permissionMode ?? fromKb?.permission_mode,
    extra_args: flags.agentArg ?? fromKb?.extra_args,
    // Whichever agent the flags pick, the project's sandbox setting holds.
    sandbox: kb.agent?.sandbox,
  };
}

/** The loop settings the flags override; a flag not given leaves the KB's value. */
export function overridesFrom(flags: RunFlags): LoopOverrides {
  return {
    ...(flags.cycleTimeout !== undefined ? { cycleTimeoutMs: flags.cycleTimeout } : {}),
    ...(flags.break !== undefined ? { breakMs: flags.break } : {}),
    ...(flags.maxIterations !== undefined ? { maxIterations: flags.maxIterations } : {}),
    ...(flags.idleTimeout !== undefined ? { idleTimeoutMs: flags.idleTimeout } : {}),
  };
}
