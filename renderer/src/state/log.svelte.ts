import type { ApiEvent, LogLine } from '../../../electron/shared/api.ts';
import { api } from '../lib/api.ts';

/**
 * The agent log of the selected project: one cycle at a time, the live one by default. The lines
 * live in a plain array (100,000 reactive rows would cost memory and time); `count` is the reactive
 * signal, bumped once per animation frame however many lines arrived.
 */
export class LogState {
  /** Not reactive on purpose: read it together with `count`. */
  lines: LogLine[] = [];
  count = $state(0);
  cycle = $state<number | undefined>(undefined);
  cycles = $state.raw<number[]>([]);
  /** Showing the newest cycle and taking its new lines as they come. */
  live = $state(true);
  loading = $state(false);
  error = $state<string | undefined>(undefined);
  private projectId: string | undefined;
  private frame = 0;
  private generation = 0;

  /** Loads a project's log: the latest cycle, or the one asked for. */
  async load(projectId: string, cycle?: number): Promise<void> {
    const generation = ++this.generation;
    this.projectId = projectId;
    this.loading = true;
    this.error = undefined;
    try {
      const page = await api.getLog({ projectId, ...(cycle !== undefined ? { cycle } : {}), limit: 200_000 });
      if (generation !== this.generation) return;
      this.lines = page.lines;
      this.cycles = page.cycles;
      this.cycle = page.cycle;
      this.live = cycle === undefined || cycle === page.cycles.at(-1);
      this.count = this.lines.length;
    } catch (error) {
      if (generation === this.generation) this.error = (error as Error).message;
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  /** Lines pushed by the engine; a new cycle starts a new page when following the live one. */
  apply(event: ApiEvent): void {
    if (event.type === 'cycle_start' && event.projectId === this.projectId) {
      if (!this.cycles.includes(event.iteration)) this.cycles = [...this.cycles, event.iteration];
      if (this.live) {
        this.lines = [];
        this.cycle = event.iteration;
        this.count = 0;
      }
    } else if (event.type === 'agent_line' && event.projectId === this.projectId && this.live) {
      if (this.cycle === undefined) this.cycle = event.iteration;
      if (event.iteration !== this.cycle) return;
      this.lines.push({ stream: event.stream, text: event.line });
      this.frame ||= requestAnimationFrame(() => {
        this.frame = 0;
        this.count = this.lines.length;
      });
    }
  }

  /** For tests and benchmarks: a log of any size, at once. */
  replace(lines: LogLine[]): void {
    this.lines = lines;
    this.count = lines.length;
  }
}
