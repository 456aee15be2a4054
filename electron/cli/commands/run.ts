/** `goldloop run`: the loop in the foreground, with the live view, until gold, a pause, an error or Ctrl-C. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AGENT_TYPES } from '../../contract/settings.ts';
import type { RunFlags } from '../agent-flags.ts';
import { EXIT, exitFor } from '../exit.ts';
import { durationOption, positiveInt } from '../option-parsers.ts';
import { handOffThreshold, takeStage, type HandOff, type RunStage } from '../run-stage.ts';
import type { EngineStage } from '../foreground.ts';

export function addRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'run the loop in the foreground with a live view until gold, a pause, an error or Ctrl-C; resumes where the last run left off. First a preflight checks what only you can fix (the agent CLI and its permission mode, git and the repository, the test command, every gate configured or switched off, a task in the queue): when a check fails, each is printed with its fix, no cycle starts, and the exit code is 2. A wait of a minute or more (a break, a usage limit) is waited out by this process alone, the engine unloaded until the next cycle (GOLDLOOP_RUN_HAND_OFF: the threshold in ms, or off)',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('--agent <kind>', 'the agent CLI to drive (default: agent.type in the KB)').choices(AGENT_TYPES))
    .option(
      '--agent-cmd <command line>',
      'for --agent command: the program and its arguments, split like a shell would but run without one; the prompt goes to its stdin and to the file named in GOLDLOOP_PROMPT_FILE',
    )
    .option('--model <name>', "the agent's model, in its CLI's own naming (default: agent.model in the KB)")
    .option(
      '--permission-mode <mode>',
      "the agent CLI's permission/approval mode (default: agent.permission_mode in the KB, else the mode that lets it edit inside the project: acceptEdits for claude-code, auto_edit for gemini, workspace-write for codex, or danger-full-access in Goldloop's sandbox)",
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
      // Started by a host, this is its engine process; started by the user, it becomes the host (see cli/run-stage.ts).
      const stage = takeStage();
      const handOff = stage ? undefined : handOffThreshold();
      if (handOff !== undefined) {
        const { hostRun } = await import('../run-host.ts');
        const ended = await hostRun(projectDir, handOff);
        // Ended as its engine was: a kill -9 of the engine (by its agent, say) reads as one of goldloop.
        if (typeof ended === 'number') process.exitCode = ended;
        else process.kill(process.pid, ended.signal);
        return;
      }
      // Loaded when the command runs, not at every start of goldloop (see cli/main.ts).
      const [{ agentFor, overridesFrom }, { runForeground }, { terminalSafe }, { preflightBeforeRun }, { recordChildrenAs }] =
        await Promise.all([
          import('../agent-flags.ts'),
          import('../foreground.ts'),
          import('../../platform/terminal-text.ts'),
          import('../preflight.ts'),
          import('../../platform/child-record.ts'),
        ]);
      if (stage) {
        // The host is the process the user knows and would kill: when it is gone, so is this one, at once, as a
        // kill -9 of it ends both; the next run ends what was left running, as recorded under the host's name.
        process.on('disconnect', endWithHost);
        recordChildrenAs(stage.hostIdentity);
      }
      try {
        // What only the user can fix is checked before any cycle: a failing check starts none, counts none, commits nothing.
        if ((!stage || stage.first) && !(await preflightBeforeRun(projectDir, flags))) {
          process.exitCode = EXIT.usage;
          return;
        }
        const agent = await agentFor(projectDir, flags);
        const engine = stage && engineStage(stage);
        const { end, handedOffUntil, linesOnScreen } = await runForeground(projectDir, agent.runner, overridesFrom(flags), flags, engine);
        if (stage && handedOffUntil !== undefined) return await tellHost({ type: 'hand-off', until: handedOffUntil, frame: linesOnScreen });
        if (end.state === 'error') process.stderr.write(`goldloop: ${terminalSafe(end.message ?? 'error')}\n`);
        process.exitCode = exitFor(end);
      } finally {
        // The channel to the host would keep this process alive: it ends here, and the host takes the exit code.
        if (stage) await tellHost();
      }
    });
}

/** What the loop of an engine process needs of its stage. */
function engineStage(stage: RunStage): EngineStage {
  return {
    host: { pid: stage.hostPid, handOffWaitsOverMs: stage.handOffWaitsOverMs },
    stopAtStart: stage.stop,
    ...(stage.frame ? { redrawOver: stage.frame } : {}),
  };
}

function endWithHost(): void {
  process.kill(process.pid, 'SIGKILL');
}

/** Sends the host a message, if any, and lets go of it (once): this process then ends. */
async function tellHost(message?: HandOff): Promise<void> {
  process.off('disconnect', endWithHost);
  if (!process.connected) return;
  if (message) await new Promise<void>((sent) => process.send!(message, () => sent()));
  process.disconnect();
}
