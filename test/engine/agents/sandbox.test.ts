import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aiderAdapter } from '../../../electron/engine/agents/aider.ts';
import { claudeCodeAdapter } from '../../../electron/engine/agents/claude-code.ts';
import { codexAdapter } from '../../../electron/engine/agents/codex.ts';
import { commandAdapter } from '../../../electron/engine/agents/command.ts';
import { geminiAdapter } from '../../../electron/engine/agents/gemini.ts';
import { opencodeAdapter } from '../../../electron/engine/agents/opencode.ts';
import { adapterRunner } from '../../../electron/engine/agents/runner.ts';
import { agentEnv, CYCLE_TOKEN, sandboxedArgv } from '../../../electron/engine/agents/sandbox.ts';
import { goldloopFiles } from '../../../electron/platform/sandbox.ts';
import { sandboxFor } from '../../../electron/platform/sandbox.ts';
import { noBubblewrap, SANDBOX } from '../../helpers/sandbox.ts';
import { TempDirs, VISIBLE_TEMP } from '../../helpers/temp.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

describe("the agent's environment", () => {
  const base = {
    PATH: '/usr/bin',
    GOLDLOOP_CONFIG_DIR: '/c',
    GOLDLOOP_STATE_DIR: '/s',
    GOLDLOOP_TEST_HOOKS: '1',
    GOLDLOOP_DEMO_PACE_MS: '0',
  };
  const { env, token } = agentEnv(base, { GOLDLOOP_PROMPT_FILE: '/p/.goldloop/prompt.md' }, '/p');

  it("drops Goldloop's own variables, keeping the agent contract's and the demo agent's pace", () => {
    expect(env).toMatchObject({ GOLDLOOP_CONFIG_DIR: undefined, GOLDLOOP_STATE_DIR: undefined, GOLDLOOP_TEST_HOOKS: undefined });
    expect(env.GOLDLOOP_PROMPT_FILE).toBe('/p/.goldloop/prompt.md');
    expect('GOLDLOOP_DEMO_PACE_MS' in env).toBe(false);
    expect('PATH' in env).toBe(false);
  });

  it('carries a fresh random marker for the run, and PWD where it works', () => {
    expect(env[CYCLE_TOKEN]).toBe(token);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(agentEnv(base, {}, '/p').token).not.toBe(token);
    expect(env.PWD).toBe('/p');
  });
});

describe("each CLI's own folders", () => {
  it('Claude Code: ~/.claude and ~/.claude.json, or CLAUDE_CONFIG_DIR alone', () => {
    expect(claudeCodeAdapter.ownPaths!('/h', {})).toEqual({ folders: ['/h/.claude'], files: ['/h/.claude.json'] });
    expect(claudeCodeAdapter.ownPaths!('/h', { CLAUDE_CONFIG_DIR: '/cfg/claude' })).toEqual({ folders: ['/cfg/claude'] });
  });

  it('Codex: ~/.codex or CODEX_HOME; Gemini CLI: ~/.gemini', () => {
    expect(codexAdapter.ownPaths!('/h', {})).toEqual({ folders: ['/h/.codex'] });
    expect(codexAdapter.ownPaths!('/h', { CODEX_HOME: '/var/tmp/codex' })).toEqual({ folders: ['/var/tmp/codex'] });
    expect(geminiAdapter.ownPaths!('/h', {})).toEqual({ folders: ['/h/.gemini'] });
  });

  it('OpenCode: its XDG config, data, cache and state folders, and the file OPENCODE_CONFIG names', () => {
    expect(opencodeAdapter.ownPaths!('/h', { XDG_CACHE_HOME: '/cache', OPENCODE_CONFIG: '/w/oc.json' })).toEqual({
      folders: ['/h/.config/opencode', '/h/.local/share/opencode', '/cache/opencode', '/h/.local/state/opencode'],
      files: ['/w/oc.json'],
    });
  });

  it('Aider: every ~/.aider* entry; a command agent: none', () => {
    expect(aiderAdapter.ownPaths!('/h', {})).toEqual({ folders: [], homePrefixes: ['.aider'] });
    expect(commandAdapter(['my-agent']).ownPaths).toBeUndefined();
  });
});

