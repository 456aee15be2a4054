/**
 * The sandbox the agent runs in, as `goldloop status`, the dashboard and each cycle's log say it:
 * what it is, and what it allows and refuses, in words a user can check. A `none` says why, and
 * what it means; no view claims a protection that is not there. Plain data and strings only.
 */

/** `agent.sandbox`: `auto` runs the agent in the OS sandbox wherever one runs; `off` never does. */
export const SANDBOX_MODES = ['auto', 'off'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** Why there is no sandbox when the user turned it off. */
export const SANDBOX_OFF = 'the sandbox is turned off in this project\'s settings (agent.sandbox: "off")';

export type SandboxStatus =
  /** Linux: bubblewrap, with its own PID namespace. */
  | { kind: 'bubblewrap'; version: string }
  /** macOS: sandbox-exec with a Seatbelt profile; files and signals only, no PID namespace. */
  | { kind: 'seatbelt' }
  /**
   * No sandbox: `why` says what is missing (or that the user turned it off). `leftovers` says how
   * the processes an agent leaves behind are ended: by the per-cycle marker in their environment,
   * or (Windows) only as the agent's process tree.
   */
  | { kind: 'none'; why: string; leftovers: 'marker' | 'tree' };

/** Which sandbox, in two or three words: `bubblewrap 0.8.0`, `Seatbelt (macOS)`, `none`. */
export function sandboxName(s: SandboxStatus): string {
  if (s.kind === 'bubblewrap') return `bubblewrap ${s.version}`;
  if (s.kind === 'seatbelt') return 'Seatbelt (macOS)';
  return 'none';
}

const FILES =
  'it may write the project, but not .goldloop/ (except .goldloop/notes/) nor .git/config, .git/hooks and .git/info; ' +
  "it does not see your home (except its CLI's own folders, read-write, and the folders on PATH, read-only) " +
  "nor Goldloop's config and state folders";

const MARKER = 'a process that clears its environment escapes this';

/** What the sandbox allows and refuses, in sentences a user can check. */
export function sandboxMeaning(s: SandboxStatus): string {
  if (s.kind === 'bubblewrap')
    return (
      'The agent runs in its own PID namespace: it cannot see or signal Goldloop, and every process it starts ends with its cycle. ' +
      `The rest of the system is read-only and /tmp is its own; ${FILES}. The network is open. ` +
      "The project's commands the gates run (its tests, build, benchmark and scan, which run the agent's code) are sandboxed too: " +
      "they may write your home, but see neither Goldloop's folders nor the held-out tests, and nothing they start outlives the gate."
    );
  if (s.kind === 'seatbelt')
    return (
      "The agent cannot signal processes outside its sandbox, and writes only to the project, the temp folders and its CLI's own folders; " +
      `${FILES}. The network is open. macOS has no PID namespace: after each cycle Goldloop ends the processes the agent left, found by a marker in their environment (${MARKER}). ` +
      "The project's commands the gates run (its tests, build, benchmark and scan) are not sandboxed yet: they run the agent's code as you."
    );
  const ends =
    s.leftovers === 'marker'
      ? `After each cycle Goldloop ends the processes the agent left, found by a marker in their environment (${MARKER}).`
      : "Only the agent's own process tree is ended after each cycle: a process it detached can outlive the cycle.";
  return `${s.why}. The agent runs as you: it can read your home and change anything you can, Goldloop's own files and settings included. ${ends}`;
}

/** One short line, the first of each cycle's log: which sandbox, and the gist of what it refuses. */
export function sandboxLine(s: SandboxStatus): string {
  if (s.kind === 'none') return `sandbox: none — ${s.why}; the agent runs as you, with all your files`;
  const pid = s.kind === 'bubblewrap' ? 'own PID namespace' : 'no signals outside it';
  return `sandbox: ${sandboxName(s)} (${pid}; .goldloop/ and .git's config, hooks and info read-only; home, Goldloop's folders hidden; network open)`;
}
