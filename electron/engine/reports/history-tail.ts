import { open } from 'node:fs/promises';
import { historyPath, parseHistoryLine } from '../../store/history.ts';
import type { EstimateSample } from './estimate.ts';

/**
 * The estimate's view of `.goldloop/history.jsonl`, read incrementally: the loop asks for it on
 * every cycle, and re-reading a thousand-line file each time would cost more than the cycle's
 * own bookkeeping. Only complete lines are taken; a torn last line is read again next time.
 */
export class HistoryTail {
  private offset = 0;
  private readonly samples: EstimateSample[] = [];

  constructor(private readonly projectDir: string) {}

  /** Every cycle recorded so far (the fields the estimate needs). */
  async read(): Promise<readonly EstimateSample[]> {
    const file = await open(historyPath(this.projectDir), 'r').catch(() => undefined);
    if (!file) return this.samples;
    try {
      const { size } = await file.stat();
      if (size < this.offset) {
        // Replaced or truncated by hand: start over.
        this.offset = 0;
        this.samples.length = 0;
      }
      if (size === this.offset) return this.samples;
      const buffer = Buffer.alloc(size - this.offset);
      await file.read(buffer, 0, buffer.length, this.offset);
      const text = buffer.toString('utf8');
      const end = text.lastIndexOf('\n');
      if (end < 0) return this.samples;
      this.offset += Buffer.byteLength(text.slice(0, end + 1));
      for (const line of text.slice(0, end).split('\n')) {
        // A damaged line is skipped, as readHistory does.
        const h = parseHistoryLine(line);
        if (typeof h?.ended_at !== 'string' || typeof h.outcome !== 'string') continue;
        this.samples.push({
          ended_at: h.ended_at,
          outcome: h.outcome,
          ...(h.started_at ? { started_at: h.started_at } : {}),
          ...(h.run_id ? { run_id: h.run_id } : {}),
        });
      }
      return this.samples;
    } finally {
      await file.close();
    }
  }
}
