import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { commandAdapter } from '../../electron/engine/agents/command.ts';
import { markedProcesses } from '../../electron/platform/leftovers.ts';
import { adapterRunner, type AgentRunner } from '../../electron/engine/agents/runner.ts';
import { createDemoProject, DEMO_AGENT, type DemoOptions } from '../../electron/engine/demo/project.ts';
import { TempDirs as TempFolders } from './temp.ts';

export const FIXTURE_AGENTS = fileURLToPath(new URL('../fixtures/agents/', import.meta.url));
export const agentPath = (name: string): string => join(FIXTURE_AGENTS, name);

/** A real command agent running one of the fixture programs (or the demo agent). */
export function scriptedAgent(script: string, args: string[] = []): AgentRunner {
  return adapterRunner(commandAdapter([process.execPath, script, ...args]));
}

/**
 * A scripted agent run with no sandbox (agent.sandbox off), as where none can run (Windows): for
 * the protections that must hold without one.
 */
export function unsandboxedAgent(script: string, args: string[] = []): AgentRunner {
  return adapterRunner(commandAdapter([process.execPath, script, ...args]), {}, 'off');
}

export const demoAgent = (): AgentRunner => scriptedAgent(DEMO_AGENT);

/**
 * Temp folders made by a test file, removed by `cleanup()`; `demo()` makes one holding the demo
 * project, without its mutation gate unless asked (`{ mutation: true }`): a Stryker run costs
 * seconds, and only the tests of that gate need it.
 */
export class TempDirs extends TempFolders {
  async demo(options: DemoOptions = {}): Promise<string> {
    const dir = await this.make('goldloop-demo-test-');
    await createDemoProject(dir, { ...options, mutation: options.mutation ?? false });
    return dir;
  }
}

/** True while the process runs. A zombie (exited, not yet reaped by its new parent) counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The environment variable `markAgents` sets. */
export const AGENT_MARK = 'TEST_AGENT_MARK';

/**
 * A marker for the agent processes a test starts: put `env` in the environment they inherit, and
 * `processes()` finds them by it — in a sandbox too, where the pids an agent sees are not ours.
 */
export function markAgents(): { env: Record<string, string>; processes: () => Promise<number[]> } {
  const value = randomUUID();
  return { env: { [AGENT_MARK]: value }, processes: () => markedProcesses(AGENT_MARK, value) };
}
