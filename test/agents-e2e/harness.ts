/**
 * `goldloop run` as a user runs it, with one of the real agent CLIs pointed at its scripted model
 * server, on a fresh copy of the demo project (six failing tests, one task per test). The run is a
 * child process started asynchronously: the server answering the CLI lives in this process.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoProject } from '../../electron/engine/demo/project.ts';
import { readHistory } from '../../electron/store/history.ts';
import { statePath } from '../../electron/store/run-state.ts';
import { loadKb, saveKb } from '../../electron/store/kb/kb-file.ts';
import { commitAll } from '../../electron/platform/git.ts';
import type { SandboxMode } from '../../electron/contract/sandbox.ts';
import type { CliSetup } from '../agent-servers/clis.ts';
import { MODEL } from '../agent-servers/clis.ts';
import type { Reply } from '../agent-servers/script.ts';
import { VISIBLE_TEMP, type TempDirs } from '../helpers/temp.ts';

const GOLDLOOP = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));

export const SOURCE_FILE = 'src/textkit.js';

/** The demo's first task: slugify, a stub that throws. */
export const SLUGIFY_STUB = "export function slugify(text) {\n  throw new Error('not implemented');\n}";
export const SLUGIFY = [
  'export function slugify(text) {',
  "  const ascii = [...text.normalize('NFKD')].filter((c) => c.charCodeAt(0) < 128).join('');",
  "  return ascii.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');",
  '}',
].join('\n');

/** What a model does for the first task: reads the source, edits slugify with the CLI's edit tool, says so. */
export function fixSlugify(): Reply[] {
  return [
    { text: 'I will read the source first.', calls: [{ read: SOURCE_FILE }] },
    { calls: [{ edit: { path: SOURCE_FILE, old: SLUGIFY_STUB, new: SLUGIFY } }] },
    { text: 'slugify is implemented.' },
  ];
}

/** A fresh demo project in a folder the sandbox shows (not /tmp, which it replaces). */
export async function demoProject(temp: TempDirs, agent: { sandbox?: SandboxMode } = {}): Promise<string> {
  const dir = await temp.make('goldloop-e2e-', VISIBLE_TEMP);
  await createDemoProject(dir);
  if (agent.sandbox) {
    const kb = await loadKb(dir);
    await saveKb(dir, { ...kb, agent: { ...kb.agent!, sandbox: agent.sandbox } });
    await commitAll(dir, 'the agent runs without the sandbox');
  }
  return dir;
}

export interface GoldloopRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The state `until` accepted, when it did. */
  seen?: SavedState;
}

export interface RunOptions {
  cycles?: number;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Ends the run (SIGINT, as Ctrl-C) once its saved state passes this check; the state seen is in `seen`. */
  until?: (state: SavedState) => boolean;
}

/** The loop's state as `state.json` in the project's state folder keeps it. */
export interface SavedState {
  state: string;
  until?: string;
  message?: string;
  break_reason?: string;
}

export const savedState = async (dir: string): Promise<SavedState | undefined> =>
  readFile(await statePath(dir), 'utf8').then(
    (text) => (JSON.parse(text) as { state: SavedState }).state,
    () => undefined,
  );

/** `goldloop run <dir> --agent <cli>` for `cycles` cycles, no breaks, with the CLI's throwaway environment. */
export function runGoldloop(cli: CliSetup, dir: string, options: RunOptions = {}): Promise<GoldloopRun> {
  const argv = [
    GOLDLOOP,
    'run',
    dir,
    '--agent',
    cli.kind,
    '--model',
    MODEL[cli.kind],
    '--max-iterations',
    String(options.cycles ?? 1),
    '--break',
    '0s',
    '--cycle-timeout',
    '5m',
    '--plain',
    '--no-notify',
    // No permission mode unless the test gives one: the adapter's default must let the CLI edit.
    ...(options.args ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd ?? process.cwd(),
      env: { ...cli.env, GOLDLOOP_STATE_DIR: process.env.GOLDLOOP_STATE_DIR ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGTERM'), 8 * 60_000);
    let seen: SavedState | undefined;
    const watch = options.until
      ? setInterval(() => {
          void savedState(dir).then((state) => {
            if (seen || !state || !options.until!(state)) return;
            seen = state;
            child.kill('SIGINT');
          });
        }, 250)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve({ code, stdout, stderr, ...(seen ? { seen } : {}) });
    });
  });
}

export const history = readHistory;
export const source = (dir: string): Promise<string> => readFile(join(dir, SOURCE_FILE), 'utf8');

/** The cycle logs of a run, for a failure message that shows what the CLI printed. */
export async function cycleLog(dir: string, iteration = 1): Promise<string> {
  const text = await readFile(join(dir, '.goldloop', 'logs', `cycle-${String(iteration).padStart(6, '0')}.log`), 'utf8').catch(
    () => '(no log)',
  );
  // Each line after the time it was written at: the lines as the agent's readable events made them.
  return text.replace(/^\d\d:\d\d:\d\d /gm, '');
}
