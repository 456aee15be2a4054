/**
 * The preflight's verdicts, from what was found on the machine (`PreflightFacts`, preflight.ts)
 * and the knowledge base. Pure: every check and its fix is tested without a process.
 */
import { joinCommandLine } from '../../contract/command-line.ts';
import type { PreflightCheck, PreflightGate } from '../../contract/preflight.ts';
import { PREFLIGHT_GATES } from '../../contract/preflight.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { allTasks } from '../tasks/queue.ts';

/** What was found of the agent's CLI. */
export type AgentFacts =
  /** The host gives the agent itself (a test's runner): there is no CLI to check. */
  | { kind: 'given' }
  /** The KB names no agent and no flag chose one. */
  | { kind: 'none' }
  /** The choice cannot make a command: a command agent without its program, a model or mode the CLI does not list. */
  | { kind: 'invalid'; message: string }
  | { kind: 'missing'; name: string; program: string; installHint: string; command: boolean }
  | {
      kind: 'found';
      name: string;
      path: string;
      /** The first line of `<cli> --version`; undefined for a command agent (its program is the agent itself). */
      version?: string;
      /** The permission mode it will run with, and whether the user set it. */
      mode?: string;
      modeSet: boolean;
      readOnlyModes: readonly string[];
    };

export interface PreflightFacts {
  agent: AgentFacts;
  /** `git version 2.43.0`; undefined when git cannot be started. */
  git?: string;
  repository: boolean;
}

const GATE_TITLES: Record<PreflightGate, string> = {
  mutation: 'Mutation testing',
  security: 'Security scan',
  performance: 'Performance benchmarks',
  build: 'Build',
};

/** What configuring each gate takes. */
const GATE_NEEDS: Record<PreflightGate, string> = {
  mutation: 'the mutation tool and its report',
  security: 'the scanner and its report',
  performance: 'the benchmark and its metric limits',
  build: 'the command that builds the deployable artifact',
};

const WAIVED = 'switched off by you: its line shows as waived';
const CONFIGURE_OR_SWITCH_OFF = (gate: PreflightGate): string =>
  `configure it (${GATE_NEEDS[gate]}: gates.${gate} in .ai-knowledge-base.json, or Configure in the dashboard) or switch it off (gates.${gate}.enabled: false), which shows its line as waived; the agent may not configure gates`;

/** Every check, passing or not, in the order the views list them. */
export function preflightChecks(kb: Kb, facts: PreflightFacts, projectDir: string): PreflightCheck[] {
  return [
    ...agentChecks(facts.agent),
    ...gitChecks(facts, projectDir),
    testCommandCheck(kb),
    ...PREFLIGHT_GATES.map((g) => gateCheck(kb, g)),
    planCheck(kb),
  ];
}

function agentChecks(a: AgentFacts): PreflightCheck[] {
  const title = 'Agent CLI';
  switch (a.kind) {
    case 'given':
      return [];
    case 'none':
      return [
        {
          id: 'agent',
          ok: false,
          title,
          detail: 'no agent is configured',
          fix: 'choose one in the settings (agent.type in .ai-knowledge-base.json: claude-code, codex, gemini, opencode, aider or command), or give --agent to goldloop run',
          action: { kind: 'setting', field: 'settings.agent.type' },
        },
      ];
    case 'invalid':
      return [
        {
          id: 'agent',
          ok: false,
          title,
          detail: a.message,
          fix: "correct the agent settings (the agent section of .ai-knowledge-base.json, or the dashboard's Agent settings)",
          action: { kind: 'setting', field: 'settings.agent.type' },
        },
      ];
    case 'missing':
      return [
        {
          id: 'agent',
          ok: false,
          title,
          detail: `${a.name}: ${a.program} is not installed (not found${a.program.includes('/') ? '' : ' on PATH'})`,
          fix: a.command
            ? `${a.installHint}, or change agent.command in the settings`
            : `install it (${a.installHint}), or name its program in the settings (agent.executable)`,
          action: a.command ? { kind: 'setting', field: 'settings.agent.command' } : { kind: 'install', command: a.installHint },
        },
      ];
    case 'found':
      return [{ id: 'agent', ok: true, title, detail: `${a.name}${a.version ? ` ${a.version}` : ''} at ${a.path}` }, modeCheck(a)];
  }
}

