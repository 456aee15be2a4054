/**
 * A report Goldloop reads must be one its gate command wrote in this run. Reports configured with
 * `{reports}` land in a fresh folder outside the project, so they always are; a report path
 * inside the project (Maven's `target/surefire-reports`, a `coverage/lcov.info`) may still hold
 * files from before the command started: left from an earlier build, or put there while the
 * agent worked. Those are not read.
 *
 * What stood at the paths is noted before the command starts: each file's inode, size and change
 * time. The change time (ctime) is set by the kernel on every write, rename or `utimes`, and no
 * program can set it back, so a file that still has all three is the same file, unwritten.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const LEFT_OVER_REASON =
  "not written by this run: the file was there, unchanged, before the gate's command started (left from an earlier run, or written by someone else); the command must write it every run";

const identity = async (file: string): Promise<string | undefined> => {
  try {
    const s = await stat(file, { bigint: true });
    return s.isFile() ? `${s.dev}:${s.ino}:${s.size}:${s.ctimeNs}` : undefined;
  } catch {
    return undefined;
  }
};

export class ReportsBefore {
  private constructor(private readonly files: ReadonlyMap<string, string>) {}

  /**
   * Notes the files at `paths` (absolute): a path that is a file, and the files directly inside a
   * path that is a folder (report folders are read one level deep).
   */
  static async take(paths: string[]): Promise<ReportsBefore> {
    const files = new Map<string, string>();
    const note = async (file: string): Promise<void> => {
      const id = await identity(file);
      if (id) files.set(file, id);
    };
    await Promise.all(
      paths.map(async (path) => {
        const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
        if (!entries) return note(path);
        await Promise.all(entries.filter((e) => e.isFile()).map((e) => note(join(path, e.name))));
      }),
    );
    return new ReportsBefore(files);
  }

  /** True when `file` (absolute) is still the very file that stood there before the command ran. */
  async isLeftOver(file: string): Promise<boolean> {
    const before = this.files.get(file);
    return before !== undefined && before === (await identity(file));
  }
}
