import { constants } from 'node:os';

/**
 * Imports a module and takes off the signal handlers its import added. conf (and electron-store,
 * which is built on it) writes through `atomically`, whose `when-exit` hooks SIGINT, SIGTERM and
 * more and re-raises the signal: the app would die before it pauses its agents. Goldloop owns its
 * signals, so the hooks come off again (the 'exit' hook, which removes half-written temp files,
 * stays). Used for conf (the registry, the CLI's settings) and electron-store (the app's settings).
 */
export async function importWithoutSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const names = Object.keys(constants.signals) as NodeJS.Signals[];
  const before = new Map(names.map((n) => [n, new Set(process.listeners(n))]));
  const loaded = await load();
  for (const name of names) {
    for (const listener of process.listeners(name)) if (!before.get(name)!.has(listener)) process.off(name, listener);
  }
  return loaded;
}
