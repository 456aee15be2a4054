import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { splitCommandLine } from '../engine/agents/command.ts';
import { AGENT_KINDS, adapterFor, isAgentKind, runnerFor } from '../engine/agents/registry.ts';
import { adapterRunner, type AgentRunner } from '../engine/agents/runner.ts';
import { createDemoProject, DEMO_AGENT } from '../engine/demo/project.ts';
import { runGates } from '../engine/gates/phase.ts';
import { initProject, InitError } from '../engine/project/init.ts';
import { KbError, kbPath, loadKb } from '../store/kb/kb-file.ts';
import { PlanError, runPlanning } from '../engine/plan/plan.ts';
import { LockedError } from '../store/lock.ts';
import { ProjectLoop, type LoopOverrides } from '../engine/loop/project-loop.ts';
import type { LoopState } from '../engine/loop/types.ts';
import { reportsDir } from '../engine/reports/final.ts';
import { projectStatus } from '../engine/project/status.ts';
import { parseDuration } from './duration.ts';
import { LiveView } from './live-view.ts';
import { attachNotifications, notificationSettings, notificationSwitches, osNotifier } from './notify.ts';
import { renderStatus, styleFor } from './render.ts';
import { addReportCommand, NoReportError } from './report-command.ts';
import { serve } from './serve.ts';

/** Exit codes, documented in `goldloop --help`. */
export const EXIT = { gold: 0, error: 1, usage: 2, paused: 3, notGold: 4, interrupted: 130 } as const;

class UsageError extends Error {}

