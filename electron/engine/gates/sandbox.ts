/**
 * The sandbox a gate command runs in. The project's commands (its tests, build, benchmark, scan)
 * run the code the agent wrote, so on Linux they get the agent's walls (`store/walls.ts`):
 * Goldloop's folder in the project and the git internals read-only, Goldloop's config and state
 * folders and the user's runtime folder hidden, the held-out tests hidden from every gate but
 * their own, a private /tmp holding only the gate's reports folder, and a PID namespace of their
 * own, so nothing they start outlives them. Unlike the agent, a gate command sees and writes the
 * user's home (the caches of Go, pip's user site, a browser download), as the project's tests do
 * when the user runs them. The KB's `agent.sandbox: "off"` turns it off with the agent's. macOS
 * and Windows: not yet, and the README's trust model says so.
 */
import { getPriority, homedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import {
  goldloopFiles,
  isExecutable,
  onPath,
  pathFoldersIn,
  programFiles,
  resolvePolicy,
  sandboxFor,
  wrapInSandbox,
  type SandboxedCommand,
} from '../../platform/sandbox.ts';
import { goldloopFolders, MADE_FIRST, PINNED, READ_ONLY } from '../../store/walls.ts';
import type { GateContext } from './measurement.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface GateWalls {
  /** The gate's reports folder (`{reports}`): writable, inside the private /tmp. */
  reports: string;
  /** Folders the command may read although the walls hide them (the held-out tests, for their own gate): read-only. */
  shown?: string[];
  /** Folders it writes reports to besides `{reports}` (a report path configured outside it): made first, writable. */
  written?: string[];
  /**
   * The priority it starts at (a background gate's). Set on the sandbox's first process by `nice`,
   * as its children inherit it: set afterwards, it could miss the command the sandbox has already started.
   */
  niceness?: number;
}

/** `argv` wrapped in the gate sandbox for `ctx`'s project; unchanged where no bubblewrap sandbox runs. */
export async function gateArgv(
  ctx: GateContext,
  argv: string[],
  walls: GateWalls,
  env: Env = process.env,
): Promise<SandboxedCommand & { nicesItself?: true }> {
  const sandbox = sandboxFor(ctx.kb.agent?.sandbox);
  if (sandbox.status.kind !== 'bubblewrap') return { argv, copies: [] };
  const path = env.PATH ?? '';
  // A program that cannot start is left to fail as it would outside (ENOENT, EACCES): the gate's hint names what to install.
  const program = argv[0] ?? '';
  if (!(program.includes('/') ? isExecutable(resolve(ctx.projectDir, program)) : onPath(program, path))) return { argv, copies: [] };
  const hiddenRoots = [tmpdir(), '/tmp'];
  const holdout = ctx.kb.gates.holdout?.dir;
  const shown = new Set(walls.shown ?? []);
  const policy = await resolvePolicy({
    project: ctx.projectDir,
    make: MADE_FIRST,
    pinned: PINNED,
    // After home and the project are mounted writable: what is shown stays read-only wherever it lies.
    readOnly: [...READ_ONLY, ...shown],
    programs: [
      ...pathFoldersIn(hiddenRoots, path),
      ...programFiles(argv, hiddenRoots, path, ctx.projectDir),
      ...goldloopFiles(hiddenRoots, ctx.projectDir),
    ],
    // Where the command writes: home, its reports folder, and the folders of report paths configured outside both.
    ownFolders: [homedir(), walls.reports, ...(walls.written ?? [])],
    hidden: [...goldloopFolders(env), ...(holdout && !shown.has(holdout) ? [holdout] : [])],
    // Started in a session of its own with pipes for stdio (platform/process.ts): the session's autogroup carries a background gate's priority.
    sameSession: true,
  });
  const wrapped = wrapInSandbox(sandbox, policy, argv, policy.project);
  // `nice` adds to this process's own priority.
  const step = walls.niceness === undefined ? 0 : walls.niceness - getPriority();
  const nice = step > 0 ? onPath('nice', path) : undefined;
  return nice ? { ...wrapped, argv: [nice, '-n', String(step), ...wrapped.argv], nicesItself: true } : wrapped;
}
