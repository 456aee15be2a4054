import { ApiError, fail } from '../../contract/errors.ts';
import { isAgentKind, runnerFor } from '../../engine/agents/registry.ts';
import type { AgentRunner } from '../../engine/agents/runner.ts';
import { loadKb } from '../../store/kb/kb-file.ts';

/** The agent a project's KB names, like `goldloop run` without flags. */
export async function agentFromKb(projectDir: string): Promise<AgentRunner> {
  const kb = await loadKb(projectDir);
  const agent = kb.agent;
  if (!agent) {
    return fail(
      'bad_request',
      `no agent configured for ${projectDir}`,
      'set "agent": { "type": "claude-code" } (or "command" with "command": [argv]) in .ai-knowledge-base.json, then start again',
      'agent',
    );
  }
  if (!isAgentKind(agent.type))
    return fail(
      'bad_request',
      `unknown agent type "${agent.type}"`,
      'use one of claude-code, codex, gemini, opencode, aider, command',
      'agent.type',
    );
  try {
    // A CLI installed off PATH: the KB names its program, as `goldloop run` honours it.
    return runnerFor({ ...agent, type: agent.type }, projectDir).runner;
  } catch (error) {
    return fail('bad_request', (error as Error).message, 'set agent.command to an argv array in .ai-knowledge-base.json', 'agent.command');
  }
}

/**
 * An agent resolved again for every cycle, so an agent changed in the settings is the next
 * cycle's agent. One that cannot be resolved fails that cycle as a spawn error, with the fix.
 */
export function agentEachCycle(agentFor: (projectDir: string) => Promise<AgentRunner>, projectDir: string): AgentRunner {
  const each: AgentRunner = async (ctx) => {
    let runner: AgentRunner;
    try {
      runner = await agentFor(projectDir);
    } catch (error) {
      return { exitCode: null, durationMs: 0, events: [], stderrTail: [], spawnError: cannotResolve(error) };
    }
    return runner(ctx);
  };
  // Asked before a cycle is taken up: an agent that cannot be resolved or started makes no cycle.
  each.ready = async (dir) => {
    try {
      return await (await agentFor(projectDir)).ready?.(dir);
    } catch (error) {
      return cannotResolve(error);
    }
  };
  return each;
}

/** Why the agent could not be resolved from the settings, with the fix. */
function cannotResolve(error: unknown): string {
  const body = error instanceof ApiError ? error.body : undefined;
  return body ? `${body.message}; fix: ${body.fix ?? 'check the agent settings'}` : (error as Error).message;
}
