/**
 * The preflight: what only the user can fix, checked before the first cycle of a run (and again
 * when the settings change). A run whose preflight fails starts no cycle; every view shows the same
 * list, each failing check with its fix in words and, where the dashboard can do it, a control.
 * Plain data and types only: the renderer bundles this file.
 */
import type { GateName } from './settings.ts';

/** The checks, in the order every view lists them. */
export const PREFLIGHT_CHECKS = ['agent', 'permission_mode', 'git', 'repository', 'test_command', 'gate', 'plan'] as const;
export type PreflightCheckId = (typeof PREFLIGHT_CHECKS)[number];

/** The gates a project must configure or switch off on purpose (docs needs nothing; the test command is its own check). */
export const PREFLIGHT_GATES = ['mutation', 'security', 'performance', 'build'] as const satisfies readonly GateName[];
export type PreflightGate = (typeof PREFLIGHT_GATES)[number];

/** What the dashboard offers beside a failing check's words. */
export type PreflightAction =
  /** A field of the project's settings to change (`settings.agent.permission_mode`). */
  | { kind: 'setting'; field: string }
  /** `git init` in the project folder. */
  | { kind: 'init_git' }
  /** A planning cycle: the agent turns the project's documents into tasks. */
  | { kind: 'plan' }
  /** Configure the gate (its command and report) or switch it off, in place. */
  | { kind: 'gate'; gate: PreflightGate | 'tests' }
  /** A command for the user's terminal (installing a CLI). */
  | { kind: 'install'; command: string };

export interface PreflightCheck {
  id: PreflightCheckId;
  /** For `gate`: which one. */
  gate?: PreflightGate;
  ok: boolean;
  /** What was checked, in a few words ("Agent CLI", "Security scan"). */
  title: string;
  /** What was found: the version, the command, or what is wrong. */
  detail: string;
  /** A failing check: what to do, in words that name the file or setting. */
  fix?: string;
  action?: PreflightAction;
}

export interface Preflight {
  ok: boolean;
  checks: PreflightCheck[];
  /** ISO time of the check. */
  checked_at: string;
}

export const preflightFailures = (p: Preflight): PreflightCheck[] => p.checks.filter((c) => !c.ok);

/** The checks as the CLI prints them: `✓ Agent CLI: Claude Code 2.1.197 at /usr/bin/claude`, and `fix:` under a failing one. */
export function preflightLines(p: Preflight, which: 'all' | 'failing' = 'all'): string[] {
  return p.checks
    .filter((c) => which === 'all' || !c.ok)
    .flatMap((c) => [`  ${c.ok ? '✓' : '✗'} ${c.title}: ${c.detail}`, ...(!c.ok && c.fix ? [`      fix: ${c.fix}`] : [])]);
}
