/**
 * A machine-wide limit on how many programs of one kind run at once, shared by every process that
 * uses the same folder: a slot is a file made with O_EXCL (`slots/<n>`), a waiter leaves a ticket
 * (`queue/<time>-<seq>-<pid>`) so slots go in the order they were asked for, and both name their
 * owner by pid and start time, so what a killed process held is taken back by the next one that
 * looks. Waiting costs nothing while nothing changes: the folder is watched, with a slow timer
 * behind the watch for owners that die without a word, and the waiters of one process (twenty
 * projects in the desktop app) share the watch and one read of the folders per change.
 */
import { watch } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processInfo, sameProcess } from './process-info.ts';

interface Owner {
  pid: number;
  started_at?: number;
}

/** How a waiter sees the machine while it waits. */
export interface SlotWait {
  /** Slots taken now. */
  inUse: number;
  limit: number;
  /** Waiters that asked before this one. */
  ahead: number;
}

/** Checked again at least this often while waiting: an owner killed with SIGKILL deletes nothing. */
const RECHECK_MS = 2000;

let sequence = 0;
const myStart = processInfo(process.pid)?.startedAt;
const me: Owner = { pid: process.pid, ...(myStart !== undefined ? { started_at: myStart } : {}) };

function ownerAlive(owner: Owner): boolean {
  if (owner.pid === process.pid) return true;
  if (process.platform !== 'win32') return sameProcess(owner.pid, owner.started_at);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The owners of queue tickets read so far, by path. A ticket's name is never used twice (time,
 * sequence and pid), and its file is written once, so what it says never changes: twenty waiters
 * each reading every ticket at every change of the folder was most of the supervisor's file reads.
 */
const ticketOwners = new Map<string, Owner | undefined>();

async function ownerOf(path: string, stable: boolean): Promise<Owner | undefined> {
  if (stable && ticketOwners.has(path)) return ticketOwners.get(path);
  const owner = JSON.parse(await readFile(path, 'utf8')) as Owner | undefined;
  if (stable) ticketOwners.set(path, owner);
  return owner;
}

/**
 * The live entries of `folder`, sorted by name; entries whose owner has gone are removed.
 * `stable`: each entry's name is used once and its content never changes (the queue's tickets).
 */
async function liveEntries(folder: string, stable = false): Promise<string[]> {
  const live: string[] = [];
  const names = (await readdir(folder)).sort();
  for (const name of names) {
    let owner: Owner | undefined;
    try {
      owner = await ownerOf(join(folder, name), stable);
    } catch {
      // Being written this instant (its owner is alive), or gone already.
      live.push(name);
      continue;
    }
    if (Number.isInteger(owner?.pid) && !ownerAlive(owner!)) await rm(join(folder, name), { force: true });
    else live.push(name);
  }
  if (stable) {
    const listed = new Set(names.map((n) => join(folder, n)));
    for (const path of ticketOwners.keys()) if (path.startsWith(folder) && !listed.has(path)) ticketOwners.delete(path);
  }
  return live;
}

/** The two folders as one read saw them: live slots and live tickets, each sorted by name. */
interface Listing {
  held: string[];
  queue: string[];
}

export class MachineSlots {
  private readonly slots: string;
  private readonly queue: string;
  /**
   * Counts the changes this process saw (a watch event, its own writes, the recheck timer): every
   * waiter of this process reads the folders through one `read()` per change, not one each.
   */
  private generation = 0;
  private listing?: { generation: number; read: Promise<Listing> };
  private readonly wakers = new Set<() => void>();
  /** Waiters of this process now in `take()`: the folders are watched while there is one. */
  private takers = 0;
  private watching?: { watcher: Closable; timer: NodeJS.Timeout };

  constructor(
    folder: string,
    readonly limit: number,
  ) {
    this.slots = join(folder, 'slots');
    this.queue = join(folder, 'queue');
  }

