/**
 * The four real agent CLIs (pinned devDependencies), each pointed at its scripted model server
 * with a throwaway home and config of its own, so nothing reads or touches the user's real
 * configuration. `setUpCli` gives the environment a `goldloop run` (or the runner) passes on;
 * `cliProblem` says why a CLI cannot start here, for the test to skip with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anthropicDialect } from './anthropic.ts';
import { geminiDialect } from './gemini-api.ts';
import { chatDialect } from './openai-chat.ts';
import { responsesDialect } from './openai-responses.ts';
import { ScriptedServer } from './scripted-server.ts';

export type CliKind = 'claude-code' | 'codex' | 'opencode' | 'gemini';

export const BIN = fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url));

/**
 * Where throwaway homes go: not the system temp folder, where Codex will not set up its sandbox
 * helper (every sandboxed write then fails).
 */
const THROWAWAY_ROOT = process.platform === 'win32' ? undefined : '/var/tmp';

/** OpenCode installs its provider packages on first use: kept between test runs so only the first one downloads. */
const OPENCODE_CACHE = join(THROWAWAY_ROOT ?? fileURLToPath(new URL('../../out/', import.meta.url)), 'goldloop-test-cache', 'opencode');

const EXECUTABLE: Record<CliKind, string> = { 'claude-code': 'claude', codex: 'codex', opencode: 'opencode', gemini: 'gemini' };

/** The model each CLI is given (agent.model): one whose tools include the CLI's edit tool. */
export const MODEL: Record<CliKind, string> = {
  'claude-code': 'claude-sonnet-4-5',
  codex: 'gpt-5.5',
  opencode: 'scripted/scripted-model',
  gemini: 'gemini-2.5-pro',
};

/** OpenCode's cost per million tokens for the scripted model, from its config: what its cost reports are made of. */
export const OPENCODE_PRICE = { input: 2, output: 8, cache_read: 0.5 };

const problems = new Map<CliKind, string | undefined>();

/** Why the CLI cannot run here (not installed, does not start), or undefined when it can. */
export function cliProblem(kind: CliKind): string | undefined {
  if (problems.has(kind)) return problems.get(kind);
  const program = join(BIN, EXECUTABLE[kind]);
  let problem: string | undefined;
  if (!existsSync(program)) problem = `${program} is not installed (npm ci installs the pinned CLIs)`;
  else {
    const run = spawnSync(program, ['--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: '/nonexistent' } });
    if (run.error || run.status !== 0)
      problem = `${EXECUTABLE[kind]} --version failed: ${run.error?.message ?? `exit ${run.status}: ${(run.stderr || run.stdout).trim().slice(0, 300)}`}`;
  }
  problems.set(kind, problem);
  return problem;
}

export interface CliSetup {
  kind: CliKind;
  server: ScriptedServer;
  /** The throwaway home; the CLI's config and sessions live under it. */
  home: string;
  /** The environment for the CLI (and for a `goldloop` that starts it): PATH first with the pinned CLIs. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Vendor variables of the machine that would point a CLI somewhere else. */
const VENDOR_VARIABLES = /^(ANTHROPIC_|CLAUDE_|OPENAI_|CODEX_|OPENCODE|GEMINI_|GOOGLE_|XDG_)/;

function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !VENDOR_VARIABLES.test(key)) env[key] = value;
  return {
    ...env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    PATH: `${BIN}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
  };
}

async function claudeHome(server: ScriptedServer, home: string): Promise<Record<string, string>> {
  return {
    ANTHROPIC_BASE_URL: server.origin,
    ANTHROPIC_API_KEY: 'sk-ant-scripted',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    // A plain rate limit is retried by the CLI itself; one retry keeps a test short.
    CLAUDE_CODE_MAX_RETRIES: '1',
    HOME: home,
  };
}

async function codexHome(server: ScriptedServer, home: string): Promise<Record<string, string>> {
  const codexHome = join(home, '.codex');
  await mkdir(codexHome, { recursive: true });
  const config = [
    `model = "${MODEL.codex}"`,
    'model_provider = "scripted"',
    'check_for_update_on_startup = false',
    '[model_providers.scripted]',
    'name = "Scripted model"',
    `base_url = "${server.origin}/v1"`,
    'wire_api = "responses"',
    'env_key = "SCRIPTED_API_KEY"',
    // One retry on a failed request or stream, so a rate-limit test does not wait out five.
    'request_max_retries = 1',
    'stream_max_retries = 1',
    '',
  ].join('\n');
  await writeFile(join(codexHome, 'config.toml'), config);
  return { CODEX_HOME: codexHome, SCRIPTED_API_KEY: 'sk-scripted' };
}

async function opencodeHome(server: ScriptedServer, home: string): Promise<Record<string, string>> {
  const file = join(home, 'opencode.json');
  const config = {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    provider: {
      scripted: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Scripted model',
        options: { baseURL: `${server.origin}/v1`, apiKey: 'sk-scripted' },
        models: { 'scripted-model': { name: 'Scripted model', cost: OPENCODE_PRICE } },
      },
    },
  };
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
  await mkdir(OPENCODE_CACHE, { recursive: true });
  return { OPENCODE_CONFIG: file, OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_AUTOUPDATE: '1', XDG_CACHE_HOME: OPENCODE_CACHE };
}

async function geminiHome(server: ScriptedServer, home: string): Promise<Record<string, string>> {
  await mkdir(join(home, '.gemini'), { recursive: true });
  // The API key alone picks a gateway login ("Invalid auth method selected."): the settings choose the key.
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' } },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
  };
  await writeFile(join(home, '.gemini', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return { GOOGLE_GEMINI_BASE_URL: server.origin, GEMINI_API_KEY: 'scripted-key' };
}

/** A scripted server for the CLI and a throwaway home that points the CLI at it. */
export async function setUpCli(kind: CliKind): Promise<CliSetup> {
  const dialect = { 'claude-code': anthropicDialect, codex: responsesDialect, opencode: chatDialect, gemini: geminiDialect }[kind]();
  const server = await new ScriptedServer(dialect).start();
  const home = await mkdtemp(join(THROWAWAY_ROOT ?? (await import('node:os')).tmpdir(), `goldloop-${kind}-home-`));
  const own = await { 'claude-code': claudeHome, codex: codexHome, opencode: opencodeHome, gemini: geminiHome }[kind](server, home);
  return {
    kind,
    server,
    home,
    env: { ...baseEnv(home), ...own },
    close: async () => {
      await server.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
