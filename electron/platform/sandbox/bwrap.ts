/**
 * A policy as bubblewrap's command line. Bubblewrap applies its mounts in the order given, a later
 * one over an earlier one, so the order is the policy: the whole system read-only, then what hides
 * (an empty /tmp, an empty home), then what shows inside the hidden parts (the programs, the CLI's
 * own folders, the project), then the read-only parts of the project and the writable ones inside
 * those, and last what stays hidden whatever lies around it (Goldloop's own folders).
 */
import type { SandboxPolicy } from './policy.ts';

/** The isolation every run gets, and the probe too (so the probe fails where a run would). */
export const BWRAP_ISOLATION = [
  // A PID namespace of its own: it sees and signals only its own processes, and all of them end
  // when its first process does (bubblewrap's init is PID 1 there).
  '--unshare-pid',
  '--unshare-ipc',
  // Ended with Goldloop, even by SIGKILL.
  '--die-with-parent',
  // No TIOCSTI into a terminal outside.
  '--new-session',
  // Run as root, bubblewrap would keep every capability: an agent could unmount what hides.
  '--cap-drop',
  'ALL',
];

/** The system read-only, a fresh /dev and /proc, an empty /tmp. */
export const BWRAP_BASE = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];

export interface BwrapCommand {
  argv: string[];
  /** Files to open and hand to bubblewrap as file descriptors 3, 4, ... (`--file`: copies of the CLI's own files). */
  copies: string[];
}

/** The first file descriptor after stdin, stdout and stderr. */
const FIRST_FD = 3;

/** `bwrap` running `argv` in `cwd` under `policy` (every path real and existing, see `resolvePolicy`). */
export function bwrapCommand(bwrap: string, policy: SandboxPolicy, argv: readonly string[], cwd: string): BwrapCommand {
  const isolation = policy.sameSession ? BWRAP_ISOLATION.filter((a) => a !== '--new-session') : BWRAP_ISOLATION;
  const args: string[] = [bwrap, ...isolation, ...BWRAP_BASE];
  const mount = (flag: string, path: string): void => void args.push(flag, path, path);
  if (policy.home && policy.home !== '/') args.push('--tmpfs', policy.home);
  for (const p of policy.programs) mount('--ro-bind', p);
  for (const p of policy.ownFolders) mount('--bind', p);
  policy.ownFiles.forEach((p, i) => args.push('--file', String(FIRST_FD + i), p));
  mount('--bind', policy.project);
  // A mount point cannot be renamed or removed: `mv .git .git-old` and a new .git with its own hooks fails.
  for (const p of policy.pinned) mount('--bind', p);
  for (const p of policy.readOnly) mount('--ro-bind', p);
  for (const p of policy.writable) mount('--bind', p);
  // An empty folder that refuses writes: what the agent writes there fails, not vanishes unseen.
  for (const h of policy.hidden) {
    if (h.folder) args.push('--tmpfs', h.path, '--remount-ro', h.path);
    else args.push('--ro-bind', '/dev/null', h.path);
  }
  args.push('--chdir', cwd, '--', ...argv);
  return { argv: args, copies: [...policy.ownFiles] };
}