const durationOption =
  (flag: string) =>
  (value: string): number => {
    try {
      return parseDuration(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1`);
  return n;
};

interface RunFlags {
  agent?: string;
  agentCmd?: string;
  model?: string;
  permissionMode?: string;
  agentArg?: string[];
  cycleTimeout?: number;
  break?: number;
  maxIterations?: number;
  idleTimeout?: number;
  git: boolean;
  plain?: boolean;
  notify?: boolean;
}

function exitFor(state: LoopState): number {
  switch (state.state) {
    case 'complete':
      return EXIT.gold;
    case 'paused':
      return EXIT.paused;
    case 'stopped':
      return EXIT.interrupted;
    default:
      return EXIT.error;
  }
}

/** Resolves the agent: flags first, then the KB's `agent` section. */
async function agentFor(dir: string, flags: RunFlags): Promise<{ runner: AgentRunner; name: string }> {
  const kb = await loadKb(dir);
  const kind = flags.agent ?? (flags.agentCmd ? 'command' : kb.agent?.type);
  if (kind === undefined) {
    throw new UsageError(
      `no agent configured for ${dir}: pass --agent <${AGENT_KINDS.join('|')}> (with --agent-cmd "<command line>" for command), or set agent in .ai-knowledge-base.json`,
    );
  }
  if (!isAgentKind(kind)) throw new UsageError(`--agent ${kind}: unknown agent; use one of ${AGENT_KINDS.join(', ')}`);
  let argv: string[] | undefined;
  if (flags.agentCmd !== undefined) {
    try {
      argv = splitCommandLine(flags.agentCmd);
    } catch (error) {
      throw new UsageError(`--agent-cmd: ${(error as Error).message}`);
    }
    if (argv.length === 0) throw new UsageError('--agent-cmd is empty: give the program to run, e.g. --agent-cmd "node my-agent.js"');
  } else if (kind === 'command') {
    argv = kb.agent?.command;
  }
  const fromKb = kb.agent?.type === kind ? kb.agent : undefined;
  try {
    return runnerFor(
      {
        type: kind,
        command: argv,
        // The command agent names its program in its argv; the others may live outside PATH.
        executable: kind !== 'command' ? fromKb?.executable : undefined,
        model: flags.model ?? fromKb?.model,
        permission_mode: flags.permissionMode ?? fromKb?.permission_mode,
        extra_args: flags.agentArg ?? fromKb?.extra_args,
      },
      dir,
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs a loop in the foreground with the live view; Ctrl-C stops it gracefully, a second Ctrl-C forces. */
async function runForeground(
  dir: string,
  agent: AgentRunner,
  overrides: LoopOverrides,
  flags: { git: boolean; plain?: boolean; notify?: boolean },
): Promise<LoopState> {
  const loop = new ProjectLoop({ projectDir: dir, agent, overrides, git: flags.git });
  const view = new LiveView(loop, process.stdout, { plain: flags.plain });
  // Desktop notifications unless --no-notify or reporting.notifications: false; each type as switched in the desktop app's settings.
  const kb = await loadKb(dir).catch(() => undefined);
  const wanted = kb ? notificationSettings(kb) : undefined;
  const switches =
    flags.notify !== false && wanted?.enabled
      ? await notificationSwitches(process.env.GOLDLOOP_CONFIG_DIR, (w) => process.stderr.write(`${w}\n`))
      : undefined;
  const detachNotifications =
    switches && wanted
      ? attachNotifications(loop, osNotifier(), {
          projectName: kb?.project?.name ?? loop.projectName,
          errorsImmediately: wanted.errorsImmediately,
          switches,
        })
      : undefined;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\nStopping: ending the agent and saving state (Ctrl-C again to force)...\n');
      loop.stop();
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  view.start();
  try {
    return await loop.run();
  } finally {
    detachNotifications?.();
    await view.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function overridesFrom(flags: RunFlags): LoopOverrides {
  return {
    ...(flags.cycleTimeout !== undefined ? { cycleTimeoutMs: flags.cycleTimeout } : {}),
    ...(flags.break !== undefined ? { breakMs: flags.break } : {}),
    ...(flags.maxIterations !== undefined ? { maxIterations: flags.maxIterations } : {}),
    ...(flags.idleTimeout !== undefined ? { idleTimeoutMs: flags.idleTimeout } : {}),
  };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('goldloop')
    .description(
      'Keeps an AI coding agent working on a project, cycle after cycle, until every line of the completion checklist is measured green by Goldloop itself.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors come back as exceptions (exit code 2), from every subcommand too.
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 gold (or success), 1 error, 2 usage, 3 paused (repeated errors, max iterations or the run's budget),
4 gates measured and not gold, 130 stopped with Ctrl-C.

Start here: goldloop demo`,
    );

  program
    .command('init')
    .description(
      "create .ai-knowledge-base.json (the operating document's defaults) and .goldloop/ in a project folder; never overwrites an existing knowledge base. With --plan, an agent turns the spec, PRD and architecture documents into phases, requirements and tasks",
    )
    .argument('[dir]', 'project folder (created if missing)', '.')
    .option('--name <name>', 'project name shown in reports and the dashboard (default: the folder name)')
    .option('--test-command <command line>', "the project's test command (default: detected, e.g. npm test)")
    .option('--git', 'make the folder a git repository if it is not one')
    .option(
      '--plan',
      'run one planning cycle: the agent reads SPEC*, PRD*, ARCHITECTURE* and docs/*.md and proposes a plan in .goldloop/plan-proposal.json; Goldloop validates it and merges it into the knowledge base only when valid (an existing knowledge base is kept and added to)',
    )
    .option('--doc <path...>', 'with --plan: more documents to read (relative to the project)')
    .addOption(new Option('--agent <kind>', 'with --plan: the agent CLI (default: agent.type in the KB)').choices(AGENT_KINDS))
    .option('--agent-cmd <command line>', 'with --plan and --agent command: the program and its arguments')
    .option('--model <name>', "with --plan: the agent's model")
    .option('--permission-mode <mode>', "with --plan: the agent CLI's permission mode")
    .option('--agent-arg <arg...>', 'with --plan: extra arguments for the agent command line')
    .option(
      '--cycle-timeout <duration>',
      "with --plan: the planning cycle's wall-clock limit (default 30m)",
      durationOption('--cycle-timeout'),
    )
    .action(
      async (dir: string, opts: { name?: string; testCommand?: string; git?: boolean; plan?: boolean; doc?: string[] } & RunFlags) => {
        const projectDir = resolve(dir);
        const exists = await access(kbPath(projectDir)).then(
          () => true,
          () => false,
        );
        if (!opts.plan || !exists) {
          const result = await initProject(dir, {
            ...(opts.name ? { name: opts.name } : {}),
            ...(opts.testCommand ? { testCommand: splitCommandLine(opts.testCommand) } : {}),
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
      },
    );

  program
    .command('run')
    .description(
      'run the loop in the foreground with a live view until gold, a pause, an error or Ctrl-C; resumes where the last run left off',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('--agent <kind>', 'the agent CLI to drive (default: agent.type in the KB)').choices(AGENT_KINDS))
    .option(
      '--agent-cmd <command line>',
      'for --agent command: the program and its arguments, split like a shell would but run without one; the prompt goes to its stdin and to the file named in GOLDLOOP_PROMPT_FILE',
    )
    .option('--model <name>', "the agent's model, in its CLI's own naming (default: agent.model in the KB)")
    .option(
      '--permission-mode <mode>',
      "the agent CLI's permission/approval mode, e.g. acceptEdits (claude-code), workspace-write (codex), auto_edit (gemini)",
    )
    .option('--agent-arg <arg...>', 'extra arguments appended to the agent command line (repeatable)')
    .option(
      '--cycle-timeout <duration>',
      "the agent's wall-clock limit per cycle, e.g. 10m (default: work_cycle.duration_minutes)",
      durationOption('--cycle-timeout'),
    )
    .option(
      '--break <duration>',
      'break between cycles, e.g. 0s or 5m (default: work_cycle.break_between_cycles_minutes)',
      durationOption('--break'),
    )
    .option('--max-iterations <n>', 'cycles before the run pauses (default: max_iterations_per_run, 1000)', positiveInt)
    .option(
      '--idle-timeout <duration>',
      'end the agent when it prints nothing for this long (default: 5m)',
      durationOption('--idle-timeout'),
    )
    .option('--no-git', 'no checkpoint commits and no roll-back, even in a git repository')
    .option('--plain', 'one line per event instead of the redrawn view (the default when output is not a terminal)')
    .option(
      '--no-notify',
      "no desktop notifications (by default: each report, an error at once when reporting.error_alert_immediate is on, the pause after errors, a usage-limit wait, a cycle not counted, gold — each as switched in the desktop app's settings; reporting.notifications: false in the KB turns them all off)",
    )
    .action(async (dir: string, flags: RunFlags) => {
      const projectDir = resolve(dir);
      const agent = await agentFor(projectDir, flags);
      const end = await runForeground(projectDir, agent.runner, overridesFrom(flags), flags);
      if (end.state === 'error') process.stderr.write(`goldloop: ${end.message ?? 'error'}\n`);
      process.exitCode = exitFor(end);
    });

  program
    .command('status')
    .description('print state, iteration, progress per phase, the checklist and the task queue')
    .argument('[dir]', 'project folder', '.')
    .option('--json', 'print one JSON object (state, iteration, gold, checklist, phases, tasks, ...)')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const status = await projectStatus(dir);
      if (opts.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else process.stdout.write(`${renderStatus(status, styleFor(process.stdout), { tasks: true }).join('\n')}\n`);
    });

  program
    .command('gates')
    .description('run every gate of a project once, now, and print the checklist (exit 0 only when gold)')
    .argument('[dir]', 'project folder', '.')
    .option('--json', 'print { gold, checklist } as one JSON object')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const projectDir = resolve(dir);
      const kb = await loadKb(projectDir);
      const run = await runGates({ projectDir, kb, label: `manual-${Date.now()}` });
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ gold: run.gold, checklist: run.checklist, measured_at: run.at, duration_ms: run.durationMs }, null, 2)}\n`,
        );
      } else {
        const status = { ...(await projectStatus(projectDir)), checklist: run.checklist, gold: run.gold, measured_at: run.at };
        const lines = renderStatus(status, styleFor(process.stdout), { evidence: true });
        const from = lines.findIndex((l) => l.includes('Completion checklist'));
        process.stdout.write(`${lines.slice(from).join('\n')}\n\n${run.gold ? 'GOLD' : 'not gold'} (${run.durationMs} ms)\n`);
      }
      process.exitCode = run.gold ? EXIT.gold : EXIT.notGold;
    });

  program
    .command('demo')
    .description(
      'create a small sample project in a temp folder (failing tests, one requirement per test, a four-phase plan) and run the loop on it with the bundled scripted agent until gold; no API key, no network',
    )
    .option('--dir <path>', 'create the demo project here instead of a new temp folder (must not hold a knowledge base yet)')
    .option(
      '--pace <ms>',
      "delay between the demo agent's output lines, to watch it work",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${v}" is not a whole number of milliseconds`);
        return n;
      },
      150,
    )
    .option('--plain', 'one line per event instead of the redrawn view')
    .action(async (opts: { dir?: string; pace: number; plain?: boolean }) => {
      const dir = opts.dir ? resolve(opts.dir) : await mkdtemp(join(tmpdir(), 'goldloop-demo-'));
      await createDemoProject(dir);
      process.env.GOLDLOOP_DEMO_PACE_MS = String(opts.pace);
      const started = Date.now();
      const agent = adapterRunner(adapterFor('command', [process.execPath, DEMO_AGENT]));
      const end = await runForeground(dir, agent, { breakMs: 500, cycleTimeoutMs: 120_000 }, { git: true, plain: opts.plain });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `\n${end.state === 'complete' ? `Gold in ${seconds} s.` : `The demo ended ${end.state}${end.message ? `: ${end.message}` : ''}.`}\n` +
          `  project:  ${dir}\n  reports:  ${reportsDir(dir)}\n  history:  ${join(dir, '.goldloop', 'history.jsonl')}\n` +
          `  status:   goldloop status ${dir}\n`,
      );
      process.exitCode = exitFor(end);
    });

  program
    .command('serve')
    .description(
      'serve the dashboard for every registered project on 127.0.0.1 only, at a URL that carries a fresh random token; Ctrl-C pauses running projects and exits',
    )
    .option(
      '--port <n>',
      'the port (0 picks a free one)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${v}" is not a port number (0-65535)`);
        return n;
      },
      4717,
    )
    .option(
      '--host <address>',
      'the address to listen on; only 127.0.0.1 is accepted (use an SSH tunnel to watch from elsewhere)',
      '127.0.0.1',
    )
    .option('--config-dir <path>', 'where the list of projects is kept (default: $GOLDLOOP_CONFIG_DIR, else the user config folder)')
    .action(async (opts: { port: number; host: string; configDir?: string }) => {
      process.exitCode = await serve({
        port: opts.port,
        host: opts.host,
        ...(opts.configDir ? { configDir: resolve(opts.configDir) } : {}),
      });
    });

  addReportCommand(program);
  return program;
}

/** The CLI entry: returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (
      error instanceof KbError ||
      error instanceof InitError ||
      error instanceof LockedError ||
      error instanceof NoReportError ||
      error instanceof PlanError
    ) {
      process.stderr.write(`goldloop: ${error.message}\n`);
      return EXIT.error;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`goldloop: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`goldloop: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.error;
  }
}