  /**
   * Waits for a slot, in turn; returns the function that gives it back. `onWait` is told when the
   * wait starts and whenever what it waits on changes. An abort ends the wait with the signal's reason.
   */
  async take(options: { signal?: AbortSignal; onWait?: (wait: SlotWait) => void } = {}): Promise<() => Promise<void>> {
    await mkdir(this.slots, { recursive: true });
    await mkdir(this.queue, { recursive: true });
    const ticket = `${String(Date.now()).padStart(15, '0')}-${String(sequence++).padStart(8, '0')}-${process.pid}`;
    await writeFile(join(this.queue, ticket), JSON.stringify(me));
    this.changed();
    this.takers++;
    this.watch();
    let wake: (() => void) | undefined;
    const onAbort = (): void => wake?.();
    options.signal?.addEventListener('abort', onAbort);
    let last = '';
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const seen = this.generation;
        const taken = await this.tryTake(ticket);
        if (taken.slot !== undefined) return this.giveBack(taken.slot);
        const words = `${taken.inUse}/${taken.ahead}`;
        if (words !== last) options.onWait?.({ inUse: taken.inUse, limit: this.limit, ahead: taken.ahead });
        last = words;
        // A change while the folders were being read, or an abort from `onWait`, needs no waiting.
        if (this.generation !== seen || options.signal?.aborted) continue;
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.wakers.add(resolve);
        });
        this.wakers.delete(wake!);
        wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (wake) this.wakers.delete(wake);
      if (--this.takers === 0) this.unwatch();
      await rm(join(this.queue, ticket), { force: true });
      this.changed();
    }
  }

  /** Something in the folders may have changed: the next read is a new one, and every waiter looks again. */
  private changed(): void {
    this.generation++;
    for (const wake of [...this.wakers]) wake();
  }

  /** The folders as of the latest change, read once for every waiter of this process. */
  private read(): Promise<Listing> {
    if (this.listing?.generation === this.generation) return this.listing.read;
    const read = (async () => ({ held: await liveEntries(this.slots), queue: await liveEntries(this.queue, true) }))();
    this.listing = { generation: this.generation, read };
    return read;
  }

  /** Watches the folders while this process has a waiter (from before its first read), with a slow timer behind the watch. */
  private watch(): void {
    this.watching ??= {
      watcher: watchFolders([this.slots, this.queue], () => this.changed()),
      timer: setInterval(() => this.changed(), RECHECK_MS),
    };
  }

  private unwatch(): void {
    if (!this.watching) return;
    this.watching.watcher.close();
    clearInterval(this.watching.timer);
    this.watching = undefined;
  }

  private async tryTake(ticket: string): Promise<{ slot?: string; inUse: number; ahead: number }> {
    const { held, queue } = await this.read();
    const ahead = queue.filter((t) => t < ticket).length;
    if (held.length + ahead >= this.limit) return { inUse: held.length, ahead };
    for (let n = 0; n < this.limit; n++) {
      const slot = String(n);
      if (held.includes(slot)) continue;
      try {
        await writeFile(join(this.slots, slot), JSON.stringify(me), { flag: 'wx' });
        this.changed();
        return { slot, inUse: held.length + 1, ahead };
      } catch {
        // Another process took it between the listing and now: try the next.
      }
    }
    return { inUse: this.limit, ahead };
  }

  private giveBack(slot: string): () => Promise<void> {
    let given = false;
    return async () => {
      if (given) return;
      given = true;
      await rm(join(this.slots, slot), { force: true });
      this.changed();
    };
  }
}

/** One watcher over several folders; a folder that cannot be watched leaves the timer to notice. */
interface Closable {
  close(): void;
}

function watchFolders(folders: string[], changed: () => void): Closable {
  const watchers: Closable[] = [];
  for (const folder of folders) {
    try {
      watchers.push(watch(folder, { persistent: false }, changed));
    } catch {
      // The recheck timer covers it.
    }
  }
  return { close: () => watchers.forEach((w) => w.close()) };
}
