import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder that is not /tmp, which the agent's sandbox replaces with one of its own. */
export const VISIBLE_TEMP = '/var/tmp';

/** Temp folders made by one test file; `cleanup()` removes them all. */
export class TempDirs {
  private readonly dirs: string[] = [];

  /**
   * A new folder under the system temp folder, or under `base`: the agent's sandbox gives it a
   * /tmp of its own, so a folder it must see as the rest of the system (read-only) lies elsewhere
   * (`VISIBLE_TEMP`).
   */
  async make(prefix = 'goldloop-unit-', base = tmpdir()): Promise<string> {
    const dir = await mkdtemp(join(base, prefix));
    this.dirs.push(dir);
    return dir;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}
