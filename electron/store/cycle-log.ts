/**
 * A cycle's log (`.goldloop/logs/cycle-NNNNNN.log`): the agent's lines as they come, made safe for
 * a terminal (a user may `cat` it), and bounded. An agent that prints without end fills the log up
 * to its limit; past it the lines are counted but not kept, except the last ones, written with the
 * count when the cycle ends, so the log holds the start and the end of what the agent did and says
 * how much of the middle is gone.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { localTime } from '../platform/clock.ts';
import { terminalSafe } from '../platform/terminal-text.ts';

/** The largest cycle log, in MB: `$GOLDLOOP_LOG_MAX_MB`, else 20. */
export const logLimitBytes = (): number => (Number(process.env.GOLDLOOP_LOG_MAX_MB) || 20) * 1024 * 1024;

/** The share of the limit kept for the end of the output, once the limit is reached. */
const TAIL_SHARE = 0.1;

/** A line's time in the cycle's log: the time of day, local to the machine (`14:05:03`); the cycle's date is its start's. */
export const logTime = localTime;

/** A line's time as `logTime` writes it at the start of a line, and the space after it. */
export const LOG_TIME = /^(\d\d:\d\d:\d\d) /;

export class CycleLog {
  private readonly out: WriteStream;
  private written = 0;
  private readonly tail: string[] = [];
  private tailBytes = 0;
  private dropped = { lines: 0, bytes: 0 };

  /** `used`: the bytes the file already holds (a cycle taken up again after a crash appends to its log). */
  constructor(
    readonly file: string,
    private readonly limit = logLimitBytes(),
    used = 0,
  ) {
    this.written = used;
    this.out = createWriteStream(file, { flags: 'a' });
  }

  /** One line of the agent's output; `stderr` lines start with "! ", after the time it came at (`logTime`) when given. */
  write(line: string, stream: 'stdout' | 'stderr', at?: string): void {
    const text = `${at ? `${at} ` : ''}${stream === 'stderr' ? '! ' : ''}${terminalSafe(line)}\n`;
    const bytes = Buffer.byteLength(text);
    const headRoom = this.limit * (1 - TAIL_SHARE);
    if (this.tail.length === 0 && this.written + bytes <= headRoom) {
      this.out.write(text);
      this.written += bytes;
      return;
    }
    // Past the head: keep the newest lines within the tail's share, count what falls out.
    this.tail.push(text);
    this.tailBytes += bytes;
    while (this.tailBytes > this.limit * TAIL_SHARE && this.tail.length > 1) {
      const gone = this.tail.shift()!;
      this.tailBytes -= Buffer.byteLength(gone);
      this.dropped.lines++;
      this.dropped.bytes += Buffer.byteLength(gone);
    }
  }

  /** Writes the end kept, after a line saying how much was left out, and closes the file. */
  async close(): Promise<void> {
    if (this.dropped.lines > 0) {
      const mb = (this.limit / 1024 / 1024).toFixed(0);
      this.out.write(
        `… ${this.dropped.lines} line(s), ${this.dropped.bytes} bytes, of the agent's output are not kept here: the cycle log holds at most ${mb} MB (its start and its end; GOLDLOOP_LOG_MAX_MB changes the limit)\n`,
      );
    }
    for (const text of this.tail) this.out.write(text);
    await new Promise<void>((resolve) => this.out.end(resolve));
  }
}
