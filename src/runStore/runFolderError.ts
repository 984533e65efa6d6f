/** A run folder (or one of its files) that cannot be read as a run: the message names the file, and the line or step where there is one. */
export class RunFolderError extends Error {
  constructor(
    /** The file (or folder) at fault. */
    readonly file: string,
    /** What is wrong and what to do. */
    readonly reason: string,
    readonly where?: { line?: number; step?: number },
  ) {
    const at = where?.line !== undefined ? `:${where.line}` : '';
    const step = where?.step !== undefined ? ` (step ${where.step})` : '';
    super(`${file}${at}${step}: ${reason}`);
    this.name = 'RunFolderError';
  }
}

/** The message of any error, for wrapping raw ones (ENOENT, EISDIR, JSON syntax) with their file. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
