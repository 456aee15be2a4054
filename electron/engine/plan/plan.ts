import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRunner } from '../agents/runner.ts';
import { keptFromAgent } from '../agents/sandbox.ts';
import { GOLDLOOP_DIR, KB_FILE, loadKb, saveKb, type KbProblem } from '../../store/kb/kb-file.ts';
import { findPlanDocuments } from './documents.ts';
import { finishLeftSession } from '../agents/cli-traces.ts';
import { draftHoldoutTests, type DraftingResult } from './holdout-session.ts';
import { mergeProposal, validateProposal, type MergeResult } from './proposal.ts';

/** The one folder of `.goldloop/` the planning agent may write (its sandbox keeps the rest read-only). */
export const PLAN_DIR = join(GOLDLOOP_DIR, 'plan');

/** Where the planning agent writes its proposal, relative to the project. */
export const PROPOSAL_FILE = join(PLAN_DIR, 'proposal.json');

/** A planning cycle's log, relative to the project: `.goldloop/logs/plan-2026-11-24T10-00-00Z.log`. */
export const planLogFile = (at = new Date()): string =>
  join(
    GOLDLOOP_DIR,
    'logs',
    `plan-${at
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/:/g, '-')}.log`,
  );

/** A planning step that wrote nothing into the KB; the message names the file, each JSON path and the fix. */
export class PlanError extends Error {
  readonly problems: KbProblem[];
  constructor(message: string, problems: KbProblem[] = []) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}\n    fix: ${p.fix}`);
    super(lines.length ? `${message}\n${lines.join('\n')}` : message);
    this.name = 'PlanError';
    this.problems = problems;
  }
}

export interface PlanOptions {
  projectDir: string;
  agent: AgentRunner;
  /** Documents to read besides those found by name, relative to the project. */
  docs?: string[];
  /** The planning cycle's wall-clock limit (default 30 min). */
  timeoutMs?: number;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Where the agent's output goes, relative to the project (default `.goldloop/logs/plan-<ms>.log`). */
  logFile?: string;
}

export interface PlanResult extends MergeResult {
  documents: string[];
  proposalFile: string;
  /** The held-out test drafting session (a session of its own), where the KB sets gates.holdout. */
  holdoutDrafts?: DraftingResult;
}

const EXAMPLE = {
  phases: [{ phase: 1, name: 'Core Features' }],
  requirements: [{ id: 'REQ-001', text: 'Users log in with email and password', source: 'PRD.md' }],
  tasks: [
    {
      task_id: 'TASK_001',
      description: 'Implement the login form and session',
      priority: 'P0',
      phase: 1,
      dependencies: [],
      requirements: ['REQ-001'],
      acceptance: 'a user can log in',
      estimated_time: '2h',
    },
  ],
};

/** The planning cycle's prompt: which documents to read, where to write, the exact shape. */
export function planningPrompt(documents: readonly string[], existingTaskIds: readonly string[]): string {
  return `${[
    '# Goldloop planning cycle',
    '',
    "Read the project's documents and propose a plan. Do not change any code, and do not edit .ai-knowledge-base.json: Goldloop validates your proposal and merges it itself.",
    '',
    '## Documents to read',
    ...documents.map((d) => `- ${d}`),
    '',
    '## What to write',
    `Write the proposal to \`${PROPOSAL_FILE}\` as one JSON object of this shape:`,
    '',
    JSON.stringify(EXAMPLE, null, 2),
    '',
    '- phases: 1 Core, 2 Advanced, 3 Enterprise, 4 Optimization (numbers 1..4); rename them to fit the project.',
    '- requirements: every testable requirement in the documents, each with an id like REQ-001 and the document it comes from.',
    '- tasks: small enough for one 15-minute cycle; priority P0 (must), P1 (should) or P2 (could); the phase; dependencies as task ids; the requirement ids each task implements.',
    '- Dependencies must name proposed (or existing) tasks and must not form a cycle; every requirement id a task names must be in requirements.',
    ...(existingTaskIds.length
      ? [`- These task ids exist already; do not reuse them (you may depend on them): ${existingTaskIds.join(', ')}`]
      : []),
  ].join('\n')}\n`;
}

/** Where in a JSON text a parse error is, in words people can find in an editor. */
function jsonProblem(text: string, error: Error): KbProblem {
  const at = /position (\d+)/.exec(error.message);
  let where = '$';
  if (at) {
    const before = text.slice(0, Number(at[1]));
    where = `line ${before.split('\n').length}, column ${Number(at[1]) - before.lastIndexOf('\n')}`;
  }
  return { path: where, message: `not valid JSON (${error.message})`, fix: 'repair the JSON syntax there' };
}

/**
 * Validates the proposal file and merges it into the KB; throws PlanError (KB untouched) when it
 * is missing or invalid. Usable on its own after a user fixed a proposal by hand.
 */
export async function applyProposalFile(projectDir: string, file = join(projectDir, PROPOSAL_FILE), source?: string): Promise<MergeResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new PlanError(
      `${file}: the planning agent wrote no proposal; nothing was added to ${KB_FILE}. Fix: check the agent's output in ${join(GOLDLOOP_DIR, 'logs')}, then run the planning step again.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PlanError(`${file} is not a valid proposal; nothing was added to ${KB_FILE}:`, [jsonProblem(text, error as Error)]);
  }
  if (raw && typeof raw === 'object' && 'holdout_tests' in raw) {
    // Held-out drafts come from a session of their own (holdout-session.ts), never from the
    // proposal, which stays in the project where the loop's agent reads it: any the planning agent
    // put there on its own are dropped.
    const { holdout_tests: _, ...rest } = raw as Record<string, unknown>;
    await writeFile(file, `${JSON.stringify(rest, null, 2)}\n`);
  }
  const kb = await loadKb(projectDir);
  const checked = validateProposal(raw, kb);
  if (!checked.proposal) throw new PlanError(`${file} is not a valid proposal; nothing was added to ${KB_FILE}:`, checked.problems);
  const merged = mergeProposal(kb, checked.proposal, source);
  await saveKb(projectDir, kb);
  return merged;
}

