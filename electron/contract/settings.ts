/**
 * A project's settings as the dashboard edits them: a view over the parts of its knowledge base
 * the user owns — the agent, the schedule, the gates and their thresholds, the notifications.
 * The KB stays the one place they live; `electron/store/settings/view.ts` maps this view to and from
 * it. Plain data and types only: the renderer bundles this file (zod stays on the engine side).
 */

import type { SandboxMode } from './sandbox.ts';

export { SANDBOX_MODES, type SandboxMode } from './sandbox.ts';

/** The agent CLIs Goldloop drives (`agent.type`); the KB schema takes its list from here. */
export const AGENT_TYPES = ['claude-code', 'codex', 'gemini', 'opencode', 'aider', 'command'] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

/** Severities, most severe first (`gates.security.fail_on`); the KB schema takes its list from here. */
export const SEVERITY_LEVELS = ['critical', 'high', 'moderate', 'low', 'info'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** The gates a KB configures under `gates`, in checklist order. */
export const GATE_NAMES = ['tests', 'mutation', 'security', 'performance', 'docs', 'build'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** A spending limit: either or both. */
export interface BudgetSetting {
  cost_usd?: number;
  tokens?: number;
}

export interface AgentSettings {
  type: AgentType;
  /** For `command`: the program and its arguments (argv, run without a shell). */
  command?: string[];
  model?: string;
  permission_mode?: string;
  extra_args?: string[];
  executable?: string;
  prompt_budget_chars?: number;
  budget?: { per_day?: BudgetSetting; per_run?: BudgetSetting };
  /** `off`: the agent runs without the OS sandbox. Left out: `auto`, the sandbox wherever one runs. */
  sandbox?: SandboxMode;
}

export interface ScheduleSettings {
  /** The agent's wall-clock limit per cycle. */
  duration_minutes: number;
  break_between_cycles_minutes: number;
  max_cycles_per_hour: number;
  max_iterations_per_day: number;
  max_iterations_per_run: number;
  max_consecutive_errors: number;
  retry_delay_minutes: number;
}

export interface CommandGateSettings {
  enabled: boolean;
  command: string[];
  timeout_minutes: number;
}

/** The security scanner's machine-readable report (`gates.security.report`); `stdout` when it prints it. */
export const SECURITY_REPORT_FORMATS = ['npm-audit', 'osv', 'pip-audit', 'sarif'] as const;
export interface SecurityReportSetting {
  format: (typeof SECURITY_REPORT_FORMATS)[number];
  path: string;
}

export interface MetricLimit {
  min?: number;
  max?: number;
}

export interface GateSettings {
  /** `autonomous_operation.quality_gates.test_coverage_threshold`, in percent. */
  test_coverage_threshold: number;
  /** A gate the KB does not configure is left out. */
  tests?: CommandGateSettings;
  /** `threshold`: the share of mutants the tests must kill, in percent. */
  mutation?: CommandGateSettings & { threshold: number };
  security?: CommandGateSettings & { fail_on: SeverityLevel };
  performance?: CommandGateSettings & { thresholds: Record<string, MetricLimit> };
  docs: { enabled: boolean; files: string[]; markers: string[] };
  build?: CommandGateSettings;
  /** Held-out acceptance tests: `dir`, an absolute path outside the project, is `{holdout}` in the command. Optional. */
  holdout?: CommandGateSettings & { dir: string };
}

export interface NotificationSettings {
  /** Desktop notifications for reports and errors (`goldloop run`). */
  notifications: boolean;
  error_alert_immediate: boolean;
  progress_report_interval_hours: number;
  status_report_interval_hours: number;
}

export interface ProjectSettings {
  /** Left out when the KB names no agent yet. */
  agent?: AgentSettings;
  schedule: ScheduleSettings;
  gates: GateSettings;
  notifications: NotificationSettings;
}

/**
 * A change, as a JSON merge patch (RFC 7396) of `ProjectSettings`: a field left out stays as it
 * is, `null` removes an optional field (a model, a budget, a metric), an array replaces the
 * whole array. Only what the user changed needs to be sent.
 */
export type SettingsPatch = {
  agent?: NullableFields<Omit<AgentSettings, 'budget'>, 'type'> & {
    budget?: { per_day?: NullableFields<BudgetSetting> | null; per_run?: NullableFields<BudgetSetting> | null } | null;
  };
  schedule?: Partial<ScheduleSettings>;
  gates?: {
    test_coverage_threshold?: number;
    tests?: Partial<CommandGateSettings>;
    mutation?: Partial<CommandGateSettings> & { threshold?: number };
    security?: Partial<CommandGateSettings> & { fail_on?: SeverityLevel; report?: SecurityReportSetting };
    performance?: Partial<CommandGateSettings> & { thresholds?: Record<string, NullableFields<MetricLimit> | null> };
    docs?: Partial<GateSettings['docs']>;
    build?: Partial<CommandGateSettings>;
    /** null removes the held-out tests. */
    holdout?: (Partial<CommandGateSettings> & { dir?: string }) | null;
  };
  notifications?: Partial<NotificationSettings>;
};

/** Every field optional; those not named in `Required` may also be null (removed). */
type NullableFields<T, Required extends keyof T = never> = { [K in keyof T]?: K extends Required ? T[K] : T[K] | null };

/** What `getSettings` answers. */
export interface SettingsResult {
  settings: ProjectSettings;
  /** The knowledge base they live in (absolute path). */
  file: string;
  /** Changes saved while a cycle ran, waiting for it to end before they are written. */
  pending: boolean;
  /** Another Goldloop process drives the project: settings cannot be saved here until it stops. */
  locked_by?: { pid: number };
}

/** What `updateSettings` answers. */
export interface UpdateSettingsResult {
  /** The settings as they are (`now`) or will be once written (`after_cycle`). */
  settings: ProjectSettings;
  /** `after_cycle`: a cycle is in progress; the change is written to the KB when it ends. */
  applied: 'now' | 'after_cycle';
  /** In words, for the user. */
  message: string;
}
