/**
 * The OS sandbox a program (the agent) runs in: which one runs on this machine, and a program's
 * argv wrapped in it for a policy (`sandbox/policy.ts`). Linux: bubblewrap, probed once per
 * process by running `true` inside it, so a Linux without user namespaces says so. macOS:
 * `sandbox-exec` with a Seatbelt profile. Windows: none. Knows nothing of projects or agents.
 */
import { spawnSync } from 'node:child_process';
import { SANDBOX_OFF, type SandboxMode, type SandboxStatus } from '../contract/sandbox.ts';
import { BWRAP_BASE, BWRAP_ISOLATION, bwrapCommand } from './sandbox/bwrap.ts';
import type { SandboxPolicy } from './sandbox/policy.ts';
import { onPath } from './sandbox/programs.ts';
import { probeKey, rememberedProbe } from './sandbox/remembered.ts';
import { stateDir } from './app-dirs.ts';
import { join } from 'node:path';
import { seatbeltProfile } from './sandbox/seatbelt.ts';

export type { SandboxStatus } from '../contract/sandbox.ts';
export { resolvePolicy, within, type PolicyRequest, type SandboxPolicy } from './sandbox/policy.ts';
export { goldloopFiles, isExecutable, onPath, pathFoldersIn, programFiles } from './sandbox/programs.ts';

const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** What the probe needs from the machine; tests give their own. */
export interface ProbeHost {
  platform: NodeJS.Platform;
  /** `PATH`, to find `bwrap`. */
  path: string;
  /** Runs a program to its end: its exit code (null: it could not start) and its output. */
  run(argv: string[]): { code: number | null; output: string };
}

const realHost = (): ProbeHost => ({
  platform: process.platform,
  path: process.env.PATH ?? '',
  run: ([file, ...args]) => {
    const r = spawnSync(file!, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.error ? null : r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
  },
});

/** The sandbox that runs here, with the program that runs it; `none` says why not. */
export type ProbedSandbox = { status: SandboxStatus; program?: string };

const none = (why: string, leftovers: 'marker' | 'tree' = 'marker'): ProbedSandbox => ({ status: { kind: 'none', why, leftovers } });

/** The program that makes this platform's sandbox: bubblewrap on PATH (Linux), sandbox-exec (macOS). */
function sandboxProgram(platform: NodeJS.Platform, path: string): string | undefined {
  if (platform === 'linux') return onPath('bwrap', path);
  return platform === 'darwin' ? SANDBOX_EXEC : undefined;
}

/** Finds the sandbox this machine can run, by running a program inside it. */
export function probeSandbox(host: ProbeHost): ProbedSandbox {
  if (host.platform === 'linux') {
    const bwrap = sandboxProgram(host.platform, host.path);
    if (!bwrap) return none('bubblewrap is not installed (Debian and Ubuntu: apt install bubblewrap; Fedora: dnf install bubblewrap)');
    const probe = host.run([bwrap, ...BWRAP_ISOLATION, ...BWRAP_BASE, 'true']);
    if (probe.code !== 0) {
      const said = probe.output.split('\n')[0] || `exit ${probe.code}`;
      return none(
        `bubblewrap cannot make a sandbox on this machine (${said}); user namespaces may be off: see sysctl kernel.unprivileged_userns_clone and AppArmor's restrict_unprivileged_userns`,
      );
    }
    const version = /(\d+\.\d+(?:\.\d+)?)/.exec(host.run([bwrap, '--version']).output)?.[1] ?? 'unknown version';
    return { status: { kind: 'bubblewrap', version }, program: bwrap };
  }
  if (host.platform === 'darwin') {
    const probe = host.run([SANDBOX_EXEC, '-p', '(version 1)(allow default)', '/usr/bin/true']);
    if (probe.code !== 0) return none(`sandbox-exec cannot run here (${probe.output.split('\n')[0] || `exit ${probe.code}`})`);
    return { status: { kind: 'seatbelt' }, program: SANDBOX_EXEC };
  }
  if (host.platform === 'win32') return none('Windows has no sandbox Goldloop can use yet', 'tree');
  return none(`Goldloop has no sandbox for ${host.platform}`);
}

let probed: ProbedSandbox | undefined;

/** This machine's sandbox, probed on first use and remembered for the life of the process. */
export function detectSandbox(): ProbedSandbox {
  probed ??= probeSandbox(realHost());
  return probed;
}

/** The sandbox a program gets: this machine's, unless `mode` turns it off. */
export function sandboxFor(mode: SandboxMode = 'auto'): ProbedSandbox {
  return mode === 'off' ? none(SANDBOX_OFF, process.platform === 'win32' ? 'tree' : 'marker') : detectSandbox();
}

let reported: ProbedSandbox | undefined;

/**
 * The sandbox as a report words it (`goldloop status`): this process's probe when it ran one, else
 * the probe remembered in the state folder while nothing it depends on changed (`sandbox/remembered.ts`).
 * What runs an agent asks `sandboxFor`, which probes.
 */
export function reportedSandbox(mode: SandboxMode = 'auto'): ProbedSandbox {
  if (mode === 'off' || probed) return sandboxFor(mode);
  if (!reported) {
    // The key reads the program's stat and the kernel's switches: once per process, as the probe runs once.
    const program = sandboxProgram(process.platform, process.env.PATH ?? '');
    const key = program ? probeKey(program) : undefined;
    reported = rememberedProbe(() => detectSandbox(), key ? { file: join(stateDir(), 'sandbox-probe.json'), key } : undefined);
  }
  return reported;
}

/** A program wrapped in the sandbox: its argv, and the files to hand it as file descriptors 3, 4, ... */
export interface SandboxedCommand {
  argv: string[];
  copies: string[];
}

/** `argv` run in `cwd` inside the probed sandbox under `policy`; unchanged when there is none. */
export function wrapInSandbox(sandbox: ProbedSandbox, policy: SandboxPolicy, argv: string[], cwd: string): SandboxedCommand {
  if (sandbox.status.kind === 'bubblewrap' && sandbox.program) return bwrapCommand(sandbox.program, policy, argv, cwd);
  if (sandbox.status.kind === 'seatbelt' && sandbox.program)
    return { argv: [sandbox.program, '-p', seatbeltProfile(policy), ...argv], copies: [] };
  return { argv, copies: [] };
}
