import type { ApiEvent, LogLine } from '../../../electron/contract/api.ts';
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
  /** The log-file line number of `lines[0]` (a very long log is read from its tail). */
  base = 0;
  private projectId: string | undefined;
  private frame = 0;
  private generation = 0;
  /** Events that arrived while a page was being read: replayed on top of it, by line number. */
  private held: ApiEvent[] | undefined;

  /** Loads a project's log: the latest cycle, or the one asked for. */
  async load(projectId: string, cycle?: number): Promise<void> {
    const generation = ++this.generation;
    if (projectId !== this.projectId) this.reset();
    this.projectId = projectId;
    this.loading = true;
    this.error = undefined;
    this.held ??= [];
    try {
      const page = await api.getLog({ project_id: projectId, ...(cycle !== undefined ? { cycle } : {}), limit: 200_000 });
      if (generation !== this.generation) return;
      // Lines this view already had past the page's end (the file may lag its live lines by a write).
      const kept = page.cycle === this.cycle ? this.lines.slice(Math.max(0, page.from + page.lines.length - this.base)) : [];
      const keptFrom = page.cycle === this.cycle ? Math.max(this.base, page.from + page.lines.length) : 0;
      this.lines = page.lines;
      this.base = page.from;
      if (kept.length && keptFrom === page.from + page.lines.length) this.lines.push(...kept);
      this.cycles = page.cycles;
      this.cycle = page.cycle;
      this.live = cycle === undefined || cycle === page.cycles.at(-1);
      const held = this.held ?? [];
      this.held = undefined;
      for (const event of held) this.apply(event);
      this.count = this.lines.length;
    } catch (error) {
      if (generation === this.generation) {
        this.error = (error as Error).message;
        const held = this.held ?? [];
        this.held = undefined;
        for (const event of held) this.apply(event);
      }
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  /** Lines pushed by the engine; a new cycle starts a new page when following the live one. */
  apply(event: ApiEvent): void {
    if (!('project_id' in event) || event.project_id !== this.projectId) return;
    if (this.held && (event.type === 'cycle_start' || event.type === 'agent_line')) {
      this.held.push(event);
      return;
    }
    if (event.type === 'cycle_start') {
      if (!this.cycles.includes(event.iteration)) this.cycles = [...this.cycles, event.iteration];
      if (this.live) {
        this.lines = [];
        this.base = 0;
        this.cycle = event.iteration;
        this.count = 0;
      }
    } else if (event.type === 'agent_line' && this.live) {
      if (this.cycle === undefined) this.cycle = event.iteration;
      if (event.iteration !== this.cycle) return;
      const expected = this.base + this.lines.length;
      // Already read from the file, or pushed twice: keep one copy.
      if (event.n < expected) return;
      if (event.n > expected) {
        // Lines are missing between what this view has and this one: read the cycle again
        // (events meanwhile are held and joined by number, so nothing is lost twice).
        this.held = [event];
        void this.load(this.projectId!, undefined);
        return;
      }
      this.lines.push({ stream: event.stream, text: event.line, ...(event.at ? { at: event.at } : {}) });
      this.frame ||= requestAnimationFrame(() => {
        this.frame = 0;
        this.count = this.lines.length;
      });
    }
  }

  /** For tests and benchmarks: a log of any size, at once. */
  replace(lines: LogLine[]): void {
    this.lines = lines;
    this.base = 0;
    this.count = lines.length;
  }

  private reset(): void {
    this.lines = [];
    this.base = 0;
    this.cycle = undefined;
    this.count = 0;
    this.held = undefined;
  }
}
