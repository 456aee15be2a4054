/**
 * A loop run in the terminal, as `goldloop run` and `goldloop demo` do it: the live view, desktop
 * notifications as the settings switch them, and Ctrl-C (or a closed output) as a graceful stop.
 */
import type { AgentRunner } from '../engine/agents/runner.ts';
import { ProjectLoop, type LoopOverrides } from '../engine/loop/project-loop.ts';
import type { LoopState } from '../engine/loop/types.ts';
import { loadKb } from '../store/kb/kb-file.ts';
import { whenOutputCloses } from './closed-output.ts';
import { EXIT } from './exit.ts';
import { LiveView } from './live-view.ts';
import { attachNotifications, notificationSettings, notificationSwitches, osNotifier } from './notify.ts';

/** How `goldloop run`'s engine process runs the loop for its host (cli/run-host.ts). */
export interface EngineStage {
  host: { pid: number; handOffWaitsOverMs: number };
  /** The user stopped the run while the host waited: record it as stopped, start nothing. */
  stopAtStart?: boolean;
  /** Lines of the live view the engine before this one left on screen, to draw over. */
  redrawOver?: number;
}

/**
 * Runs a loop in the foreground with the live view; Ctrl-C stops it gracefully, a second Ctrl-C
 * forces. For a host, it resolves also when the loop hands a long wait to the host: `handedOffUntil`.
 */
export async function runForeground(
  dir: string,
  agent: AgentRunner,
  overrides: LoopOverrides,
  flags: { git: boolean; plain?: boolean; notify?: boolean },
  stage?: EngineStage,
): Promise<{ end: LoopState; handedOffUntil?: number; linesOnScreen: number }> {
  const loop = new ProjectLoop({ projectDir: dir, agent, overrides, git: flags.git, ...(stage ? { host: stage.host } : {}) });
  const view = new LiveView(loop, process.stdout, { plain: flags.plain, ...(stage?.redrawOver ? { redrawOver: stage.redrawOver } : {}) });
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
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nStopping: ending the agent and saving state (Ctrl-C again to force)...\n');
    loop.stop();
  };
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) stop();
    else process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let offClosed = (): void => {};
  view.start();
  let ended: { end: LoopState; handedOffUntil?: number };
  try {
    const running = loop.run();
    if (stage?.stopAtStart) loop.stop();
    // Nobody reads the live view any more (`goldloop run | head`): a graceful stop, which a Ctrl-C after it does not force.
    // Listened for once the run has begun, which a stop before it would not reach.
    offClosed = whenOutputCloses(stop);
    const end = await running;
    ended = { end, ...(loop.handedOffUntil !== undefined ? { handedOffUntil: loop.handedOffUntil } : {}) };
  } finally {
    detachNotifications?.();
    await view.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    offClosed();
  }
  return { ...ended, linesOnScreen: view.linesOnScreen };
}
