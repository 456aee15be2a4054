/**
 * The sandbox an agent runs in, from the project folder it works in and the CLI it is: the
 * policy (what it may see and write) and its environment. Goldloop trusts nothing the agent can
 * write, so the policy keeps it out of Goldloop's folder in the project, the git internals
 * Goldloop's own git runs (a hook or `core.fsmonitor` there would run outside the sandbox), and
 * Goldloop's config and state folders; home is hidden but for what the CLI needs.
 */
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  goldloopFiles,
  pathFoldersIn,
  programFiles,
  resolvePolicy,
  wrapInSandbox,
  type ProbedSandbox,
  type SandboxedCommand,
} from '../../platform/sandbox.ts';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';
import { goldloopFolders, MADE_FIRST, PINNED, READ_ONLY } from '../../store/walls.ts';
import type { Kb } from '../../store/kb/schema.ts';
import type { AgentAdapter } from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The one place in `.goldloop/` a cycle's prompt lets the agent write (engine/guard/notes.ts reads it). */
export const NOTES_DIR = join(GOLDLOOP_DIR, 'notes');

/** The variable holding each run's random marker, by which processes it left are found (`platform/leftovers.ts`). */
export const CYCLE_TOKEN = 'GOLDLOOP_CYCLE_TOKEN';

/**
 * Goldloop's variables an agent is given: the agent contract's (the prompt file, the run's
 * marker) and the pace of the bundled demo agent. Every other `GOLDLOOP_*` (where Goldloop's
 * folders are) is Goldloop's own, and not passed on.
 */
const PASSED_ON = new Set(['GOLDLOOP_PROMPT_FILE', CYCLE_TOKEN, 'GOLDLOOP_DEMO_PACE_MS']);

/** What the KB keeps from the agent's sight, as agent run options: the held-out acceptance tests' folder. */
export const keptFromAgent = (kb: Kb): { hidden?: string[] } => (kb.gates.holdout ? { hidden: [kb.gates.holdout.dir] } : {});

/**
 * The agent's environment, as additions to Goldloop's own: the adapter's variables, a fresh
 * marker, `PWD` where it works (OpenCode takes its folder from it), and Goldloop's own variables
 * removed (undefined).
 */
export function agentEnv(
  base: Env,
  command: Record<string, string> | undefined,
  cwd: string,
): { env: Record<string, string | undefined>; token: string } {
  const token = randomBytes(16).toString('hex');
  const env: Record<string, string | undefined> = {};
  for (const name of Object.keys(base)) if (name.startsWith('GOLDLOOP_') && !PASSED_ON.has(name)) env[name] = undefined;
  return { env: { ...env, ...command, [CYCLE_TOKEN]: token, PWD: cwd }, token };
}

/** The entries of home whose names start with one of `prefixes`, folders and files apart. */
async function homeEntries(home: string, prefixes: readonly string[] | undefined): Promise<{ folders: string[]; files: string[] }> {
  const found = { folders: [] as string[], files: [] as string[] };
  if (!prefixes?.length) return found;
  const names = await readdir(home).catch(() => [] as string[]);
  for (const name of names.filter((n) => prefixes.some((p) => n.startsWith(p)))) {
    const path = join(home, name);
    const kind = await stat(path).catch(() => undefined);
    if (kind?.isDirectory()) found.folders.push(path);
    else if (kind?.isFile()) found.files.push(path);
  }
  return found;
}

/**
 * The CLI's own folders and files in home, as the sandbox shows them to every run of it: where it
 * keeps its sessions, which a later run can read.
 */
export async function cliOwnPaths(adapter: AgentAdapter, env: Env, home = homedir()): Promise<{ folders: string[]; files: string[] }> {
  const own = adapter.ownPaths?.(home, env) ?? { folders: [] };
  const prefixed = await homeEntries(home, own.homePrefixes);
  return { folders: [...own.folders, ...prefixed.folders], files: [...(own.files ?? []), ...prefixed.files] };
}

/**
 * `argv` wrapped in the sandbox for an agent working in `project`. The agent may write the
 * project except `READ_ONLY` (but `writable` inside it); `.git` is pinned, so it cannot be renamed
 * away and replaced by one with hooks of the agent's. Its CLI's own folders are readable and
 * writable; the folders on PATH under home or the temp folder, and the agent's program files
 * there, readable; Goldloop's config and state folders and the user's runtime folder (its
 * session bus, agent sockets) hidden.
 */
export async function sandboxedArgv(
  sandbox: ProbedSandbox,
  adapter: AgentAdapter,
  argv: string[],
  project: string,
  env: Env,
  writable: readonly string[] = [NOTES_DIR],
  hiddenToo: readonly string[] = [],
): Promise<SandboxedCommand & { cwd: string }> {
  if (sandbox.status.kind === 'none') return { argv, copies: [], cwd: project };
  const home = homedir();
  const path = env.PATH ?? '';
  const hiddenRoots = [home, tmpdir(), '/tmp'];
  const own = await cliOwnPaths(adapter, env, home);
  const policy = await resolvePolicy({
    project,
    make: [...MADE_FIRST, ...writable],
    pinned: PINNED,
    readOnly: READ_ONLY,
    writable: [...writable],
    home,
    programs: [
      ...pathFoldersIn(hiddenRoots, path),
      ...programFiles(argv, hiddenRoots, path, project),
      ...goldloopFiles(hiddenRoots, project),
    ],
    ownFolders: own.folders,
    ownFiles: own.files,
    hidden: [...goldloopFolders(env), ...hiddenToo],
    temp: [tmpdir(), '/tmp', '/var/tmp'],
  });
  return { ...wrapInSandbox(sandbox, policy, argv, policy.project), cwd: policy.project };
}
