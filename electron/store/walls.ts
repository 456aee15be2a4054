/**
 * What whatever runs the agent's code is kept from, in paths: the agent itself
 * (`engine/agents/sandbox.ts`) and the project's own commands that the gates run, which run the
 * code the agent wrote (`engine/gates/sandbox.ts`). Goldloop's folder in the project and the git
 * internals Goldloop's own git reads stay read-only; Goldloop's config and state folders and the
 * user's runtime folder (its session bus, agent sockets) are hidden.
 */
import { configDir, stateDir } from '../platform/app-dirs.ts';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Inside the project, what may be read but not written. */
export const READ_ONLY = [GOLDLOOP_DIR, '.git/config', '.git/hooks', '.git/info'];

/**
 * Made before the sandbox starts, each where its parent exists: a rule on a missing folder would
 * hold nothing, and a `.git/hooks` made inside the sandbox would be writable.
 */
export const MADE_FIRST = [GOLDLOOP_DIR, '.git/hooks', '.git/info'];

/** Kept in place (a mount point cannot be renamed away and replaced by one with other hooks). */
export const PINNED = ['.git'];

/** Goldloop's config and state folders and the user's runtime folder: hidden whatever lies around them. */
export const goldloopFolders = (env: Env): string[] => [
  configDir(env),
  stateDir(env),
  ...(env.XDG_RUNTIME_DIR ? [env.XDG_RUNTIME_DIR] : []),
];
