/**
 * A file Goldloop could not write, in words a user can act on: which file, and what to free or
 * change. A full disk or a read-only folder is a fact about the machine, not a bug: it gets a
 * message, never a stack trace.
 */
export class FileWriteError extends Error {
  readonly file: string;
  readonly code: string | undefined;
  constructor(file: string, cause: NodeJS.ErrnoException) {
    super(`cannot write ${file}: ${FileWriteError.why(cause, file)}`);
    this.name = 'FileWriteError';
    this.file = file;
    this.code = cause.code;
  }

  private static why(cause: NodeJS.ErrnoException, file: string): string {
    switch (cause.code) {
      case 'ENOSPC':
        return `the disk is full; free space on the disk that holds ${file} (old logs, caches, build output), then start again`;
      case 'EDQUOT':
        return 'your disk quota is used up; free some of it, then start again';
      case 'EACCES':
      case 'EPERM':
        return 'permission denied; make the folder writable for this user, then start again';
      case 'EROFS':
        return 'the file system is read-only; move the project to a writable disk';
      default:
        return cause.message;
    }
  }
}

/** The error as a FileWriteError naming `file`, when it is a file system error; otherwise as it was. */
export function asWriteError(error: unknown, file: string): unknown {
  const e = error as NodeJS.ErrnoException;
  return e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && !(error instanceof FileWriteError)
    ? new FileWriteError(file, e)
    : error;
}
