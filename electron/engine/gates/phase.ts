/**
 * One gate phase: every gate of a project measured once, the command gates side by side on the
 * schedule of `schedule.ts`, and `goldloop gates`, which evaluates the checklist from it.
 */
import { availableParallelism } from 'node:os';
import { runCanary } from './canary/run.ts';
import { evaluateChecklist } from './checklist/checklist.ts';
import { checkDocs } from './docs.ts';
import { dropIfEmpty, EVIDENCE_KEEP, makeEvidenceFolder, pruneEvidence } from './evidence.ts';
import { measureBuild } from './measure/build.ts';
import { runHoldoutGate } from './measure/holdout.ts';
import { measurePerformance } from './measure/performance.ts';
import { measureSecurity } from './measure/security.ts';
import { measureTests } from './measure/tests.ts';
import type { CommandGateId, GateContext, GateRunner, Measurement } from './measurement.ts';
import { recordBaseline } from './mutation/changes.ts';
import { runMutationGate } from './mutation/run.ts';
import { runRequirementTests } from './pertest/run.ts';
import { filesOnce } from './project-files.ts';
import { COMMAND_GATES, gateOrder, lastTimings, recordTimings, SpareCores } from './schedule.ts';
import { gateSlots, slotWaitWords } from './slots.ts';
import type { GateId, GateRun } from './types.ts';
import type { MeasuringBuild, MeasuringPerformance, MeasuringSecurity } from '../../store/kb/schema.ts';

/** Runs one command gate; with `background`, it yields the CPU until that promise settles. */
function measureCommandGate(id: CommandGateId, ctx: GateContext, background: Promise<unknown> | undefined): Promise<unknown> {
  const g = ctx.kb.gates;
  if (id === 'tests') return measureTests(g.tests!, ctx, background);
  // Only gates switched on are measured, and the KB schema refuses one switched on without its command.
  if (id === 'security') return measureSecurity(g.security as MeasuringSecurity, ctx, background);
  if (id === 'performance') return measurePerformance(g.performance as MeasuringPerformance, ctx, background);
  return measureBuild(g.build as MeasuringBuild, ctx, background);
}

/**
 * Runs the project's gates once: the test command (which writes JUnit and coverage in one run),
 * the security scan, the benchmark and the build — together, each with its own timeout — and the
 * documentation check.
 *
 * The gate phase lasts as long as its longest gate, so that one runs in the foreground: it starts
 * first (the longest in the last phase, by `gate-timings.json` in the project's state folder; the tests when that is
 * not known), and the other command gates run beside it at a lower priority until it ends, so they
 * take the CPU it leaves idle instead of slowing it down. The documentation check, old evidence
 * and the test files' requirement tags are read while the commands run.
 */
export const measureGates: GateRunner = async (ctx) => {
  // What the caller does with the news (a state write) must never stop the phase.
  const tell = (message: string | undefined): void => void Promise.resolve(ctx.waiting?.(message)).catch(() => {});
  let waited = false;
  let release: () => Promise<void>;
  try {
    release = await gateSlots().take({
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onWait: (wait) => {
        waited = true;
        tell(slotWaitWords(wait));
      },
    });
  } catch (error) {
    // Paused while waiting: nothing was measured, and the caller sees its signal aborted.
    if (ctx.signal?.aborted) return { at: new Date().toISOString(), durationMs: 0, timings: {}, order: [] };
    throw error;
  }
  if (waited) tell(undefined);
  try {
    const phase = ctx.at === undefined ? ctx : { ...ctx, label: await makeEvidenceFolder(ctx.projectDir, ctx.label, ctx.at) };
    try {
      return await measureInSlot(phase);
    } finally {
      await dropIfEmpty(phase.projectDir, phase.label);
    }
  } finally {
    await release();
  }
};