function modeCheck(a: Extract<AgentFacts, { kind: 'found' }>): PreflightCheck {
  const title = 'Permission mode';
  if (a.mode === undefined) return { id: 'permission_mode', ok: true, title, detail: `${a.name} has no permission modes Goldloop sets` };
  if (a.readOnlyModes.includes(a.mode)) {
    return {
      id: 'permission_mode',
      ok: false,
      title,
      detail: `"${a.mode}" does not let ${a.name} edit files in the project without asking, and nobody answers a headless run`,
      fix: 'clear agent.permission_mode in the settings (Goldloop then uses the mode that lets it edit inside the project only), or pick a mode that allows edits',
      action: { kind: 'setting', field: 'settings.agent.permission_mode' },
    };
  }
  return {
    id: 'permission_mode',
    ok: true,
    title,
    detail: a.modeSet ? `${a.mode} (set by you)` : `${a.mode}, the default that lets it edit inside the project`,
  };
}

function gitChecks(facts: PreflightFacts, projectDir: string): PreflightCheck[] {
  const git: PreflightCheck = facts.git
    ? { id: 'git', ok: true, title: 'git', detail: facts.git }
    : {
        id: 'git',
        ok: false,
        title: 'git',
        detail: 'git is not installed (or not on PATH)',
        fix: 'install git (apt install git, brew install git, or git-scm.com), then check again',
      };
  const repository: PreflightCheck = facts.repository
    ? { id: 'repository', ok: true, title: 'Git repository', detail: `${projectDir} is a git repository` }
    : {
        id: 'repository',
        ok: false,
        title: 'Git repository',
        detail: `${projectDir} is not a git repository`,
        fix: `run git init in ${projectDir}: checkpoint commits, roll-back and Goldloop's snapshots need one`,
        action: { kind: 'init_git' },
      };
  return [git, repository];
}

function testCommandCheck(kb: Kb): PreflightCheck {
  const tests = kb.gates.tests;
  const title = 'Test command';
  if (!tests)
    return {
      id: 'test_command',
      ok: false,
      title,
      detail: 'no test command is configured (gates.tests.command)',
      fix: "set the project's test command: gates.tests.command in .ai-knowledge-base.json (an argv array), or Configure in the dashboard",
      action: { kind: 'gate', gate: 'tests' },
    };
  return { id: 'test_command', ok: true, title, detail: `${joinCommandLine(tests.command)}${tests.enabled ? '' : ` (${WAIVED})`}` };
}

function gateCheck(kb: Kb, gate: PreflightGate): PreflightCheck {
  const title = GATE_TITLES[gate];
  const base = { id: 'gate' as const, gate, title };
  if (gate === 'security' && !kb.autonomous_operation.quality_gates.security_scan_must_pass)
    return { ...base, ok: true, detail: 'not required (quality_gates.security_scan_must_pass is false)' };
  const config = kb.gates[gate];
  if (!config)
    return {
      ...base,
      ok: false,
      detail: `not configured: its checklist line can never pass`,
      fix: CONFIGURE_OR_SWITCH_OFF(gate),
      action: { kind: 'gate', gate },
    };
  if (!config.enabled) return { ...base, ok: true, detail: WAIVED };
  return { ...base, ok: true, detail: config.command ? joinCommandLine(config.command) : 'configured' };
}

function planCheck(kb: Kb): PreflightCheck {
  const tasks = allTasks(kb).length;
  const title = 'Plan';
  if (tasks > 0) return { id: 'plan', ok: true, title, detail: `${tasks} task${tasks === 1 ? '' : 's'} in the queue` };
  return {
    id: 'plan',
    ok: false,
    title,
    detail: 'the task queue is empty: the agent would have nothing to work on',
    fix: "add tasks (Add task in the dashboard's task queue, or task_queue in .ai-knowledge-base.json), or plan from the project's documents (Plan from documents in the dashboard, or goldloop init --plan)",
    action: { kind: 'plan' },
  };
}
