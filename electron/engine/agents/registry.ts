import { resolve } from 'node:path';
import type { SandboxMode } from '../../contract/sandbox.ts';
import { aiderAdapter } from './aider.ts';
import { claudeCodeAdapter } from './claude-code.ts';
import { codexAdapter } from './codex.ts';
import { commandAdapter } from './command.ts';
import { geminiAdapter } from './gemini.ts';
import { opencodeAdapter } from './opencode.ts';
import { adapterRunner, type AgentRunner } from './runner.ts';
import type { AgentAdapter, AgentKind } from './types.ts';

/** The agent CLIs Goldloop drives, by the name users give with `--agent` or `agent.type`. */
export const AGENT_KINDS: AgentKind[] = ['claude-code', 'codex', 'gemini', 'opencode', 'aider', 'command'];

const BUILT_IN: Record<Exclude<AgentKind, 'command'>, AgentAdapter> = {
  'claude-code': claudeCodeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
  opencode: opencodeAdapter,
  aider: aiderAdapter,
};

export function isAgentKind(value: string): value is AgentKind {
  return (AGENT_KINDS as string[]).includes(value);
}

/**
 * The adapter with another program in place of its usual executable (agent.executable: a CLI
 * installed outside PATH, or a wrapper). A path with a slash is taken from the project folder.
 */
export function withExecutable(adapter: AgentAdapter, executable: string, projectDir: string): AgentAdapter {
  const program = executable.includes('/') || executable.includes('\\') ? resolve(projectDir, executable) : executable;
  return { ...adapter, executable: program };
}

/** The adapter for a kind; `command` needs its argv. Throws with the fix when something is missing. */
export function adapterFor(kind: AgentKind, commandArgv?: string[]): AgentAdapter {
  if (kind === 'command') {
    if (!commandArgv?.length)
      throw new Error('the command agent needs a program: give --agent-cmd "<command line>" or agent.command (an argv array) in the KB');
    return commandAdapter(commandArgv);
  }
  return BUILT_IN[kind];
}

/** The agent a project runs, as the KB's `agent` section names it (or the CLI's flags over it). */
export interface AgentChoice {
  type: AgentKind;
  command?: string[] | undefined;
  executable?: string | undefined;
  model?: string | undefined;
  permission_mode?: string | undefined;
  extra_args?: string[] | undefined;
  sandbox?: SandboxMode | undefined;
}

/**
 * A runner for the chosen agent: its adapter, with its program when not the usual one, its
 * model, permission mode and extra arguments, in the sandbox unless the choice turns it off. Throws like `adapterFor` (a command agent without
 * its argv); each host words that for its user.
 */
export function runnerFor(choice: AgentChoice, projectDir: string): { runner: AgentRunner; name: string } {
  let adapter = adapterFor(choice.type, choice.command);
  if (choice.executable) adapter = withExecutable(adapter, choice.executable, projectDir);
  return {
    name: adapter.displayName,
    runner: adapterRunner(
      adapter,
      {
        ...(choice.model ? { model: choice.model } : {}),
        ...(choice.permission_mode ? { permissionMode: choice.permission_mode } : {}),
        ...(choice.extra_args ? { extraArgs: choice.extra_args } : {}),
      },
      choice.sandbox,
    ),
  };
}
