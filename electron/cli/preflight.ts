/** The preflight as `goldloop run` shows it: every check, a mark each, and the fix under each one that fails. */
import { preflightFailures, preflightLines } from '../contract/preflight.ts';
import { preflight } from '../engine/project/preflight.ts';
import { terminalSafe } from '../platform/terminal-text.ts';
import { loadKb } from '../store/kb/kb-file.ts';
import { agentChoice, type RunFlags } from './agent-flags.ts';

/**
 * Runs the preflight for `goldloop run` with its flags. True when every check passes (one line says
 * so); otherwise the whole list goes to stderr, and no cycle may start.
 */
export async function preflightBeforeRun(projectDir: string, flags: RunFlags): Promise<boolean> {
  const kb = await loadKb(projectDir);
  const checked = await preflight({ projectDir, kb, agent: agentChoice(kb, flags) });
  const agent = checked.checks.find((c) => c.id === 'agent');
  if (checked.ok) {
    process.stdout.write(`Preflight: all ${checked.checks.length} checks pass${agent ? ` (${terminalSafe(agent.detail)})` : ''}\n`);
    return true;
  }
  const failing = preflightFailures(checked).length;
  process.stderr.write(
    `goldloop: ${failing} preflight check${failing === 1 ? '' : 's'} failed for ${projectDir}; no cycle started:\n${preflightLines(checked).map(terminalSafe).join('\n')}\n`,
  );
  return false;
}
