import type { ProjectSettings, SettingsPatch } from '../../contract/settings.ts';
import { checkSettings, readSettings, savePendingSettings, writeSettings } from './project.ts';

/**
 * One project's settings as the dashboard changes them: read, checked and written in its knowledge
 * base, with the changes saved while a cycle runs kept until the loop writes them when the cycle
 * ends — in memory, so reads and checks see them, and in `pending-settings.json` of the project's
 * state folder (outside the project), so a process that ends first leaves them for the next run
 * (`applyPendingSettings`). Keep one per
 * project for as long as the project is registered: the file's writes go one at a time through it.
 */
export class ProjectSettingsStore {
  /** The changes waiting for the cycle to end, in the order they were saved. */
  private readonly waiting: SettingsPatch[] = [];
  /** The last write of the pending file; the next one starts when it has ended. */
  private lastSave: Promise<void> = Promise.resolve();

  /** `warn` hears of a pending file that could not be written (the change itself still waits in memory). */
  constructor(
    readonly projectDir: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** Whether changes are waiting for a cycle to end. */
  get pending(): boolean {
    return this.waiting.length > 0;
  }

  /** The settings, with the waiting changes shown as they will be. */
  read(): Promise<ProjectSettings> {
    return readSettings(this.projectDir, this.waiting);
  }

  /** Checks a change against the KB after the waiting ones, without writing; returns the settings it gives. */
  check(patch: SettingsPatch): Promise<ProjectSettings> {
    return checkSettings(this.projectDir, patch, this.waiting);
  }

  /** Writes a change into the KB now; returns the settings as written. */
  write(patch: SettingsPatch): Promise<ProjectSettings> {
    return writeSettings(this.projectDir, patch);
  }

  /**
   * Keeps a change that waits for the cycle to end until `written` settles (the loop has written
   * it, or could not). Resolves once the pending file holds it.
   */
  async queue(patch: SettingsPatch, written: Promise<unknown>): Promise<void> {
    this.waiting.push(patch);
    await this.save();
    const settle = (): void => {
      this.waiting.splice(this.waiting.indexOf(patch), 1);
      void this.save();
    };
    written.then(settle, settle);
  }

  /** Writes the pending file with the queue as it is when the previous write has ended (no changes: the file goes). */
  private save(): Promise<void> {
    const save = this.lastSave
      .then(() => savePendingSettings(this.projectDir, this.waiting))
      .catch((error: unknown) => {
        this.warn(`The settings waiting for the cycle to end could not be kept on disk: ${(error as Error).message}`);
      });
    this.lastSave = save;
    return save;
  }
}