describe('the sandbox a run gets', () => {
  it('is none, saying so, when the settings turn it off', () => {
    expect(sandboxFor('off').status).toEqual({
      kind: 'none',
      why: 'the sandbox is turned off in this project\'s settings (agent.sandbox: "off")',
      leftovers: 'marker',
    });
  });

  it.skipIf(noBubblewrap('agents/sandbox.test.ts'))(
    "protects Goldloop's parts of the project and hides its folders; shows the agent's program kept in /tmp",
    async () => {
      const project = await temp.make('goldloop-agent-project-');
      execFileSync('git', ['init', '-q', project]);
      const bin = await temp.make('goldloop-agent-bin-');
      await writeFile(join(bin, 'agent.mjs'), 'console.log("hi")\n');
      const config = await temp.make('goldloop-agent-config-');
      const wrapped = await sandboxedArgv(
        SANDBOX,
        commandAdapter(['node', join(bin, 'agent.mjs')]),
        ['node', join(bin, 'agent.mjs')],
        project,
        {
          ...process.env,
          GOLDLOOP_CONFIG_DIR: config,
        },
      );
      const pairs = wrapped.argv.map((a, i) => `${a} ${wrapped.argv[i + 1]}`);
      expect(pairs).toContain(`--ro-bind ${project}/.goldloop`);
      expect(pairs).toContain(`--ro-bind ${project}/.git/hooks`);
      expect(pairs).toContain(`--bind ${project}/.goldloop/notes`);
      expect(pairs).toContain(`--bind ${project}/.git`);
      expect(pairs).toContain(`--tmpfs ${config}`);
      expect(pairs).toContain(`--tmpfs ${process.env.GOLDLOOP_STATE_DIR}`);
      expect(pairs).toContain(`--ro-bind ${join(bin, 'agent.mjs')}`);
      expect(wrapped.argv.slice(-3)).toEqual(['--', 'node', join(bin, 'agent.mjs')]);
    },
  );

  it.skipIf(noBubblewrap('agents/sandbox.test.ts'))(
    'hides the folders a run names (the held-out tests), which the agent would otherwise read',
    async () => {
      const project = await temp.make('goldloop-agent-holdout-');
      await mkdir(join(project, '.goldloop'));
      // Where the sandbox shows the system read-only.
      const holdout = await temp.make('goldloop-holdout-', VISIBLE_TEMP);
      await writeFile(join(holdout, 'acceptance.test.js'), 'the held-out test\n');
      const read = async (hidden?: string[]): Promise<string[]> => {
        const lines: string[] = [];
        await adapterRunner(commandAdapter(['cat', join(holdout, 'acceptance.test.js')]))({
          options: { prompt: 'p', promptFile: join(project, '.goldloop', 'prompt.md'), cwd: project, ...(hidden ? { hidden } : {}) },
          timeoutMs: 30_000,
          onLine: (line) => lines.push(line),
        });
        return lines;
      };
      expect(await read()).toContain('the held-out test');
      const hiddenRun = await read([holdout]);
      expect(hiddenRun).not.toContain('the held-out test');
      expect(hiddenRun.join('\n')).toMatch(/No such file or directory/);
    },
  );

  it('is named in the first line of every run, before the agent says anything', async () => {
    const project = await temp.make('goldloop-agent-line-');
    const agent = join(project, 'agent.sh');
    await writeFile(agent, '#!/bin/sh\necho agent speaks\n');
    await chmod(agent, 0o755);
    await mkdir(join(project, '.goldloop'));
    const lines: string[] = [];
    const outcome = await adapterRunner(commandAdapter([agent]))({
      options: { prompt: 'p', promptFile: join(project, '.goldloop', 'prompt.md'), cwd: project },
      timeoutMs: 30_000,
      onLine: (line) => lines.push(line),
    });
    expect(outcome.exitCode).toBe(0);
    expect(lines[0]).toMatch(/^goldloop: sandbox: /);
    expect(lines[0]).toContain(SANDBOX.status.kind === 'bubblewrap' ? 'bubblewrap' : 'none');
    expect(lines[1]).toBe('agent speaks');
  });

  it('is left out when the settings turn it off, and the first line says so', async () => {
    const project = await temp.make('goldloop-agent-off-');
    const lines: string[] = [];
    await adapterRunner(
      commandAdapter(['sh', '-c', 'echo "ppid $PPID"']),
      {},
      'off',
    )({
      options: { prompt: 'p', promptFile: join(project, 'prompt.md'), cwd: project },
      timeoutMs: 30_000,
      onLine: (line) => lines.push(line),
    });
    expect(lines[0]).toBe(
      'goldloop: sandbox: none — the sandbox is turned off in this project\'s settings (agent.sandbox: "off"); the agent runs as you, with all your files',
    );
    // Its parent is Goldloop itself: no namespace in between.
    expect(lines[1]).toBe(`ppid ${process.pid}`);
  });
});

describe("Goldloop's own files", () => {
  const hidden = ['/home/ann', '/tmp'];
  it('are shown to the agent, read-only, where they would be hidden (a checkout or install under home or /tmp)', () => {
    expect(goldloopFiles(hidden, '/srv/project', '/tmp/ci/goldloop')).toEqual(['/tmp/ci/goldloop']);
    expect(goldloopFiles(hidden, '/srv/project', '/home/ann/.npm/lib/node_modules/goldloop')).toEqual([
      '/home/ann/.npm/lib/node_modules/goldloop',
    ]);
  });

  it('are not bound where the system shows them anyway, nor over a project inside them or around them', () => {
    expect(goldloopFiles(hidden, '/srv/project', '/usr/lib/node_modules/goldloop')).toEqual([]);
    expect(goldloopFiles(hidden, '/home/ann/goldloop', '/home/ann/goldloop')).toEqual([]);
    expect(goldloopFiles(hidden, '/home/ann/goldloop/examples/demo', '/home/ann/goldloop')).toEqual([]);
    expect(goldloopFiles(hidden, '/home/ann/work', '/home/ann/work/tools/goldloop')).toEqual([]);
    expect(goldloopFiles(hidden, '/home/ann/goldloop-2', '/home/ann/goldloop')).toEqual(['/home/ann/goldloop']);
  });
});
