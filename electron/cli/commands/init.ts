/** `goldloop init`: a knowledge base and .goldloop/ for a project folder, and with --plan a plan from its documents. */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AGENT_TYPES } from '../../contract/settings.ts';
import type { DraftingResult } from '../../engine/plan/holdout-session.ts';
import type { RunFlags } from '../agent-flags.ts';
import { durationOption } from '../option-parsers.ts';

type InitFlags = { name?: string; testCommand?: string; git?: boolean; redetect?: boolean; plan?: boolean; doc?: string[] } & RunFlags;

export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      "create .ai-knowledge-base.json (the operating document's defaults) and .goldloop/ in a project folder; never overwrites an existing knowledge base. With --plan, an agent turns the spec, PRD and architecture documents into phases, requirements and tasks",
    )
    .argument('[dir]', 'project folder (created if missing)', '.')
    .option(
      '--name <name>',
      "project name shown in reports and the dashboard (default: the name in the project's package.json, pyproject.toml, Cargo.toml or go.mod, else the folder's)",
    )
    .option('--test-command <command line>', "the project's test command (default: detected, e.g. npm test)")
    .option('--git', 'make the folder a git repository (git init) if it is not one; a folder that is not one is refused without it')
    .option(
      '--redetect',
      "in an existing knowledge base, propose the tests, mutation, security and build gates again from the project's files (with --test-command, that command); prints the changes to the gates section and keeps everything else (plan, tasks, notes, each gate's enabled and timeout_minutes)",
    )
    .option(
      '--plan',
      'run one planning cycle: the agent reads SPEC*, PRD*, ARCHITECTURE* and docs/*.md and proposes a plan in .goldloop/plan/proposal.json; Goldloop validates it and merges it into the knowledge base only when valid (an existing knowledge base is kept and added to)',
    )
    .option('--doc <path...>', 'with --plan: more documents to read (relative to the project)')
    .addOption(new Option('--agent <kind>', 'with --plan: the agent CLI (default: agent.type in the KB)').choices(AGENT_TYPES))
    .option('--agent-cmd <command line>', 'with --plan and --agent command: the program and its arguments')
    .option('--model <name>', "with --plan: the agent's model")
    .option('--permission-mode <mode>', "with --plan: the agent CLI's permission mode")
    .option('--agent-arg <arg...>', 'with --plan: extra arguments for the agent command line')
    .option(
      '--cycle-timeout <duration>',
      "with --plan: the planning cycle's wall-clock limit (default 30m)",
      durationOption('--cycle-timeout'),
    )
    .action(initAndPlan);
}

/** Creates the knowledge base unless --plan adds to one that exists, then plans when asked. */
async function initAndPlan(dir: string, opts: InitFlags): Promise<void> {
  // Loaded when the command runs, not at every start of goldloop (see cli/main.ts).
  const [{ splitCommandLine }, { runPlanning }, { initProject }, { kbPath }, { agentFor }] = await Promise.all([
    import('../../contract/command-line.ts'),
    import('../../engine/plan/plan.ts'),
    import('../../engine/project/init.ts'),
    import('../../store/kb/kb-file.ts'),
    import('../agent-flags.ts'),
  ]);
  const projectDir = resolve(dir);
  const testCommand = opts.testCommand ? { testCommand: splitCommandLine(opts.testCommand) } : {};
  if (opts.redetect) {
    const { redetectGates } = await import('../../engine/project/redetect.ts');
    const result = await redetectGates(dir, testCommand);
    const changes = result.diff.length
      ? `Changed the gates in ${result.kbFile}:\n${result.diff.map((l) => `  ${l}`).join('\n')}`
      : `The gates in ${result.kbFile} are already what detection proposes; nothing written`;
    process.stdout.write(`${changes}\n${result.notes.map((n) => `  - ${n}`).join('\n')}\n`);
  }
  const exists = await access(kbPath(projectDir)).then(
    () => true,
    () => false,
  );
  if (!opts.redetect && (!opts.plan || !exists)) {
    const result = await initProject(dir, {
      ...(opts.name ? { name: opts.name } : {}),
      ...testCommand,
      ...(opts.git ? { git: true } : {}),
    });
    process.stdout.write(`Created ${result.kbFile}\n${result.notes.map((n) => `  - ${n}`).join('\n')}\n`);
  }
  if (!opts.plan) return;
  const agent = await agentFor(projectDir, opts);
  process.stdout.write(`Planning with ${agent.name} (one cycle)...\n`);
  const plan = await runPlanning({
    projectDir,
    agent: agent.runner,
    ...(opts.doc ? { docs: opts.doc } : {}),
    ...(opts.cycleTimeout !== undefined ? { timeoutMs: opts.cycleTimeout } : {}),
  });
  process.stdout.write(
    `Read ${plan.documents.join(', ')}\nMerged the proposal into ${kbPath(projectDir)}: ${plan.tasks} task(s), ${plan.requirements} requirement(s)${plan.phases.length ? `; ${plan.phases.join('; ')}` : ''}\n` +
      `next: review the plan (goldloop status ${dir} shows it), then goldloop run ${dir}\n`,
  );
  if (plan.holdoutDrafts) process.stdout.write(draftsReport(plan.holdoutDrafts));
}

/** What the held-out drafting session did: the drafts for review, or why there are none; what it left of itself. */
function draftsReport(drafting: DraftingResult): string {
  const lines: string[] = [];
  const drafts = drafting.written;
  if (drafts) {
    const kept = drafts.kept.length ? `; kept ${drafts.kept.length} file(s) that were there already: ${drafts.kept.join(', ')}` : '';
    lines.push(
      `Drafted ${drafts.written.length} held-out acceptance test(s) in ${drafts.folder}${drafts.written.length ? ` (${drafts.written.join(', ')})` : ''}${kept}`,
      'next: review each draft (its header says so) before a run relies on it: the agent never sees them',
    );
  }
  if (drafting.failed) {
    lines.push(`No held-out test drafts: ${drafting.failed.message}; the drafting session's log: ${drafting.log}`);
    for (const p of drafting.failed.problems) lines.push(`  ${p.path}: ${p.message}`, `    fix: ${p.fix}`);
  }
  if (drafting.traces.holding.length)
    lines.push(
      `warning: the agent CLI changed these files of its own during the drafting session and they hold text of the drafts; later agents can read them: ${drafting.traces.holding.join(', ')}`,
      '  fix: remove the session from them (or the files), or rewrite the held-out tests',
    );
  return lines.length ? `${lines.join('\n')}\n` : '';
}