/**
 * Runs ONE planning cycle: the agent reads the spec, PRD and architecture documents and writes a
 * proposal (phases, requirements, tasks); Goldloop validates it against the KB schema and the
 * existing queue and merges it only when valid. The dashboard calls this as the CLI's `init --plan`.
 */
export async function runPlanning(options: PlanOptions): Promise<PlanResult> {
  const { projectDir } = options;
  let documents: string[];
  try {
    documents = await findPlanDocuments(projectDir, options.docs);
  } catch (error) {
    throw new PlanError((error as Error).message);
  }
  if (!documents.length) {
    throw new PlanError(
      `no documents to plan from in ${projectDir} (looked for SPEC*, PRD*, ARCHITECTURE* and docs/*.md). Fix: add one, or name it with --doc <path>.`,
    );
  }
  // A drafting session a crashed process left unfinished: its traces go before any agent runs.
  await finishLeftSession(projectDir);
  const kb = await loadKb(projectDir);
  const kbText = await readFile(join(projectDir, KB_FILE), 'utf8');
  const proposalFile = join(projectDir, PROPOSAL_FILE);
  // A proposal left from an earlier attempt must not pass for this one.
  await rm(proposalFile, { force: true });
  await mkdir(join(projectDir, GOLDLOOP_DIR, 'logs'), { recursive: true });
  const prompt = planningPrompt(
    documents,
    kb.task_queue.high_priority.concat(kb.task_queue.medium_priority, kb.task_queue.low_priority).map((t) => t.task_id),
  );
  const promptFile = join(projectDir, GOLDLOOP_DIR, 'plan-prompt.md');
  await writeFile(promptFile, prompt);
  const log = createWriteStream(join(projectDir, options.logFile ?? planLogFile()));
  const outcome = await options.agent({
    options: { prompt, promptFile, cwd: projectDir, writable: [PLAN_DIR], ...keptFromAgent(kb) },
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (line, stream) => {
      log.write(`${stream === 'stderr' ? '! ' : ''}${line}\n`);
      options.onLine?.(line, stream);
    },
  });
  await new Promise<void>((resolve) => log.end(resolve));
  if (outcome.spawnError) throw new PlanError(`the planning agent could not start: ${outcome.spawnError}`);
  if (outcome.limit)
    throw new PlanError(
      `the planning agent hit a usage limit (${outcome.limit.message}); nothing was added. Fix: run the planning step again after the limit resets.`,
    );
  // The agent was told not to edit the KB: its edits are put back before the merge.
  if ((await readFile(join(projectDir, KB_FILE), 'utf8')) !== kbText) await writeFile(join(projectDir, KB_FILE), kbText);
  const merged = await applyProposalFile(projectDir, proposalFile, documents[0]);
  // The held-out drafts: a session of their own, once the plan's requirements are in the KB.
  const drafting = await draftHoldoutTests({
    projectDir,
    kb: await loadKb(projectDir),
    agent: options.agent,
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...merged, documents, proposalFile, ...(drafting ? { holdoutDrafts: drafting } : {}) };
}
