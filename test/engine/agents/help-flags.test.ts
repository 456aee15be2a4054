/**
 * Every option an adapter emits must be listed by the real CLI's --help. The help texts were
 * captured from the installed CLIs (test/fixtures/agent-help, version on the first line), so this
 * runs without the CLIs installed.
 */
import { describe, expect, test } from 'vitest';
import type { AgentAdapter, AgentRunOptions } from '../../../electron/engine/agents/types.ts';
import { CLAUDE_PERMISSION_MODES, claudeCodeAdapter } from '../../../electron/engine/agents/claude-code.ts';
import { CODEX_SANDBOX_MODES, codexAdapter } from '../../../electron/engine/agents/codex.ts';
import { GEMINI_APPROVAL_MODES, geminiAdapter } from '../../../electron/engine/agents/gemini.ts';
import { opencodeAdapter } from '../../../electron/engine/agents/opencode.ts';
import { aiderAdapter } from '../../../electron/engine/agents/aider.ts';
import { helpListsOption, helpText, optionsOf } from './replay.ts';

const UUID = '5b0c2f1e-8a47-4c1d-9a3e-2f6d7c1b9e04';
const base: AgentRunOptions = { prompt: 'p', promptFile: '/tmp/p.md', cwd: '/tmp' };

/** The help section for a subcommand (`### codex exec --help` headings in the captured text). */
function section(help: string, heading: string | undefined): string {
  if (!heading) return help.split('\n### ')[0]!;
  const part = help.split('\n### ').find((s) => s.startsWith(heading));
  if (!part) throw new Error(`help has no section "${heading}"`);
  return part;
}

interface Case {
  name: string;
  adapter: AgentAdapter;
  help: string;
  runs: { options: AgentRunOptions; section?: string }[];
}

const cases: Case[] = [
  {
    name: 'claude-code',
    adapter: claudeCodeAdapter,
    help: 'claude-code',
    runs: [{ options: { ...base, model: 'opus', permissionMode: 'acceptEdits', resumeSessionId: UUID } }],
  },
  {
    name: 'codex',
    adapter: codexAdapter,
    help: 'codex',
    runs: [
      { options: { ...base, model: 'gpt-5', permissionMode: 'workspace-write' }, section: 'codex exec --help' },
      { options: { ...base, model: 'gpt-5', permissionMode: 'read-only', resumeSessionId: UUID }, section: 'codex exec resume --help' },
    ],
  },
  {
    name: 'gemini',
    adapter: geminiAdapter,
    help: 'gemini',
    runs: [{ options: { ...base, model: 'gemini-2.5-pro', permissionMode: 'auto_edit', resumeSessionId: UUID } }],
  },
  {
    name: 'opencode',
    adapter: opencodeAdapter,
    help: 'opencode',
    runs: [
      {
        options: { ...base, model: 'anthropic/claude-sonnet-4', permissionMode: 'auto', resumeSessionId: 'ses_abc' },
        section: 'opencode run --help',
      },
    ],
  },
  {
    name: 'aider (documented options)',
    adapter: aiderAdapter,
    help: 'aider',
    runs: [{ options: { ...base, model: 'sonnet', permissionMode: 'yes-always' } }],
  },
];

describe.each(cases)('$name: emitted flags exist in --help', ({ adapter, help, runs }) => {
  const text = helpText(help);

  test('the help fixture names the version the adapter was checked against', () => {
    const firstLine = text.split('\n')[0]!;
    for (const version of adapter.checkedVersions) expect(firstLine).toContain(version);
  });

  test.each(runs)('every option of a full command is listed', ({ options, section: heading }) => {
    const help = section(text, heading);
    const argv = adapter.buildCommand(options).argv;
    const missing = optionsOf(argv).filter((flag) => !helpListsOption(help, flag));
    expect(missing).toEqual([]);
  });
});

/** The quoted choices help prints after an option, e.g. `(choices: "a", "b")`. */
function choicesOf(help: string, option: string): string[] {
  const at = help.indexOf(option);
  const block = help.slice(at, help.indexOf(')', help.indexOf('choices:', at)) + 1);
  return [...block.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

describe('permission vocabularies match the CLIs', () => {
  test('Claude Code --permission-mode choices', () => {
    expect([...CLAUDE_PERMISSION_MODES].sort()).toEqual(choicesOf(helpText('claude-code'), '--permission-mode <mode>').sort());
  });
  test('Gemini --approval-mode choices', () => {
    expect([...GEMINI_APPROVAL_MODES].sort()).toEqual(choicesOf(helpText('gemini'), '--approval-mode').sort());
  });
  test('Codex exec --sandbox possible values', () => {
    const exec = section(helpText('codex'), 'codex exec --help');
    const line = /--sandbox <SANDBOX_MODE>[\s\S]*?\[possible values: ([^\]]+)\]/.exec(exec)?.[1] ?? '';
    expect([...CODEX_SANDBOX_MODES].sort()).toEqual(line.split(', ').sort());
  });
  test('stream formats the adapters ask for are accepted choices', () => {
    expect(choicesOf(helpText('claude-code'), '--output-format <format>')).toContain('stream-json');
    expect(choicesOf(helpText('gemini'), '--output-format')).toContain('stream-json');
    expect(section(helpText('opencode'), 'opencode run --help')).toMatch(/--format[^\n]*json/);
  });
  test('subcommands the adapters use exist', () => {
    expect(helpText('codex')).toMatch(/^\s+exec\s+Run Codex non-interactively/m);
    expect(section(helpText('codex'), 'codex exec --help')).toMatch(/^\s+resume\s+Resume a previous session by id/m);
    expect(section(helpText('codex'), 'codex exec --help')).toMatch(
      /If not provided as an argument \(or if `-` is used\),\s+instructions are read from stdin/,
    );
    expect(helpText('opencode')).toMatch(/opencode run \[message\.\.\]/);
  });
});