async function measureInSlot(phase: GateContext): Promise<Measurement> {
  const started = performance.now();
  const ctx: GateContext = { ...phase, files: phase.files ?? filesOnce(phase.projectDir) };
  const g = ctx.kb.gates;
  const timings: Partial<Record<GateId, number>> = {};
  const timed =
    <T>(id: GateId, work: () => Promise<T>) =>
    async (): Promise<T> => {
      const t = performance.now();
      try {
        return await work();
      } finally {
        timings[id] = Math.round(performance.now() - t);
      }
    };
  // The mutation gate measures later phases' changes from the tree the run starts on.
  const baselineRecorded = ctx.baseline && g.mutation?.enabled ? recordBaseline(ctx.projectDir).catch(() => {}) : undefined;
  const enabled = COMMAND_GATES.filter((id) => g[id]?.enabled);
  const order = gateOrder(enabled, ctx.sequential ? {} : await lastTimings(ctx.projectDir));
  const spare = new SpareCores(Math.max(1, availableParallelism() - 1));
  let ended = false;
  let resolveForeground!: () => void;
  const foreground = new Promise<void>((resolve) => (resolveForeground = resolve)).then(() => spare.openAll());
  const foregroundDone = (): void => {
    ended = true;
    resolveForeground();
  };
  const inBackground = async (id: CommandGateId): Promise<unknown> => {
    await spare.take();
    try {
      // A gate that starts after the foreground gate ended has nothing to yield to.
      return await timed(id, () => measureCommandGate(id, ctx, ended ? undefined : foreground))();
    } finally {
      spare.give();
    }
  };
  const jobs: [keyof Measurement, () => Promise<unknown>][] = order.map((id, i) => [
    id,
    i === 0 || ctx.sequential ? timed(id, () => measureCommandGate(id, ctx, undefined).finally(foregroundDone)) : () => inBackground(id),
  ]);
  if (g.docs.enabled) jobs.push(['docs', timed('docs', () => checkDocs(ctx.projectDir, g.docs, ctx.kb.documents))]);
  // A second, tiny run of the project's test runner beside the others (canary/run.ts).
  if (g.tests?.enabled && g.canary?.enabled !== false) jobs.push(['canary', () => runCanary(g.tests!, ctx)]);
  const results: Record<string, unknown> = {};
  // The current evidence folder is made by the command gates; with none, 20 old ones stay.
  const prune = (): Promise<void> => pruneEvidence(ctx.projectDir, ctx.label, EVIDENCE_KEEP - (order.length > 0 ? 1 : 0));
  if (ctx.sequential) {
    for (const [name, job] of jobs) results[name] = await job();
    await prune();
  } else {
    const running = jobs.map(([, job]) => job());
    // Started after the gates, so their first file operations are not queued behind its removals.
    const pruned = prune();
    const values = await Promise.all(running);
    jobs.forEach(([name], i) => (results[name] = values[i]));
    await pruned;
  }
  await baselineRecorded;
  // After the others: they need their verdicts, and run only at a gold candidate (the held-out tests) or keep every core busy (see mutation/run.ts).
  if (g.holdout?.enabled && !ctx.signal?.aborted)
    results.holdout = await timed('holdout', () => runHoldoutGate(ctx, results as unknown as Measurement))();
  if (g.mutation?.enabled && !ctx.signal?.aborted)
    results.mutation = await timed('mutation', () => runMutationGate(ctx, results as unknown as Measurement))();
  // Where no mutation tool runs: whether each requirement's tests run the code (pertest/run.ts).
  else if (!ctx.signal?.aborted) {
    const runs = await timed('requirements', () => runRequirementTests(ctx, results as unknown as Measurement))();
    if (runs) results.requirementTests = runs;
  }
  const durationMs = Math.round(performance.now() - started);
  // A phase cut short (a pause) measured nothing about how long the gates take.
  if (!ctx.signal?.aborted) await recordTimings(ctx.projectDir, timings);
  return { at: new Date().toISOString(), durationMs, timings, order, ...(results as Partial<Measurement>) };
}

/** Measures and evaluates in one go: `goldloop gates`. */
export async function runGates(ctx: GateContext): Promise<GateRun> {
  return evaluateChecklist(ctx.kb, await measureGates(ctx));
}
