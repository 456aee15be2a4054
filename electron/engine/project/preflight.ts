/**
 * The preflight, run before any cycle by `goldloop run`, the dashboard's and the tray's Start, and
 * again when the settings change: it finds what is on the machine (the agent's CLI and its
 * version, git, the repository) and judges it with the KB (preflight-checks.ts). A failing
 * preflight starts no cycle, counts nothing and commits nothing.
 */
import { join } from 'node:path';
import type { Preflight } from '../../contract/preflight.ts';
import { adapterFor, withExecutable, type AgentChoice } from '../agents/registry.ts';
import { programPath } from '../agents/program.ts';
import type { AgentAdapter } from '../agents/types.ts';
import { gitVersion, isRepository } from '../../platform/git.ts';
import { runProcess } from '../../platform/process.ts';
import { sandboxFor } from '../../platform/sandbox.ts';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { preflightChecks, type AgentFacts, type PreflightFacts } from './preflight-checks.ts';

export type { AgentFacts, PreflightFacts } from './preflight-checks.ts';

export interface PreflightInput {
  projectDir: string;
  kb: Kb;
  /** The agent the run would drive (the KB's, or the CLI's flags over it); `given`: the host supplies a runner of its own. */
  agent: AgentChoice | undefined | 'given';
  /** When the facts are found (tests); default now. */
  now?: Date;
}

/** Checks everything only the user can fix; `ok` is false when any check fails. */
export async function preflight(input: PreflightInput): Promise<Preflight> {
  const [agent, git, repository] = await Promise.all([
    input.agent === 'given' ? ({ kind: 'given' } as const) : agentFacts(input.agent, input.projectDir, input.kb),
    gitVersion(input.projectDir),
    isRepository(input.projectDir),
  ]);
  const facts: PreflightFacts = { agent, ...(git ? { git } : {}), repository };
  const checks = preflightChecks(input.kb, facts, input.projectDir);
  return { ok: checks.every((c) => c.ok), checks, checked_at: (input.now ?? new Date()).toISOString() };
}

/** What is found of the chosen agent: its program, its version, the permission mode it would run with. */
export async function agentFacts(choice: AgentChoice | undefined, projectDir: string, kb: Kb): Promise<AgentFacts> {
  if (!choice) return { kind: 'none' };
  let adapter: AgentAdapter;
  try {
    adapter = adapterFor(choice.type, choice.command);
    if (choice.executable && choice.type !== 'command') adapter = withExecutable(adapter, choice.executable, projectDir);
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
  const sandboxed = sandboxFor(choice.sandbox ?? kb.agent?.sandbox).status.kind === 'bubblewrap';
  const mode = choice.permission_mode ?? adapter.defaultPermissionMode?.(sandboxed);
  try {
    // The adapter's own checks of the model, the permission mode and the arguments, as a cycle would meet them.
    adapter.buildCommand({
      prompt: '',
      promptFile: join(projectDir, GOLDLOOP_DIR, 'prompt.md'),
      cwd: projectDir,
      ...(choice.model ? { model: choice.model } : {}),
      ...(mode ? { permissionMode: mode } : {}),
      ...(choice.extra_args ? { extraArgs: choice.extra_args } : {}),
    });
  } catch (error) {
    return { kind: 'invalid', message: `${adapter.displayName}: ${(error as Error).message}` };
  }
  const command = adapter.kind === 'command';
  const path = programPath(adapter.executable, projectDir);
  if (!path) return { kind: 'missing', name: adapter.displayName, program: adapter.executable, installHint: adapter.installHint, command };
  // A command agent's program is the agent itself: asking it for a version would run it.
  const version = command ? undefined : await cliVersion(path, projectDir);
  return {
    kind: 'found',
    name: adapter.displayName,
    path,
    ...(version ? { version } : {}),
    ...(mode ? { mode } : {}),
    modeSet: choice.permission_mode !== undefined,
    readOnlyModes: adapter.readOnlyModes ?? [],
  };
}

/** The first line `<cli> --version` prints; a watchdog, not a measure, ends one that hangs. */
async function cliVersion(path: string, cwd: string): Promise<string | undefined> {
  const result = await runProcess([path, '--version'], { cwd, timeoutMs: 60_000 });
  if (result.exitCode !== 0) return undefined;
  return result.stdoutTail.map((l) => l.trim()).find(Boolean);
}
