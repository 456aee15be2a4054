import type { ProjectLoop } from '../engine/loop/project-loop.ts';
import type { EngineEvent } from '../engine/loop/types.ts';
import { projectStatus, type ProjectStatus } from '../engine/project/status.ts';
import { terminalSafeDeep } from '../platform/terminal-text.ts';
import { clock, DISPLAY_MAX, renderStatus, stateLine, styleFor, type Style } from './render.ts';

const AGENT_TAIL = 8;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const stripAnsi = (s: string): string => s.replace(ANSI, '');

/**
 * The terminal view of `goldloop run`: on a terminal, a block redrawn in place (state, iteration,
 * current work, phase bars, checklist, the agent's last lines); otherwise one line per event, so
 * a log file or CI output stays readable.
 */
export class LiveView {
  private readonly st: Style;
  private readonly tty: boolean;
  private status: ProjectStatus | undefined;
  private work = '';
  private agentLines: string[] = [];
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly loop: ProjectLoop,
    private readonly out: NodeJS.WriteStream,
    options: { plain?: boolean; redrawOver?: number } = {},
  ) {
    this.tty = Boolean(out.isTTY) && !options.plain;
    this.st = styleFor(out);
    // The frame the engine before this one left on screen (a run's host restarts it after a long wait): drawn over.
    if (this.tty && options.redrawOver) this.drawn = options.redrawOver;
  }

  /** How many lines the last frame took on screen (0 without a terminal). */
  get linesOnScreen(): number {
    return this.tty ? this.drawn : 0;
  }

  start(): void {
    this.unsubscribe = this.loop.on((event) => this.onEvent(event));
    if (this.tty) this.out.write('\x1b[?25l');
    this.refresh();
  }

  /** Draws the final frame and gives the terminal back; nothing is drawn after it (the caller's summary stays). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.refreshing;
    // A refresh that was on its way when stop() was called scheduled a redraw: it is dropped.
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.tty) {
      await this.refreshNow();
      this.draw(true);
      this.out.write('\x1b[?25h');
    }
  }

  private onEvent(raw: EngineEvent): void {
    // Text from the agent and the KB reaches the terminal only as text: no title, clipboard or cursor sequences.
    const event = terminalSafeDeep(raw, DISPLAY_MAX);
    if (!this.tty) {
      this.printPlain(event);
      return;
    }
    switch (event.type) {
      case 'agent_line':
        this.agentLines.push(event.line);
        if (this.agentLines.length > AGENT_TAIL) this.agentLines.shift();
        this.schedule();
        break;
      case 'cycle_start':
        this.work = `cycle ${event.iteration}: ${event.work} — ${event.description}`;
        this.agentLines = [];
        this.refresh();
        break;
      default:
        this.refresh();
    }
  }

  private refresh(): void {
    this.refreshing = this.refreshing.then(() => this.refreshNow()).then(() => this.schedule());
  }

  private async refreshNow(): Promise<void> {
    try {
      this.status = terminalSafeDeep(await projectStatus(this.loop.projectDir), DISPLAY_MAX);
    } catch {
      // A KB that fails to load is reported by the loop itself; keep the last frame.
    }
  }

  private schedule(): void {
    if (this.timer || !this.tty || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, 80);
  }

  private draw(final = false): void {
    if (!this.status) return;
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const state = terminalSafeDeep(this.loop.state, DISPLAY_MAX);
    const status: ProjectStatus = { ...this.status, state: state.state, step: state.step, until: state.until, message: state.message };
    const lines = renderStatus(status, this.st);
    if (this.work && state.state === 'running') lines.splice(5, 0, `Now: ${this.work}`);
    lines.push('', this.st.bold('Agent'));
    for (const line of this.agentLines.length ? this.agentLines : ['(no output yet)']) lines.push(this.st.dim(`  │ ${line}`));
    if (!final) lines.push('', this.st.dim('Ctrl-C stops gracefully: the agent is ended, state is saved.'));
    // Cut to the terminal width so wrapped lines never break the in-place redraw.
    const fitted = lines.map((l) => (stripAnsi(l).length > width ? `${stripAnsi(l).slice(0, width - 1)}…` : l));
    let frame = this.drawn > 0 ? `\x1b[${this.drawn}A\r` : '';
    frame += fitted.map((l) => `${l}\x1b[K`).join('\n');
    frame += '\n\x1b[J';
    this.out.write(frame);
    this.drawn = fitted.length;
  }

  private printPlain(event: EngineEvent): void {
    const at = clock(new Date().toISOString());
    const say = (line: string): void => {
      this.out.write(`[${at}] ${line}\n`);
    };
    switch (event.type) {
      case 'state':
        // An error arrives as an alert too; print it once.
        if (
          event.state.state !== 'error' &&
          (event.state.state !== 'running' || event.state.step === 'baseline' || event.state.step === 'quality_check')
        ) {
          say(`${stateLine({ ...event.state }, this.st)}`);
        }
        break;
      case 'cycle_start':
        say(`cycle ${event.iteration} started: ${event.work} — ${event.description}`);
        break;
      case 'agent_line':
        this.out.write(`    │ ${event.line}\n`);
        break;
      case 'gates': {
        const passed = event.run.checklist.filter((c) => c.passed).length;
        say(
          `${event.baseline ? 'baseline' : `cycle ${event.iteration} gates`}: ${passed}/${event.run.checklist.length} checklist lines pass${event.run.gold ? ' — GOLD' : ''}`,
        );
        for (const c of event.run.checklist)
          this.out.write(
            `    ${c.disabled ? 'OFF ' : c.passed ? 'PASS' : 'FAIL'} ${c.label}: ${c.value ?? '—'} (target ${c.threshold ?? '—'})\n`,
          );
        break;
      }
      case 'cycle_end':
        say(
          `cycle ${event.summary.iteration} ended: ${event.summary.outcome.replace('_', ' ')}${event.summary.verification ? ` — ${event.summary.verification}` : ''}`,
        );
        break;
      case 'alert':
        say(`${event.level.toUpperCase()}: ${event.message}`);
        break;
      case 'report':
        say(`${event.kind} report written: ${event.path}`);
        break;
      case 'gold':
        say(`gold at iteration ${event.iteration}`);
        break;
    }
  }
}
