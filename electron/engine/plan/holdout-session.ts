/**
 * The drafting session of held-out acceptance tests, apart from the planning cycle, so that the
 * drafts' text reaches no agent that works on the project later:
 * - the planning session never holds a draft (its prompt asks for none; a CLI keeps that session,
 *   and the project keeps its log), and the drafting session is never resumed: its id is kept
 *   nowhere;
 * - the drafting session's log is kept in Goldloop's state folder, which every sandbox hides;
 * - what the CLI saved of the session in its own folders, which later runs of it see, is removed
 *   (`agents/cli-traces.ts`), and a file it changed that holds a draft's line is named;
 * - the drafts file it writes in the project is read and removed as soon as it ends, whatever
 *   happened; its prompt file too, and any file it added to the project (untracked, not ignored).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRunner } from '../agents/runner.ts';
import { keptFromAgent } from '../agents/sandbox.ts';
import { GOLDLOOP_DIR, type KbProblem } from '../../store/kb/kb-file.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { untrackedFiles } from '../../platform/git.ts';
import { projectStateFolder } from '../../store/state-folder.ts';
import { clearSessionTraces, listFiles, recordSession, type TracesCleared } from '../agents/cli-traces.ts';
import { holdoutDraftPrompt, validateDrafts, writeHoldoutDrafts, type DraftsWritten } from './holdout-drafts.ts';

/** The one folder of `.goldloop/` the drafting agent may write, as the planning agent. */
const DRAFTS_DIR = join(GOLDLOOP_DIR, 'plan');
/** Where the drafting agent writes its drafts, relative to the project: removed as soon as it ends. */
export const DRAFTS_FILE = join(DRAFTS_DIR, 'holdout-drafts.json');
const PROMPT_FILE = join(DRAFTS_DIR, 'holdout-prompt.md');

export interface DraftingOptions {
  projectDir: string;
  kb: Kb;
  agent: AgentRunner;
  timeoutMs: number;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface DraftingResult {
  /** The drafts written for review; undefined when none were. */
  written?: DraftsWritten;
  /** Why no draft was written: the agent's failure, or each problem of its drafts. */
  failed?: { message: string; problems: KbProblem[] };
  /** The session's log, in Goldloop's state folder. */
  log: string;
  /** What the CLI kept of the session in its own folders: removed, or named. */
  traces: TracesCleared;
}

const stamp = (at: Date): string =>
  at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');

/** Runs the drafting session where the KB sets gates.holdout and has requirements; undefined otherwise. */
export async function draftHoldoutTests(options: DraftingOptions): Promise<DraftingResult | undefined> {
  const { projectDir, kb } = options;
  const prompt = holdoutDraftPrompt(kb, DRAFTS_FILE);
  if (!prompt) return undefined;
  const draftsFile = join(projectDir, DRAFTS_FILE);
  const promptFile = join(projectDir, PROMPT_FILE);
  const logs = join(await projectStateFolder(projectDir), 'logs');
  await mkdir(logs, { recursive: true, mode: 0o700 });
  const logFile = join(logs, `holdout-drafts-${stamp(new Date())}.log`);
  const own = (await options.agent.ownPaths?.()) ?? { folders: [], files: [] };
  const roots = [...own.folders, ...own.files];
  const before = await listFiles(roots);
  // The agent may write the project: files it adds there (drafts written beside the project's own tests) go too.
  const untrackedBefore = new Set(await untrackedFiles(projectDir));
  // Read back at the next start if this process dies before the session's traces are cleared.
  const cleared = await recordSession(projectDir, {
    roots,
    before,
    until: Date.now() + options.timeoutMs + 60_000,
    projectFiles: [DRAFTS_FILE, PROMPT_FILE],
  });
  await rm(draftsFile, { force: true });
  await mkdir(join(projectDir, DRAFTS_DIR), { recursive: true });
  await writeFile(promptFile, prompt);
  const log = createWriteStream(logFile, { mode: 0o600 });
  let text: string | undefined;
  let outcome;
  let traces: TracesCleared | undefined;
  try {
    outcome = await options.agent({
      // A new session, never resumed: no resumeSessionId, and its id is kept nowhere.
      options: { prompt, promptFile, cwd: projectDir, writable: [DRAFTS_DIR], ...keptFromAgent(kb) },
      timeoutMs: options.timeoutMs,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onLine: (line, stream) => log.write(`${stream === 'stderr' ? '! ' : ''}${line}\n`),
    });
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
    text = await readFile(draftsFile, 'utf8').catch(() => undefined);
    await rm(draftsFile, { force: true });
    await rm(promptFile, { force: true });
    // Also when the session was stopped, or ended in a failure.
    traces = await clearSessionTraces(roots, before, contentsOf(text));
    for (const file of await untrackedFiles(projectDir))
      if (!untrackedBefore.has(file)) {
        await rm(join(projectDir, file), { force: true });
        traces.removed.push(join(projectDir, file));
      }
    await cleared();
  }
  const result = await settle(kb, text, outcome.spawnError ?? outcome.limit?.message);
  return { ...result, log: logFile, traces: traces! };
}

/** The drafts' texts, as far as the file can be read: what must not be left where a later agent reads. */
function contentsOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const raw: unknown = JSON.parse(text);
    if (Array.isArray(raw)) return raw.map((d) => (d as { content?: unknown })?.content).filter((c): c is string => typeof c === 'string');
  } catch {
    // Not JSON: its own lines are what to look for.
  }
  return [text];
}

/** The drafts file's text turned into drafts written, or the reason none were. */
async function settle(
  kb: Kb,
  text: string | undefined,
  agentFailure: string | undefined,
): Promise<Pick<DraftingResult, 'written' | 'failed'>> {
  const none = (message: string, problems: KbProblem[] = []) => ({ failed: { message, problems } });
  if (agentFailure) return none(`the drafting agent did not run to its end: ${agentFailure}`);
  if (text === undefined) return none('the drafting agent wrote no drafts');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return none(`the drafts are not valid JSON (${(error as Error).message})`);
  }
  const { drafts, problems } = validateDrafts(raw, kb);
  if (problems.length) return none('the drafts are not valid', problems);
  const written = await writeHoldoutDrafts(kb, drafts);
  return written ? { written } : {};
}
