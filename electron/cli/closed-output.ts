/**
 * When the reader of Goldloop's output goes away (`goldloop status | head -1`, `goldloop run | head`,
 * a terminal that closed), the next write fails with EPIPE (EIO for a terminal), which Node raises as
 * an unhandled 'error' event: a crash with a stack trace, in the middle of a run. Instead, what that
 * stream would still print is dropped, and a loop running in the foreground stops as at Ctrl-C
 * (`whenOutputCloses`): nobody reads it any more, and the state it saves lets `goldloop run` resume it.
 */
const READER_GONE = new Set(['EPIPE', 'EIO']);

let guarded = false;
let closed = false;
const listeners = new Set<() => void>();

/** Installs the guard on stdout and stderr, once per process. */
export function guardOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (guarded) return;
  guarded = true;
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!READER_GONE.has(error.code ?? '')) throw error;
      // Everything this stream would still print goes nowhere, as it would to a closed terminal.
      stream.write = ((_chunk: unknown, ...rest: unknown[]) => {
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        done?.();
        return true;
      }) as typeof stream.write;
      if (closed) return;
      closed = true;
      for (const listener of [...listeners]) listener();
    });
  }
}

/**
 * Calls `stop` when a write finds the output's reader gone, or at once if one already has (a
 * write before the caller started listening: the run's preflight line). Returns the unsubscribe.
 */
export function whenOutputCloses(stop: () => void): () => void {
  if (closed) {
    stop();
    return () => {};
  }
  listeners.add(stop);
  return () => listeners.delete(stop);
}
