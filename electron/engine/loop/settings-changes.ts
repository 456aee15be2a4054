/**
 * Users' settings changes waiting for the loop to reach a point between cycles (see
 * ProjectLoop.changeSettings for why), and the alarm that ends a break early so one is written now.
 */

interface SettingsChange {
  write: () => Promise<unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SettingsChanges {
  private pending: SettingsChange[] = [];
  private alarm: AbortController | undefined;

  /** True while a change waits to be written. */
  get waiting(): boolean {
    return this.pending.length > 0;
  }

  /** Queues a change and wakes a sleeping loop; the promise settles when it is written (or could not be). */
  add(write: () => Promise<unknown>): Promise<void> {
    let change!: SettingsChange;
    const written = new Promise<void>((resolve, reject) => (change = { write, resolve, reject }));
    // The caller awaits it or not; a failure is its to report, never an unhandled rejection.
    written.catch(() => {});
    this.pending.push(change);
    this.alarm?.abort();
    return written;
  }

  /** Writes the waiting changes, in the order they came; returns how many were written. */
  async writeAll(): Promise<number> {
    let written = 0;
    for (const change of this.pending.splice(0)) {
      try {
        await change.write();
        change.resolve();
        written += 1;
      } catch (error) {
        change.reject(error);
      }
    }
    return written;
  }

  /** Runs one sleep with a signal that a new change aborts; true when one did. */
  async sleep(sleep: (alarm: AbortSignal) => Promise<void>): Promise<boolean> {
    const alarm = new AbortController();
    this.alarm = alarm;
    try {
      await sleep(alarm.signal);
    } finally {
      this.alarm = undefined;
    }
    return alarm.signal.aborted;
  }
}
