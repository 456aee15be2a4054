import { resolve } from 'node:path';
import { aiderAdapter } from './aider.ts';
import { claudeCodeAdapter } from './claude-code.ts';
import { codexAdapter } from './codex.ts';
import { commandAdapter } from './command.ts';
import { geminiAdapter } from './gemini.ts';
import { opencodeAdapter } from './opencode.ts';
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
    if (!commandArgv?.length) throw new Error('the command agent needs a program: give --agent-cmd "<command line>" or agent.command (an argv array) in the KB');
    return commandAdapter(commandArgv);
  }
  return BUILT_IN[kind];
}
