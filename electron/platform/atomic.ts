import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { asWriteError } from './write-error.ts';

/**
 * Writes a file so that readers see either the old content or the new, never a torn mix:
 * temp file in the same folder, fsync, rename over the target, then fsync the folder so the
 * rename itself survives a power cut. `durable: false` skips both fsyncs: still never torn, but
 * a power cut may bring back the previous version — right for a cache written many times a cycle.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { durable?: boolean } = {}): Promise<void> {
  try {
    await writeAtomically(path, data, options.durable ?? true);
  } catch (error) {
    throw asWriteError(error, path);
  }
}

async function writeAtomically(path: string, data: string | Uint8Array, durable: boolean): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  if (durable) await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves a file Goldloop cannot read (not JSON, cut short) out of the way, never deleting it: the
 * user may want what is in it. Returns where it is now: `<file>.unreadable-<time>`.
 */
export async function setAside(file: string): Promise<string> {
  const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  return aside;
}
